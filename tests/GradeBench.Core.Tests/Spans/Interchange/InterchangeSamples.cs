using GradeBench.Core.Spans.Interchange;

namespace GradeBench.Core.Tests.Spans.Interchange;

/// <summary>A stroke note in Chinese with an emoji (outside the Basic Multilingual Plane: one code point, two UTF-16
/// units), line breaks (LF and CRLF), and spans that cross them, begin or end with them, or are empty.</summary>
static class InterchangeSamples
{
    public static readonly AnnotationScheme Scheme = new([
        new LabelDefinition("Symptom", [
            new AttributeDefinition("Negated", AttributeKind.Flag),
            new AttributeDefinition("Uncertain", AttributeKind.Flag),
            new AttributeDefinition("Onset", AttributeKind.Text)]),
        new LabelDefinition("History", [new AttributeDefinition("Negated", AttributeKind.Flag)]),
        new LabelDefinition("NIHSS", [new AttributeDefinition("Score", AttributeKind.Number)]),
    ]);

    // Code points: 主0 诉1 ：2 左3 … 力8 ␠9 3(10) ␠11 小12 时13 ␠14 😷15 \n16 既17 往18 史19 ：20 高21 血22 压23 。24 \r25
    // \n26 N27 … S31 ␠32 7(33) ␠34 分35 ，36 否37 认38 胸39 痛40 。41 \n42; 43 in all.
    public const string NoteText = "主诉：左侧肢体无力 3 小时 😷\n既往史：高血压。\r\nNIHSS 7 分，否认胸痛。\n";

    public static NoteAnnotation Span(string label, int start, int end, string? rater = null, params (string Name, string Value)[] attributes) =>
        new(label, start, end, attributes.ToDictionary(a => a.Name, a => a.Value), rater);

    public static AnnotatedDocument Note(string? rater = null) => new("note-1", NoteText, [
        Span("Symptom", 3, 9, rater, ("Onset", "3h")),             // 左侧肢体无力
        Span("Symptom", 15, 20, rater),                             // 😷\n既往史: an emoji and a line break
        Span("History", 21, 32, rater),                             // 高血压。\r\nNIHSS: across CRLF
        Span("NIHSS", 27, 36, rater, ("Score", "7")),              // NIHSS 7 分
        Span("Symptom", 39, 41, rater, ("Negated", NoteAnnotation.FlagSet)), // 胸痛
        Span("Symptom", 25, 27, rater),                             // \r\n alone
        Span("History", 10, 10, rater),                             // empty
        Span("Symptom", 37, 43, rater, ("Negated", NoteAnnotation.FlagSet), ("Uncertain", NoteAnnotation.FlagSet)), // ends with \n
        Span("Symptom", 16, 20, rater),                             // begins with \n
    ]);
}
