using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GradeBench.Testing;

/// <summary>Clinical note annotation on a demo bundle (docs/bundle-format.md, "Note labels"): study.json's
/// <c>note_labels</c>, in the order of <see cref="Labels"/>,
/// <list type="bullet">
/// <item><c>nihss</c>, "NIHSS item" in English and Chinese, color <c>#36c</c>: flag <c>negated</c>, number <c>score</c>;</item>
/// <item><c>symptom</c>, color <c>#d1495b</c>: flags <c>negated</c>, <c>uncertain</c>, <c>historical</c>, text <c>onset</c>;</item>
/// <item><c>medication</c>: no color, no attributes;</item>
/// </list>
/// and <see cref="AstralCase"/>'s note (presentation_md) starting with <see cref="AstralPrefix"/>, a character outside the
/// Basic Multilingual Plane, so that code points and UTF-16 offsets differ after it.</summary>
public static class DemoNotes
{
    public const string AstralCase = "case-007";

    /// <summary>🩺 and a space: two code points, three UTF-16 units.</summary>
    public const string AstralPrefix = "🩺 ";

    public static readonly string[] Labels = ["nihss", "symptom", "medication"];

    static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping },
        OneLine = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    static JsonObject EnglishAndChinese(string english, string chinese) => new() { ["en"] = english, ["zh-CN"] = chinese };

    static JsonObject Attribute(string id, JsonNode label, string kind) => new() { ["id"] = id, ["label"] = label, ["kind"] = kind };

    /// <summary>The demo bundle (data/demo-stroke) with note labels, written into <paramref name="folder"/>; returns the folder.</summary>
    public static string Write(string folder) => AddTo(TestPaths.CopyDemoBundle(folder));

    /// <summary>Adds the note labels to the study.json of the demo-based bundle in <paramref name="folder"/> (the demo's,
    /// <see cref="DemoPairwise"/>'s, <see cref="DemoChecklist"/>'s) and <see cref="AstralPrefix"/> to
    /// <see cref="AstralCase"/>'s note in its cases.jsonl; returns the folder.</summary>
    public static string AddTo(string folder)
    {
        var studyFile = Path.Combine(folder, "study.json");
        var study = JsonNode.Parse(File.ReadAllText(studyFile))!.AsObject();
        study["note_labels"] = new JsonArray(
            new JsonObject
            {
                ["id"] = "nihss",
                ["label"] = EnglishAndChinese("NIHSS item", "NIHSS 条目"),
                ["color"] = "#36c",
                ["attributes"] = new JsonArray(
                    Attribute("negated", EnglishAndChinese("Negated", "否定"), "flag"),
                    Attribute("score", EnglishAndChinese("Score", "评分"), "number")),
            },
            new JsonObject
            {
                ["id"] = "symptom",
                ["label"] = "Symptom",
                ["color"] = "#d1495b",
                ["attributes"] = new JsonArray(
                    Attribute("negated", "Negated", "flag"),
                    Attribute("uncertain", "Uncertain", "flag"),
                    Attribute("historical", "Historical", "flag"),
                    Attribute("onset", "Onset time", "text")),
            },
            new JsonObject { ["id"] = "medication", ["label"] = "Medication" });
        File.WriteAllText(studyFile, study.ToJsonString(Indented), new UTF8Encoding(false));

        var casesFile = Path.Combine(folder, "cases.jsonl");
        var lines = File.ReadAllLines(casesFile).Where(l => l.Trim().Length > 0).Select(line =>
        {
            var item = JsonNode.Parse(line)!.AsObject();
            if (item["id"]!.GetValue<string>() == AstralCase) item["presentation_md"] = AstralPrefix + item["presentation_md"]!.GetValue<string>();
            return item.ToJsonString(OneLine);
        });
        File.WriteAllText(casesFile, string.Join("\n", lines) + "\n", new UTF8Encoding(false));
        return folder;
    }

    /// <summary>The rubric criteria each label bears on (<c>criteria</c>) that <see cref="LinkCriteria"/> gives: by label id,
    /// note labels and the demo's span labels alike.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> LinkedCriteria = new Dictionary<string, string[]>
    {
        ["nihss"] = ["consensus"],
        ["symptom"] = ["consensus", "harm_extent"],
        ["factual_error"] = ["consensus"],
        ["unsafe"] = ["harm_extent", "consensus"],
    };

    /// <summary>Links labels of the study.json in <paramref name="folder"/> (written by <see cref="AddTo"/> on the demo of
    /// single answers) to rubric criteria as <see cref="LinkedCriteria"/> says; returns the folder.</summary>
    public static string LinkCriteria(string folder)
    {
        var studyFile = Path.Combine(folder, "study.json");
        var study = JsonNode.Parse(File.ReadAllText(studyFile))!.AsObject();
        foreach (var label in study["note_labels"]!.AsArray().Concat(study["rubric"]!["span_labels"]!.AsArray()))
            if (LinkedCriteria.TryGetValue(label!["id"]!.GetValue<string>(), out var criteria))
                label["criteria"] = new JsonArray([.. criteria.Select(c => (JsonNode)c)]);
        File.WriteAllText(studyFile, study.ToJsonString(Indented), new UTF8Encoding(false));
        return folder;
    }
}
