using System.Text;
using GradeBench.Core.Rubrics;
using GradeBench.Core.Spans.Interchange;
using GradeBench.Core.Studies;
using GradeBench.Testing.Corpus;

namespace GradeBench.Core.Tests.Notes;

/// <summary>study.json's <c>note_labels</c>: the labels raters put on passages of a case's clinical note, each with its
/// attributes (flag, number, text), read with errors on the file, line and field as the rubric's span labels are.</summary>
public sealed class NoteLabelReaderTests
{
    static readonly string SmallFolder = Corpus.Valid("small");

    /// <summary>The small corpus bundle with <paramref name="noteLabels"/> as study.json's <c>note_labels</c>, starting
    /// on line 11 (before the rubric).</summary>
    static BundleReadResult Read(string noteLabels)
    {
        var files = new[] { "study.json", "cases.jsonl", "responses.jsonl", "ratings.csv" }
            .ToDictionary(n => n, n => File.ReadAllBytes(Path.Combine(SmallFolder, n)));
        var study = Encoding.UTF8.GetString(files["study.json"]);
        const string rubric = "  \"rubric\": {";
        Assert.Contains(rubric, study);
        files["study.json"] = Encoding.UTF8.GetBytes(study.Replace(rubric, $"  \"note_labels\": {noteLabels},\n{rubric}"));
        return BundleReader.Parse(files);
    }

    static IReadOnlyList<string> Errors(string noteLabels)
    {
        var result = Read(noteLabels);
        Assert.Null(result.Bundle);
        return [.. result.Errors.Select(e => e.ToString())];
    }

    [Fact]
    public void LabelsAndTheirAttributesAreReadInOrder()
    {
        var result = Read("""
            [
                {"id": "nihss", "label": {"en": "NIHSS item", "zh-CN": "NIHSS 条目"}, "color": "#36c",
                 "attributes": [{"id": "negated", "label": "Negated", "kind": "flag"},
                                {"id": "score", "label": {"en": "Score", "zh-CN": "评分"}, "kind": "number"},
                                {"id": "onset", "label": "Onset time", "kind": "text"}]},
                {"id": "symptom", "label": "Symptom"}
              ]
            """);

        Assert.Empty(result.Errors);
        Assert.Empty(result.Warnings);
        var labels = result.Bundle!.Study.NoteLabels;
        Assert.Equal(["nihss", "symptom"], labels.Select(l => l.Id));
        var nihss = labels[0];
        Assert.Equal(("NIHSS item", "#36c"), (nihss.Label, nihss.Color));
        Assert.Equal("NIHSS 条目", nihss.LabelTranslations.ByLanguage["zh-CN"]);
        Assert.Equal([("negated", "Negated", AttributeKind.Flag), ("score", "Score", AttributeKind.Number), ("onset", "Onset time", AttributeKind.Text)],
            nihss.Attributes.Select(a => (a.Id, a.Label, a.Kind)));
        Assert.Equal("评分", nihss.Attributes[1].LabelTranslations.ByLanguage["zh-CN"]);
        Assert.Equal((null, 0), (labels[1].Color, labels[1].Attributes.Count));
        Assert.Same(Translations.None, labels[1].LabelTranslations);
    }

    [Fact]
    public void AStudyWithoutNoteLabelsHasNone()
    {
        var result = BundleReader.Read(SmallFolder);

        Assert.Empty(result.Bundle!.Study.NoteLabels);
    }

    [Fact]
    public void AnythingButAnArrayIsAnError() =>
        Assert.Equal(["study.json:11: note_labels: must be an array of note labels"], Errors("""{"nihss": "NIHSS item"}"""));

    [Fact]
    public void EachErrorNamesTheFileLineAndField()
    {
        var errors = Errors("""
            [
                "nihss",
                {"id": "nihss item", "label": "NIHSS item"},
                {"id": "nihss", "label": "NIHSS item", "color": "blue"},
                {"id": "nihss", "label": ""},
                {"id": "symptom", "label": "Symptom", "attributes": {"negated": "flag"}},
                {"id": "drug", "label": "Drug", "attributes": [
                  "negated",
                  {"id": "dose-form", "label": "Form", "kind": "float"},
                  {"id": "dose", "label": "Dose", "kind": "number"},
                  {"id": "dose", "label": "Dose again", "kind": "number"},
                  {"id": "route/way", "label": "Route", "kind": "text"},
                  {"id": "stopped", "kind": "flag"}
                ]}
              ]
            """);

        Assert.Equal(
        [
            "study.json:12: note_labels[0]: note label must be an object",
            "study.json:13: note_labels[1].id: must be an identifier of 1-64 characters from [A-Za-z0-9._-]",
            "study.json:14: note_labels[2].color: must be a hex color such as #d1495b",
            "study.json:15: note_labels[3].id: duplicate note label id \"nihss\"",
            "study.json:15: note_labels[3].label: must be a non-empty string",
            "study.json:16: note_labels[4].attributes: must be an array of attributes",
            "study.json:18: note_labels[5].attributes[0]: attribute must be an object",
            "study.json:19: note_labels[5].attributes[1].kind: must be one of flag, number, text, got \"float\"",
            "study.json:21: note_labels[5].attributes[3].id: duplicate attribute id \"dose\"",
            "study.json:22: note_labels[5].attributes[4].id: must be an identifier of 1-64 characters from [A-Za-z0-9._-]",
            "study.json:23: note_labels[5].attributes[5].label: must be a non-empty string",
        ], errors);
    }

    [Fact]
    public void ALabelMayBeUsedAgainAsAnotherLabelsAttributeIdAndAsASpanLabelId()
    {
        var result = Read("""[{"id": "factual_error", "label": "Error", "attributes": [{"id": "factual_error", "label": "Error", "kind": "flag"}]}]""");

        Assert.Empty(result.Errors);
        Assert.Equal("factual_error", Assert.Single(result.Bundle!.Study.NoteLabels).Attributes[0].Id);
    }

    [Fact]
    public void AFieldTheFormatDoesNotKnowIsIgnoredWithAWarning()
    {
        var result = Read("""
            [
                {"id": "nihss", "label": "NIHSS item", "colour": "#36c",
                 "attributes": [{"id": "score", "label": "Score", "kind": "number", "max": 42}]}
              ]
            """);

        Assert.Empty(result.Errors);
        Assert.Equal(["study.json:12: note_labels[0].colour: field is not part of the format; ignored",
                      "study.json:13: note_labels[0].attributes[0].max: field is not part of the format; ignored"],
            result.Warnings.Select(w => w.ToString()));
    }

    [Fact]
    public void ASideBySideStudyMayHaveNoteLabels()
    {
        using var temp = new TempFolder();
        foreach (var file in Directory.GetFiles(Corpus.Valid("pairwise")).Where(f => Path.GetFileName(f) != "votes.csv"))
            File.Copy(file, Path.Combine(temp.Path, Path.GetFileName(file)));
        var studyFile = Path.Combine(temp.Path, "study.json");
        var study = File.ReadAllText(studyFile);
        File.WriteAllText(studyFile, study.Replace("\"format\":", "\"note_labels\": [{\"id\": \"symptom\", \"label\": \"Symptom\"}],\n  \"format\":"));

        var result = BundleReader.Read(temp.Path);

        Assert.Empty(result.Errors);
        Assert.Equal("symptom", Assert.Single(result.Bundle!.Study.NoteLabels).Id);
    }
}
