using System.Text;
using GradeBench.Core.Spans.Interchange;
using static GradeBench.Core.Tests.Spans.Interchange.InterchangeSamples;

namespace GradeBench.Core.Tests.Spans.Interchange;

public sealed class BratStandoffTests
{
    /// <summary>The example of brat's standoff format page (brat.nlplab.org/standoff.html), written by hand: its text,
    /// its text-bound annotations, event, relation, equivalence, normalization and note, its binary and multi-valued
    /// attributes on an event (as the page has them), and the entity attributes of brat's example configuration
    /// (<c>Individual Arg:&lt;ENTITY&gt;</c>, <c>Mention Arg:&lt;ENTITY&gt;, Value:Name|Nominal|Other</c>).</summary>
    const string SonyText = "Sony formed a joint venture with Ericsson, a mobile phone company based in Sweden.\n";

    static readonly string SonyAnn = Lines(
        "T1\tOrganization 0 4\tSony",
        "T2\tMERGE-ORG 14 27\tjoint venture",
        "T3\tOrganization 33 41\tEricsson",
        "E1\tMERGE-ORG:T2 Org1:T1 Org2:T3",
        "T4\tCountry 75 81\tSweden",
        "R1\tOrigin Arg1:T3 Arg2:T4",
        "*\tEquiv T1 T3",
        "A1\tNegation E1",
        "A2\tConfidence E1 L1",
        "A3\tIndividual T1",
        "A4\tMention T3 Name",
        "N1\tReference T4 Wikipedia:5058739\tSweden",
        "#1\tAnnotatorNotes T1\tthis annotation is suspect");

    /// <summary>Lines as a file holds them, each ended by a line feed (tabs and trailing spaces written as escapes, which
    /// no editor trims).</summary>
    static string Lines(params string[] lines) => string.Concat(lines.Select(l => l + "\n"));

    static Encoding Utf8 => new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    [Fact]
    public void BratDocumentationExampleReadsItsTextBoundAnnotationsAndCountsWhatItSkips()
    {
        var import = BratStandoff.ReadAnn("sony", SonyText, SonyAnn, "sony.ann", rater: "dr-li");

        var document = Assert.Single(import.Documents);
        Assert.Equal(("sony", SonyText), (document.Id, document.Text));
        Assert.Equal([
            Span("Organization", 0, 4, "dr-li", ("Individual", NoteAnnotation.FlagSet)),
            Span("MERGE-ORG", 14, 27, "dr-li"),
            Span("Organization", 33, 41, "dr-li", ("Mention", "Name")),
            Span("Country", 75, 81, "dr-li"),
        ], document.Annotations);
        Assert.Equal(new BratSkipped(Notes: 1, Relations: 1, Events: 1, Equivalences: 1, Normalizations: 1, Attributes: 2), import.Skipped);
        Assert.Equal(7, import.Skipped.Total);
    }

    /// <summary>The .ann is brat's, offsets in code points (the emoji counts one): a span that crosses line breaks is
    /// split into fragments at them, its covered text their texts joined by a space, with an empty fragment where it
    /// begins or ends with a line break; flags carry no value.</summary>
    [Fact]
    public void AnnIsWrittenAsBratWritesItWithFragmentsAtLineBreaks()
    {
        var ann = BratStandoff.WriteAnn(Note(), Scheme);

        Assert.Equal(Lines(
            "T1\tSymptom 3 9\t左侧肢体无力",
            "A1\tOnset T1 3h",
            "T2\tSymptom 15 16;17 20\t😷 既往史",
            "T3\tHistory 21 25;27 32\t高血压。 NIHSS",
            "T4\tNIHSS 27 36\tNIHSS 7 分",
            "A2\tScore T4 7",
            "T5\tSymptom 39 41\t胸痛",
            "A3\tNegated T5",
            "T6\tSymptom 25 25;27 27\t ",
            "T7\tHistory 10 10\t",
            "T8\tSymptom 37 42;43 43\t否认胸痛。 ",
            "A4\tNegated T8",
            "A5\tUncertain T8",
            "T9\tSymptom 16 16;17 20\t 既往史"), ann);
    }

