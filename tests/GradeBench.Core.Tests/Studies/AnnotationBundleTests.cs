using System.Text.Json.Nodes;
using GradeBench.Core.Studies;

namespace GradeBench.Core.Tests.Studies;

/// <summary>A note-only study's bundle (<c>"design": "annotation"</c>): cases and note labels, no answers, no rubric
/// criteria, no ratings; every refusal names its file, line and field.</summary>
public sealed class AnnotationBundleTests
{
    /// <summary><see cref="DemoAnnotation"/> in <paramref name="temp"/>, study.json changed by <paramref name="edit"/>.</summary>
    static string Bundle(TempFolder temp, Action<JsonObject>? edit = null)
    {
        DemoAnnotation.Write(temp.Path);
        var file = Path.Combine(temp.Path, "study.json");
        var study = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
        edit?.Invoke(study);
        File.WriteAllText(file, study.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        return temp.Path;
    }

    static List<string> Errors(string path) => [.. BundleReader.Read(path).Errors.Select(e => e.ToString())];

    [Fact]
    public void AnAnnotationBundleGivesItsCasesNoteLabelsAndRatersPerCase()
    {
        using var temp = new TempFolder();
        var result = BundleReader.Read(Bundle(temp));

        Assert.Empty(result.Errors);
        var bundle = result.Bundle!;
        Assert.True(bundle.Study.Annotation);
        Assert.Equal((DemoAnnotation.Cases, 0, 0), (bundle.Cases.Count, bundle.Responses.Count, bundle.Study.Criteria.Count));
        Assert.Equal(DemoNotes.Labels, bundle.Study.NoteLabels.Select(l => l.Id));
        Assert.Equal(DemoAnnotation.RatersPerCase, bundle.Study.RatersPerResponse);
    }

    [Fact]
    public void RatersPerCaseIsTwoUnlessGiven()
    {
        using var temp = new TempFolder();
        var bundle = BundleReader.Read(Bundle(temp, s => s.Remove("raters_per_case"))).Bundle!;

        Assert.Equal(2, bundle.Study.RatersPerResponse);
    }

    [Fact]
    public void AnAnnotationStudyNeedsNoteLabels()
    {
        using var temp = new TempFolder();
        Assert.Equal(["study.json:11: note_labels: an annotation study needs at least one note label"],
            Errors(Bundle(temp, s => s["note_labels"] = new JsonArray())));
        using var without = new TempFolder();
        Assert.Equal(["study.json:1: note_labels: an annotation study needs at least one note label"],
            Errors(Bundle(without, s => s.Remove("note_labels"))));
    }

    [Fact]
    public void AnAnnotationStudyHasNoRubricNoRatersPerResponseAndNoPairwiseSettings()
    {
        using var temp = new TempFolder();
        var errors = Errors(Bundle(temp, s =>
        {
            s["rubric"] = new JsonObject { ["criteria"] = new JsonArray() };
            s["raters_per_response"] = 3;
            s["pairwise"] = new JsonObject();
            s["raters_per_case"] = 0;
        }));

        Assert.Equal([
            "study.json:10: raters_per_case: must be a positive integer",
            "study.json:70: rubric: an annotation study has no rubric: its raters mark passages with note_labels",
            "study.json:73: raters_per_response: an annotation study sets raters_per_case instead",
            "study.json:74: pairwise: only a pairwise study (\"design\": \"pairwise\") has this field",
        ], errors.Order());
    }

    [Fact]
    public void RatersPerCaseBelongsToAnAnnotationStudy()
    {
        using var temp = new TempFolder();
        Assert.Equal(["study.json:10: raters_per_case: only an annotation study (\"design\": \"annotation\") has this field"],
            Errors(Bundle(temp, s => s["design"] = "single")).Where(e => e.Contains("raters_per_case")));
    }

    [Fact]
    public void AnswersRatingsAndChecklistsAreRefused()
    {
        using var temp = new TempFolder();
        var path = Bundle(temp);
        File.Copy(Path.Combine(TestPaths.DemoBundle, "responses.jsonl"), Path.Combine(path, "responses.jsonl"));
        File.Copy(Path.Combine(TestPaths.DemoBundle, "ratings.csv"), Path.Combine(path, "ratings.csv"));
        var cases = File.ReadAllLines(Path.Combine(path, "cases.jsonl"));
        var first = JsonNode.Parse(cases[0])!.AsObject();
        first["criteria"] = new JsonArray(new JsonObject { ["id"] = "mentions-bp", ["text_md"] = "Mentions the blood pressure", ["points"] = 1 });
        cases[0] = first.ToJsonString();
        File.WriteAllLines(Path.Combine(path, "cases.jsonl"), cases);

        var result = BundleReader.Read(path);

        Assert.Null(result.Bundle);
        Assert.Equal([
            "cases.jsonl:1: criteria: an annotation study has no case checklists: leave criteria out or empty",
            "ratings.csv:0: file: an annotation study has no ratings.csv: its raters' work is their passages",
            "responses.jsonl:0: file: an annotation study has no answers",
        ], result.Errors.Select(e => e.ToString()).Order());
    }

    [Fact]
    public void AnUnknownDesignNamesTheThree()
    {
        using var temp = new TempFolder();
        Assert.Contains("study.json:8: design: must be \"single\", \"pairwise\" or \"annotation\", got \"notes\"",
            Errors(Bundle(temp, s => s["design"] = "notes")));
    }
}
