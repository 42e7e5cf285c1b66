using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GradeBench.Testing;

/// <summary>A side-by-side study of the demo's cases and answers (data/demo-stroke: 20 cases × 3 models, so 60 pairs when
/// every pair is compared): two axes in English and Simplified Chinese, "harm" offering "both unacceptable", three
/// reason tags, the demo's span labels, 3 raters per pair, open. With votes, votes.csv holds pilot votes by rater-1 (the
/// first 12 pairs) and rater-2 (the first 6), on both axes, with reasons and comments on some pairs.</summary>
public static class DemoPairwise
{
    public const string StudyId = "stroke-side-by-side";

    /// <summary>The pairs of the demo when every pair is compared, and the pairs voted on by <see cref="Raters"/>.</summary>
    public const int Pairs = 60, VotedPairsOfRater1 = 12, VotedPairsOfRater2 = 6;

    public const int RatersPerPair = 3;

    public static readonly string[] Raters = ["rater-1", "rater-2"];

    public static readonly string[] Axes = ["consensus", "harm"];

    /// <summary>Writes the bundle into <paramref name="folder"/> (created if need be) and returns the folder.</summary>
    /// <param name="votes">Whether to write votes.csv.</param>
    /// <param name="pairsPerCase">N pairs per case instead of every pair.</param>
    public static string Write(string folder, bool votes = false, int? pairsPerCase = null)
    {
        Directory.CreateDirectory(folder);
        var demo = JsonNode.Parse(File.ReadAllText(Path.Combine(TestPaths.DemoBundle, "study.json")))!;
        var study = new JsonObject
        {
            ["format"] = "gradebench-study/1",
            ["id"] = StudyId,
            ["title"] = "Stroke answers, side by side (synthetic demo)",
            ["description_md"] = "The demo's answers to 20 stroke-care questions, compared two at a time. **All cases and answers are synthetic.**",
            ["instructions_md"] = new JsonObject
            {
                ["en"] = "Read the case, then both answers. Answer each question for the pair; the answers' order on the screen is random.",
                ["zh-CN"] = "先阅读病例，再阅读两个回答。对每个问题作出判断；回答在屏幕上的左右位置是随机的。",
            },
            ["language"] = "en",
            ["design"] = "pairwise",
            ["state"] = "open",
            ["pairwise"] = new JsonObject
            {
                ["axes"] = new JsonArray(
                    new JsonObject
                    {
                        ["id"] = "consensus",
                        ["question"] = new JsonObject { ["en"] = "Which answer better reflects clinical consensus?", ["zh-CN"] = "哪个回答更符合临床共识？" },
                        ["help_md"] = new JsonObject { ["en"] = "Judge against current **AHA/ASA** guidance.", ["zh-CN"] = "以现行 **AHA/ASA** 指南为准。" },
                    },
                    new JsonObject
                    {
                        ["id"] = "harm",
                        ["question"] = new JsonObject { ["en"] = "Which answer is less likely to cause harm?", ["zh-CN"] = "哪个回答造成伤害的可能性更小？" },
                        ["both_unacceptable"] = true,
                    }),
                ["reasons"] = new JsonArray(
                    new JsonObject { ["id"] = "accuracy", ["label"] = new JsonObject { ["en"] = "More accurate", ["zh-CN"] = "更准确" } },
                    new JsonObject { ["id"] = "safety", ["label"] = new JsonObject { ["en"] = "Safer", ["zh-CN"] = "更安全" } },
                    new JsonObject { ["id"] = "completeness", ["label"] = "More complete" }),
                ["pairs"] = pairsPerCase is { } n ? new JsonObject { ["per_case"] = n } : "all",
                ["raters_per_pair"] = RatersPerPair,
            },
            ["rubric"] = new JsonObject { ["span_labels"] = demo["rubric"]!["span_labels"]!.DeepClone() },
        };
        File.WriteAllText(Path.Combine(folder, "study.json"), study.ToJsonString(new JsonSerializerOptions
        {
            WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }));
        foreach (var file in new[] { "cases.jsonl", "responses.jsonl" })
            File.Copy(Path.Combine(TestPaths.DemoBundle, file), Path.Combine(folder, file), overwrite: true);
        var votesFile = Path.Combine(folder, "votes.csv");
        if (votes) File.WriteAllText(votesFile, Votes(pairsPerCase));
        else File.Delete(votesFile);
        return folder;
    }

    /// <summary>votes.csv's rows, on the first pairs in bundle order (case by case, the models' pairs in order); for a
    /// bundle of every pair only, whose pairs are known without forming them.</summary>
    static string Votes(int? pairsPerCase)
    {
        if (pairsPerCase is not null) throw new ArgumentException("Votes are written for a bundle of every pair only.", nameof(pairsPerCase));
        var cases = File.ReadAllLines(Path.Combine(TestPaths.DemoBundle, "cases.jsonl"))
            .Where(l => l.Trim().Length > 0).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetString()!).ToList();
        string[] models = ["model-a", "model-b", "model-c"];
        var pairs = cases.SelectMany(c => new[] { (0, 1), (0, 2), (1, 2) }.Select(p => ($"{c}.{models[p.Item1]}", $"{c}.{models[p.Item2]}"))).ToList();
        string[] choices = ["left", "right", "tie", "left", "right"];
        var csv = new StringBuilder("rater,axis,left,right,choice,reasons,comment\n");
        foreach (var (rater, count, offset) in new[] { (Raters[0], VotedPairsOfRater1, 0), (Raters[1], VotedPairsOfRater2, 1) })
            for (var i = 0; i < count; i++)
            {
                var (a, b) = pairs[i];
                var (left, right) = (i + offset) % 2 == 0 ? (a, b) : (b, a);
                var consensus = choices[(i + offset) % choices.Length];
                var harm = (i + offset) % 4 == 3 ? "both_bad" : choices[(i + offset + 2) % choices.Length];
                var reasons = i % 3 == 0 ? "accuracy;safety" : "";
                var comment = i % 4 == 0 ? string.Create(CultureInfo.InvariantCulture, $"\"Pair {i + 1}: the {(consensus == "left" ? "left" : "other")} answer, says it all\"") : "";
                csv.Append(CultureInfo.InvariantCulture, $"{rater},consensus,{left},{right},{consensus},{reasons},{comment}\n");
                csv.Append(CultureInfo.InvariantCulture, $"{rater},harm,{left},{right},{harm},,\n");
            }
        return csv.ToString();
    }
}