    [Fact]
    public void ConfigurationDeclaresEveryLabelAndEachAttributeWithTheValuesThatOccur()
    {
        var conf = BratStandoff.WriteConfiguration(Scheme, [Note(), new AnnotatedDocument("note-2", "NIHSS 12", [Span("NIHSS", 0, 8, null, ("Score", "12"))])]);

        Assert.Equal(Lines(
            "# The labels and attributes of GradeBench's note annotation (docs/spans.md).",
            "[entities]",
            "Symptom",
            "History",
            "NIHSS",
            "",
            "[relations]",
            "",
            "[events]",
            "",
            "[attributes]",
            "Negated\tArg:Symptom|History",
            "Uncertain\tArg:Symptom",
            "Onset\tArg:Symptom, Value:3h",
            "Score\tArg:NIHSS, Value:7|12"), conf);
    }

    /// <summary>A valued attribute that no span has cannot be declared (brat lists a closed set of values): it is left
    /// out; a flag is declared whether set or not.</summary>
    [Fact]
    public void ConfigurationLeavesOutAValuedAttributeWithoutValues()
    {
        var conf = BratStandoff.WriteConfiguration(Scheme, []);

        Assert.EndsWith("[attributes]\nNegated\tArg:Symptom|History\nUncertain\tArg:Symptom\n", conf);
    }

    [Fact]
    public void WriteThenReadGivesTheSameDocumentAndTheTextExactly()
    {
        var note = Note();

        var files = BratStandoff.Write([note], Scheme);
        var import = BratStandoff.Read(files.ToDictionary(f => f.Path, f => f.Content));

        Assert.Equal(["note-1.txt", "note-1.ann", "annotation.conf"], files.Select(f => f.Path));
        Assert.Equal(Utf8.GetBytes(NoteText), files[0].Content); // no byte-order mark, CRLF kept
        var document = Assert.Single(import.Documents);
        Assert.Equal((note.Id, note.Text), (document.Id, document.Text));
        Assert.Equal(note.Annotations, document.Annotations);
        Assert.Equal(BratSkipped.None, import.Skipped);
    }

    /// <summary>brat's own editor splits a selection across lines into fragments without the spaces around the line
    /// break: the gap between fragments is white space, and the covering span is taken.</summary>
    [Fact]
    public void FragmentsSeparatedOnlyByLineBreaksAndSpacesAreTheirCoveringSpan()
    {
        var import = BratStandoff.ReadAnn("d", "left arm \n weakness", "T1\tSymptom 0 8;11 19\tleft arm weakness\n", "d.ann", scheme: Scheme);

        Assert.Equal([Span("Symptom", 0, 19)], Assert.Single(import.Documents).Annotations);
    }

    /// <summary>The covered text is checked as brat checks it: brat accepts a line without it, or with only white space
    /// (and fills it in), a comment after it, and the fragments' texts joined without a space as brat before 1.3
    /// wrote them.</summary>
    [Fact]
    public void CoveredTextIsCheckedAsBratChecksIt()
    {
        var ann = Lines("T1\tOrganization 0 4", "T2\tOrganization 33 41\t ", "T3\tCountry 75 81\tSweden # the country", "T4\tOrganization 0 4;5 11\tSonyformed");

        var import = BratStandoff.ReadAnn("sony", SonyText, ann, "sony.ann");

        Assert.Equal([Span("Organization", 0, 4), Span("Organization", 33, 41), Span("Country", 75, 81), Span("Organization", 0, 11)],
            Assert.Single(import.Documents).Annotations);
    }

