using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GradeBench.Testing;

/// <summary>A note-only study (<c>"design": "annotation"</c>, docs/bundle-format.md "Note-only (annotation) studies") of
/// the demo's 20 cases (data/demo-stroke) with <see cref="DemoNotes"/>'s note labels: no answers, no rubric, 2 raters
/// per case, open.</summary>
public static class DemoAnnotation
{
    public const string StudyId = "stroke-notes";

    public const int Cases = 20, RatersPerCase = 2;

    /// <summary>Writes the bundle into <paramref name="folder"/> (created if need be) and returns the folder.</summary>
    public static string Write(string folder)
    {
        Directory.CreateDirectory(folder);
        var study = new JsonObject
        {
            ["format"] = "gradebench-study/1",
            ["id"] = StudyId,
            ["title"] = "Stroke notes (synthetic demo)",
            ["description_md"] = "Mark findings in the demo's 20 synthetic stroke notes.",
            ["instructions_md"] = "Select a passage of the note, then choose its label.",
            ["language"] = "en",
            ["design"] = "annotation",
            ["state"] = "open",
            ["raters_per_case"] = RatersPerCase,
        };
        File.WriteAllText(Path.Combine(folder, "study.json"),
            study.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }), new UTF8Encoding(false));
        File.Copy(Path.Combine(TestPaths.DemoBundle, "cases.jsonl"), Path.Combine(folder, "cases.jsonl"), overwrite: true);
        foreach (var file in new[] { "responses.jsonl", "ratings.csv", "votes.csv" }) File.Delete(Path.Combine(folder, file));
        return DemoNotes.AddTo(folder);
    }
}
