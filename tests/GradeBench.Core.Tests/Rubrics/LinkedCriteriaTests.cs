using System.Text;
using GradeBench.Core.Studies;
using GradeBench.Testing.Corpus;

namespace GradeBench.Core.Tests.Rubrics;

/// <summary>A span label or a note label may name the rubric criteria it bears on (<c>"criteria"</c>): ids of existing
/// criteria, each once; anything else is an error on the file, line and field, and the bundle is refused.</summary>
public sealed class LinkedCriteriaTests
{
    static readonly string SmallFolder = Corpus.Valid("small");

    /// <summary>The small corpus bundle with its span labels' lines replaced by <paramref name="spanLabels"/> and
    /// <paramref name="noteLabels"/> as study.json's <c>note_labels</c> (line 11, before the rubric).</summary>
    static BundleReadResult Read(string spanLabels, string noteLabels)
    {
        var files = new[] { "study.json", "cases.jsonl", "responses.jsonl", "ratings.csv" }
            .ToDictionary(n => n, n => File.ReadAllBytes(Path.Combine(SmallFolder, n)));
        var study = Encoding.UTF8.GetString(files["study.json"]);
        const string rubric = "  \"rubric\": {";
        const string factual = "{ \"id\": \"factual_error\", \"label\": \"Factual error\", \"color\": \"#d1495b\" }";
        Assert.Contains(factual, study);
        files["study.json"] = Encoding.UTF8.GetBytes(study.Replace(factual, spanLabels).Replace(rubric, $"  \"note_labels\": {noteLabels},\n{rubric}"));
        return BundleReader.Parse(files);
    }

    [Fact]
    public void LabelsKeepTheCriteriaTheyNameInOrder()
    {
        var result = Read("""{ "id": "factual_error", "label": "Factual error", "criteria": ["harm", "accuracy"] }""",
            """[{"id": "symptom", "label": "Symptom", "criteria": ["accuracy"]}, {"id": "drug", "label": "Drug"}]""");

        Assert.Empty(result.Errors);
        Assert.Empty(result.Warnings);
        var study = result.Bundle!.Study;
        Assert.Equal(["harm", "accuracy"], study.SpanLabels[0].Criteria);
        Assert.Empty(study.SpanLabels[1].Criteria);
        Assert.Equal(["accuracy"], study.NoteLabels[0].Criteria);
        Assert.Empty(study.NoteLabels[1].Criteria);
    }

    [Fact]
    public void ACriterionThatIsNoneOfTheRubricsOrGivenTwiceIsAnErrorOnItsLine()
    {
        var result = Read("""{ "id": "factual_error", "label": "Factual error", "criteria": ["accuracy", "accuracy"] }""",
            """
            [
                {"id": "symptom", "label": "Symptom", "criteria": "harm"},
                {"id": "drug", "label": "Drug", "criteria": ["accuracy", "safety", 3]}
              ]
            """);

        Assert.Null(result.Bundle);
        Assert.Equal(
        [
            "study.json:12: note_labels[0].criteria: must be an array of ids of rubric criteria",
            "study.json:13: note_labels[1].criteria[1]: \"safety\" is not a rubric criterion",
            "study.json:13: note_labels[1].criteria[2]: must be the id of a rubric criterion, got 3",
            "study.json:59: rubric.span_labels[0].criteria[1]: criterion \"accuracy\" is named twice",
        ], result.Errors.Select(e => e.ToString()).Order(StringComparer.Ordinal));
    }
}