    /// <summary>A malformed .ann names its file, the line (1-based, counted as brat counts them: blank lines, CRLF as one
    /// break, Python's other line boundaries such as U+2028) and the field.</summary>
    [Theory]
    [InlineData("T1 Organization 0 4 Sony", "doc.ann:1: id: expected an id, a tab and the annotation")]
    [InlineData("X1\tFoo 0 4\tSony", "doc.ann:1: id: brat has no annotation of the kind of X1 (T, A, M, N, R, E, * or #)")]
    [InlineData("1\tOrganization 0 4\tSony", "doc.ann:1: id: 1 is not a brat id (letters or #, then a number)")]
    [InlineData("T1\tOrganization 0 4\tSony\nT1\tOrganization 33 41\tEricsson", "doc.ann:2: id: T1 is used twice (first on line 1)")]
    [InlineData("T1\tOrganization\tSony", "doc.ann:1: type: expected the type, a space and the offsets START END")]
    [InlineData("T1\tOrganization 0\tSony", "doc.ann:1: offsets: expected START END, or START END;START END for a discontinuous span, found 0")]
    [InlineData("T1\tOrganization 0 four\tSony", "doc.ann:1: end: four is not a whole number of code points")]
    [InlineData("T1\tOrganization -1 4\tSony", "doc.ann:1: start: -1 is negative")]
    [InlineData("T1\tOrganization 4 0\t", "doc.ann:1: start: 4 is after end 0")]
    [InlineData("T1\tCountry 75 90\tSweden", "doc.ann:1: end: 90 is beyond the end of the text (83 code points)")]
    [InlineData("T1\tOrganization 0 4\tSonny", "doc.ann:1: text: the covered text \"Sonny\" is not the text at these offsets, \"Sony\"")]
    [InlineData("T1\tOrganization 0 4\tSonyX", "doc.ann:1: text: the covered text \"SonyX\" is not the text at these offsets, \"Sony\"")]
    [InlineData("T1\tOrganization 0 4;2 6\tSony ny f", "doc.ann:1: offsets: the fragments of the span overlap")]
    [InlineData("T1\tOrganization 0 4;14 19\tSony joint", "doc.ann:1: offsets: the fragments of the span are separated by \" formed a \", which is not only line breaks and spaces: a GradeBench span is continuous")]
    [InlineData("\nA1\tNegation", "doc.ann:2: attribute: expected NAME TARGET for a flag, or NAME TARGET VALUE")]
    [InlineData("A1\tNegation T9", "doc.ann:1: target: T9 is no annotation of this file")]
    [InlineData("T1\tOrganization 0 4\tSony\r\nA1\tIndividual T1\r\nA2\tIndividual T1", "doc.ann:3: attribute: Individual is set twice on T1")]
    [InlineData("T1\tOrganization 0 4\tSony\u2028A1\tNegation T5", "doc.ann:2: target: T5 is no annotation of this file")]
    public void MalformedAnnNamesTheFileLineAndField(string ann, string message)
    {
        var error = Assert.Throws<InterchangeException>(() => BratStandoff.ReadAnn("doc", SonyText, ann, "doc.ann"));

        Assert.Equal(message, error.Message);
    }

    static readonly AnnotationScheme SonyScheme = new([
        new LabelDefinition("Organization", [
            new AttributeDefinition("Individual", AttributeKind.Flag),
            new AttributeDefinition("Mention", AttributeKind.Text),
            new AttributeDefinition("Employees", AttributeKind.Number)]),
        new LabelDefinition("Country", []),
    ]);

