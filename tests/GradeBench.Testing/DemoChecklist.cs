using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GradeBench.Testing;

/// <summary>The demo bundle with checklists (docs/bundle-format.md, "Checklists: criteria of one case") on four cases,
/// beside its rubric: case-001 and case-007 (a Chinese case, its criteria in English and Chinese), which the pilot raters
/// rated, and case-009 and case-011, which are left to the study's raters; criteria with negative points and tags, some
/// texts in English and Chinese, and the id <c>dose-for-weight</c> in two cases. The pilot raters' marks of case-001 and
/// case-007 follow their ratings in ratings.csv, so that some raters disagree on some marks.</summary>
public static class DemoChecklist
{
    /// <summary>The cases given checklists, in order.</summary>
    public static readonly IReadOnlyList<string> Cases = ["case-001", "case-007", "case-009", "case-011"];

    static Dictionary<string, string> EnglishAndChinese(string english, string chinese) => new() { ["en"] = english, ["zh-CN"] = chinese };

    /// <summary>By case: each criterion's id, text (English, or English and Chinese), points and tags.</summary>
    public static readonly IReadOnlyDictionary<string, (string Id, object Text, int Points, string[] Tags)[]> Criteria =
        new Dictionary<string, (string, object, int, string[])[]>
        {
            ["case-001"] =
            [
                ("bp-below-185", EnglishAndChinese("Lowers blood pressure below 185/110 mmHg before the bolus", "推注前将血压降至 185/110 mmHg 以下"), 6, ["axis:accuracy"]),
                ("no-wait-for-labs", "Does not wait for the platelet count and INR, as she takes no anticoagulant", 4, ["axis:accuracy"]),
                ("dose-for-weight", "Doses alteplase by her weight: 0.9 mg/kg, 58 mg in all", 3, []),
                ("bolus-above-185", "Gives the bolus while blood pressure is still above 185/110 mmHg", -8, ["axis:safety"]),
            ],
            ["case-007"] =
            [
                ("thrombectomy", EnglishAndChinese("Recommends thrombectomy despite the large core (ASPECTS 4, 85 mL)", "尽管核心梗死较大（ASPECTS 4 分，85 mL），仍推荐血管内取栓"), 6, ["axis:accuracy"]),
                ("large-core-trials", EnglishAndChinese("Cites the large-core trials (such as ANGEL-ASPECT or SELECT2)", "引用大核心梗死取栓试验（如 ANGEL-ASPECT 或 SELECT2）"), 3, []),
                ("no-thrombolysis", EnglishAndChinese("Says that intravenous thrombolysis is outside its 4.5-hour window", "指出已超出静脉溶栓 4.5 小时时间窗"), 3, ["axis:accuracy"]),
            ],
            ["case-009"] =
            [
                ("abcd2-score", "Scores ABCD2 as 6 (age, blood pressure, unilateral weakness, 25 minutes, diabetes)", 5, ["axis:accuracy"]),
                ("urgent-imaging", "Arranges brain MRI and carotid imaging within 24 hours", 4, ["axis:completeness"]),
                ("dual-antiplatelet", "Starts aspirin and clopidogrel for 21 days", 4, ["axis:accuracy"]),
                ("home-untreated", "Sends him home without antiplatelet treatment until the clinic visit", -6, ["axis:safety"]),
            ],
            ["case-011"] =
            [
                ("early-doac", "Starts a direct oral anticoagulant early, within 48 hours of this minor-to-moderate stroke (ELAN)", 5, ["axis:accuracy"]),
                ("dose-for-weight", "Chooses the anticoagulant's dose for her age, weight and kidney function", 3, []),
                ("no-bridging", "Advises against heparin bridging", 3, []),
                ("aspirin-continued", "Keeps aspirin beside the anticoagulant", -4, ["axis:safety"]),
            ],
        };

    /// <summary>Writes the bundle into <paramref name="folder"/> (created if need be); returns the folder. Without
    /// <paramref name="withMarks"/>, ratings.csv is the demo's own (its raters then lack the marks: warnings).</summary>
    public static string Write(string folder, bool withMarks = true)
    {
        TestPaths.CopyDemoBundle(folder);
        var casesFile = Path.Combine(folder, "cases.jsonl");
        var lines = File.ReadAllLines(casesFile).Select(line =>
        {
            var item = JsonNode.Parse(line)!.AsObject();
            if (Criteria.TryGetValue(item["id"]!.GetValue<string>(), out var criteria))
                item["criteria"] = new JsonArray([.. criteria.Select(c => (JsonNode)new JsonObject
                {
                    ["id"] = c.Id,
                    ["text_md"] = JsonSerializer.SerializeToNode(c.Text),
                    ["points"] = c.Points,
                    ["tags"] = new JsonArray([.. c.Tags.Select(t => (JsonNode)t)]),
                })]);
            return item.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        });
        File.WriteAllText(casesFile, string.Join("\n", lines) + "\n", new UTF8Encoding(false));
        if (withMarks) File.AppendAllText(Path.Combine(folder, "ratings.csv"), Marks(), new UTF8Encoding(false));
        return folder;
    }

    /// <summary>ratings.csv's rows of the marks: every pilot rater of a response of those cases marks each criterion of
    /// its case, met or not by a fixed rule that makes the raters disagree on some marks.</summary>
    public static string Marks()
    {
        var raters = File.ReadLines(Path.Combine(TestPaths.DemoBundle, "ratings.csv")).Skip(1)
            .Select(line => line.Split(',')).Select(f => (Response: f[0], Rater: f[1])).Distinct().ToList();
        var marks = new StringBuilder();
        foreach (var (response, rater) in raters)
        {
            var caseId = response[..response.IndexOf('.')];
            if (!Criteria.TryGetValue(caseId, out var criteria)) continue;
            for (var i = 0; i < criteria.Length; i++)
            {
                var met = (response.GetHashCodeStable() + i * 3 + rater[^1]) % 4 != 0;
                marks.Append($"{response},{rater},{criteria[i].Id},{(met ? "true" : "false")},\n");
            }
        }
        return marks.ToString();
    }

    /// <summary>A hash of the text that is the same in every process (string.GetHashCode is randomised).</summary>
    static int GetHashCodeStable(this string text) => text.Aggregate(17, (hash, c) => unchecked(hash * 31 + c)) & int.MaxValue;
}