    [Theory]
    [InlineData("T1\tPerson 0 4\tSony", "doc.ann:1: type: Person is not a label of the study")]
    [InlineData("T1\tOrganization 0 4\tSony\nA1\tNegation T1", "doc.ann:2: attribute: Negation is not an attribute of the label Organization")]
    [InlineData("T1\tOrganization 0 4\tSony\nA1\tIndividual T1 yes", "doc.ann:2: value: Individual is a flag and takes no value, found yes")]
    [InlineData("T1\tOrganization 0 4\tSony\nA1\tMention T1", "doc.ann:2: value: Mention takes a value")]
    [InlineData("T1\tOrganization 0 4\tSony\nA1\tEmployees T1 many", "doc.ann:2: value: Employees takes a number, found many")]
    public void WithASchemeLabelsAndAttributesAreChecked(string ann, string message)
    {
        var error = Assert.Throws<InterchangeException>(() => BratStandoff.ReadAnn("doc", SonyText, ann, "doc.ann", scheme: SonyScheme));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void WithASchemeValidAttributesAndSkippedAnnotationsRead()
    {
        var ann = "T1\tOrganization 0 4\tSony\nA1\tEmployees T1 -12.5\nA2\tMention T1 a name\nE1\tMerge:T1\nA3\tNegation E1\n";

        var import = BratStandoff.ReadAnn("doc", SonyText, ann, "doc.ann", scheme: SonyScheme);

        Assert.Equal([Span("Organization", 0, 4, null, ("Employees", "-12.5"), ("Mention", "a name"))], Assert.Single(import.Documents).Annotations);
        Assert.Equal(1, import.Skipped.Attributes);
    }

    /// <summary>brat reads a .txt as it is: a byte-order mark is a code point of the text, and offsets count it.</summary>
    [Fact]
    public void FolderReadsEachTextWithItsAnnAndIgnoresOtherFiles()
    {
        var files = new Dictionary<string, byte[]>
        {
            ["b.txt"] = [0xEF, 0xBB, 0xBF, .. Utf8.GetBytes("Sony")],
            ["b.ann"] = [0xEF, 0xBB, 0xBF, .. Utf8.GetBytes("T1\tOrganization 1 5\tSony\n")],
            ["a.txt"] = Utf8.GetBytes("no annotations"),
            ["annotation.conf"] = Utf8.GetBytes("[entities]\n"),
            ["sub/c.txt"] = Utf8.GetBytes("elsewhere"),
        };

        var import = BratStandoff.Read(files, rater: "dr-li");

        Assert.Equal(["a", "b"], import.Documents.Select(d => d.Id));
        Assert.Empty(import.Documents[0].Annotations);
        Assert.Equal("\uFEFFSony", import.Documents[1].Text);
        Assert.Equal([Span("Organization", 1, 5, "dr-li")], import.Documents[1].Annotations);
    }

    [Fact]
    public void AnnWithoutItsTextIsAnError()
    {
        var error = Assert.Throws<InterchangeException>(() => BratStandoff.Read(new Dictionary<string, byte[]> { ["doc.ann"] = [] }));

        Assert.Equal("doc.ann: file: the annotations have no text file doc.txt beside them", error.Message);
    }

    [Fact]
    public void TextThatIsNotUtf8IsAnError()
    {
        var error = Assert.Throws<InterchangeException>(() => BratStandoff.Read(new Dictionary<string, byte[]> { ["doc.txt"] = [0x53, 0xFF] }));

        Assert.Equal("doc.txt: file: not valid UTF-8 text", error.Message);
    }

    /// <summary>One folder per rater and one for the gold set, each with every document; read back, each document has
    /// every rater's spans again, through files on disk.</summary>
    [Fact]
    public void ExportByRaterReadsBackWithEachRatersSpans()
    {
        var gold = Note();
        var li = Note("dr-li").Annotations.Take(3);
        var ma = Note("dr-ma").Annotations.Skip(4);
        var second = new AnnotatedDocument("note-2", "NIHSS 12", [Span("NIHSS", 0, 8, "dr-ma", ("Score", "12"))]);
        AnnotatedDocument[] documents = [gold with { Annotations = [.. gold.Annotations, .. li, .. ma] }, second];
        using var folder = new TempFolder();

        var files = BratStandoff.WriteByRater(documents, Scheme);
        InterchangeFile.WriteAll(folder.Path, files);
        var import = BratStandoff.ReadByRater(InterchangeFile.ReadAll(folder.Path), Scheme);

        Assert.Equal([
            "gold/note-1.txt", "gold/note-1.ann", "gold/note-2.txt", "gold/note-2.ann", "gold/annotation.conf",
            "raters/dr-li/note-1.txt", "raters/dr-li/note-1.ann", "raters/dr-li/note-2.txt", "raters/dr-li/note-2.ann", "raters/dr-li/annotation.conf",
            "raters/dr-ma/note-1.txt", "raters/dr-ma/note-1.ann", "raters/dr-ma/note-2.txt", "raters/dr-ma/note-2.ann", "raters/dr-ma/annotation.conf",
        ], files.Select(f => f.Path));
        Assert.Equal(documents.Select(d => (d.Id, d.Text)), import.Documents.Select(d => (d.Id, d.Text)));
        foreach (var (written, read) in documents.Zip(import.Documents))
            Assert.Equal(written.Annotations.ToHashSet(), read.Annotations.ToHashSet());
        Assert.Equal(documents.Sum(d => d.Annotations.Count), import.Documents.Sum(d => d.Annotations.Count));
    }

    [Fact]
    public void ExportByRaterWithoutItsFoldersIsAnError()
    {
        var error = Assert.Throws<InterchangeException>(() => BratStandoff.ReadByRater(new Dictionary<string, byte[]> { ["doc.txt"] = [] }));

        Assert.Equal(".: folder: no gold/ or raters/NAME/ folder: an export by rater has one folder for the gold set and one for each rater", error.Message);
    }

    [Fact]
    public void ExportByRaterWhoseTextsDifferIsAnError()
    {
        var files = new Dictionary<string, byte[]>
        {
            ["gold/doc.txt"] = Utf8.GetBytes("Sony"),
            ["raters/b/doc.txt"] = Utf8.GetBytes("Sony."),
        };

        var error = Assert.Throws<InterchangeException>(() => BratStandoff.ReadByRater(files));

        Assert.Equal("raters/b/doc.txt: text: the text differs from that of gold/doc.txt", error.Message);
    }

    /// <summary>brat's annotation.conf cannot list a value with a space (an onset "3 hours"), a comma, |, &lt; or &gt;:
    /// such a value is written as an annotator note on its span, <c>NAME: VALUE</c>, left out of the configuration's
    /// values, and read back as the attribute, through files on disk.</summary>
    [Fact]
    public void AValueBratCannotListGoesInAnAnnotatorNoteAndReadsBack()
    {
        var document = new AnnotatedDocument("note-1", NoteText, [
            Span("Symptom", 3, 9, null, ("Negated", NoteAnnotation.FlagSet), ("Onset", "3 hours")),
            Span("Symptom", 39, 41, null, ("Onset", "3h")),
            Span("Symptom", 37, 41, null, ("Onset", "a, b|c <d>"))]);
        using var folder = new TempFolder();

        var files = BratStandoff.Write([document], Scheme);
        InterchangeFile.WriteAll(folder.Path, files);
        var import = BratStandoff.Read(InterchangeFile.ReadAll(folder.Path), scheme: Scheme);

        Assert.Equal(Lines(
            "T1\tSymptom 3 9\t左侧肢体无力",
            "A1\tNegated T1",
            "#1\tAnnotatorNotes T1\tOnset: 3 hours",
            "T2\tSymptom 39 41\t胸痛",
            "A2\tOnset T2 3h",
            "T3\tSymptom 37 41\t否认胸痛",
            "#2\tAnnotatorNotes T3\tOnset: a, b|c <d>"), Utf8.GetString(files.Single(f => f.Path == "note-1.ann").Content));
        Assert.Contains("Onset\tArg:Symptom, Value:3h\n", Utf8.GetString(files.Single(f => f.Path == BratStandoff.ConfigurationFile).Content));
        Assert.Equal(document.Annotations, Assert.Single(import.Documents).Annotations);
        Assert.Equal(BratSkipped.None, import.Skipped);
    }

    /// <summary>Only a note NAME: VALUE on a text-bound annotation whose label (with a scheme) has that valued attribute
    /// is read as a value; other notes stay notes, counted as left out. A value given both ways is set twice.</summary>
    [Fact]
    public void AnnotatorNotesThatAreNoValueOfTheSpanStayNotes()
    {
        var ann = Lines(
            "T1\tOrganization 0 4\tSony",
            "#1\tAnnotatorNotes T1\tthis annotation is suspect",
            "#2\tAnnotatorNotes T1\tEmployees: many",
            "#3\tAnnotatorNotes T1\tMention: a proper name",
            "T2\tCountry 75 81\tSweden",
            "#4\tAnnotatorNotes T2\tMention: a country");

        var import = BratStandoff.ReadAnn("doc", SonyText, ann, "doc.ann", scheme: SonyScheme);

        Assert.Equal([Span("Organization", 0, 4, null, ("Mention", "a proper name")), Span("Country", 75, 81)], Assert.Single(import.Documents).Annotations);
        Assert.Equal(3, import.Skipped.Notes);
        var twice = Assert.Throws<InterchangeException>(() => BratStandoff.ReadAnn("doc", SonyText,
            Lines("T1\tOrganization 0 4\tSony", "A1\tMention T1 Name", "#1\tAnnotatorNotes T1\tMention: a name"), "doc.ann", scheme: SonyScheme));
        Assert.Equal("doc.ann:3: attribute: Mention is set twice on T1", twice.Message);
    }

    /// <summary>Without a scheme (a third-party corpus with no annotation.conf) no note is a value: two "Comment: …" notes
    /// on one span are notes, not a value set twice.</summary>
    [Fact]
    public void WithoutASchemeAnnotatorNotesStayNotes()
    {
        var ann = Lines(
            "T1\tOrganization 0 4\tSony",
            "#1\tAnnotatorNotes T1\tComment: checked",
            "#2\tAnnotatorNotes T1\tComment: checked again");

        var import = BratStandoff.ReadAnn("doc", SonyText, ann, "doc.ann");

        Assert.Equal([Span("Organization", 0, 4)], Assert.Single(import.Documents).Annotations);
        Assert.Equal(2, import.Skipped.Notes);
    }

    [Fact]
    public void OneFolderHoldsOneRatersSpans()
    {
        var note = Note();

        Assert.Throws<ArgumentException>(() => BratStandoff.Write([note with { Annotations = [.. note.Annotations, Span("Symptom", 0, 1, "dr-li")] }], Scheme));
    }

    public static TheoryData<AnnotationScheme, AnnotatedDocument[], string> WhatBratCannotCarry => new()
    {
        {
            new AnnotationScheme([new LabelDefinition("Chief complaint", [])]),
            [new AnnotatedDocument("doc", "x", [Span("Chief complaint", 0, 1)])],
            "doc.ann: label: \"Chief complaint\" cannot be a brat name: brat names are ASCII letters, digits, _ and - only"
        },
        {
            Scheme,
            [new AnnotatedDocument("doc", "x", [Span("Symptom", 0, 1, null, ("Onset", "3\th"))])],
            "doc.ann: Onset: \"3\th\" cannot be written to brat: a value brat's annotation.conf cannot list goes in an annotator note, which holds no tab or line break"
        },
        {
            Scheme,
            [new AnnotatedDocument("a/b", "x", [])],
            "a/b.txt: document: a/b cannot be a file name"
        },
        {
            Scheme,
            [new AnnotatedDocument("Note", "x", []), new AnnotatedDocument("note", "y", [])],
            "note.txt: document: Note and note would be written to the same file"
        },
        {
            new AnnotationScheme([
                new LabelDefinition("Symptom", [new AttributeDefinition("Severity", AttributeKind.Flag)]),
                new LabelDefinition("Sign", [new AttributeDefinition("Severity", AttributeKind.Text)])]),
            [],
            "annotation.conf: attribute: Severity is a flag of Symptom but takes a value on Sign: brat has one definition for each attribute name"
        },
    };

    [Theory]
    [MemberData(nameof(WhatBratCannotCarry))]
    public void WhatBratCannotCarryIsRefusedNamingTheFileAndField(AnnotationScheme scheme, AnnotatedDocument[] documents, string message)
    {
        var error = Assert.Throws<InterchangeException>(() => BratStandoff.Write(documents, scheme));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void RaterWhoseNameCannotBeAFolderIsRefused()
    {
        var error = Assert.Throws<InterchangeException>(() => BratStandoff.WriteByRater([new AnnotatedDocument("doc", "x", [Span("Symptom", 0, 1, "dr/li")])], Scheme));

        Assert.Equal("raters/dr/li: rater: dr/li cannot be a file name", error.Message);
    }
}
