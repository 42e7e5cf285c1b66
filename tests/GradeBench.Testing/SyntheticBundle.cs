using System.Text.Json;

namespace GradeBench.Testing;

/// <summary>Synthetic study bundles of any size for the load test and the benchmarks: cases, three models' answers to
/// each, a four-criterion rubric (plus an optional comment) and, if asked, pilot ratings by <c>rater-NNN</c> accounts.
/// Shared by both tools so that both measure the same study.</summary>
public static class SyntheticBundle
{
    /// <summary>The rubric every generated rating fills in; <see cref="RatingValues"/> must match it.</summary>
    static readonly object[] Criteria =
    [
        new { id = "consensus", label = "Agreement with consensus", type = "likert", min = 1, max = 5, required = true },
        new
        {
            id = "completeness", label = "Missing content", type = "ordinal", required = true,
            options = new[] { new { value = "none", label = "None" }, new { value = "minor", label = "Minor" }, new { value = "major", label = "Major" } },
        },
        new { id = "hallucination", label = "Hallucination", type = "binary", required = true },
        new { id = "overall", label = "Overall quality", type = "likert", min = 1, max = 5, required = true },
        new { id = "comment", label = "Comment", type = "text", required = false },
    ];

    /// <summary>Model names: model-a, model-b, … (up to 26).</summary>
    static string[] ModelNames(int count) => [.. Enumerable.Range(0, count).Select(m => $"model-{(char)('a' + m)}")];
    static readonly string[] Completeness = ["none", "minor", "major"];

    /// <summary>A valid rating for the rubric above, varied so that agreement has something to compute.</summary>
    public static Dictionary<string, object> RatingValues(Random random) => new()
    {
        ["consensus"] = random.Next(1, 6),
        ["completeness"] = Completeness[random.Next(3)],
        ["hallucination"] = random.Next(4) == 0,
        ["overall"] = random.Next(1, 6),
    };

    /// <summary>Writes a bundle folder of <paramref name="responses"/> responses, <paramref name="models"/> answers to each case;
    /// with <paramref name="ratingRaters"/> &gt; 0, ratings.csv holds every one of those raters' ratings of every response on
    /// the four scored criteria.</summary>
    public static string Write(string folder, string id, string title, int responses, int ratersPerResponse, int ratingRaters = 0, int seed = 1, int models = 3)
    {
        if (models is < 1 or > 26) throw new ArgumentOutOfRangeException(nameof(models));
        var modelNames = ModelNames(models);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "study.json"), JsonSerializer.Serialize(new
        {
            format = "gradebench-study/1",
            id,
            title,
            raters_per_response = ratersPerResponse,
            state = "open",
            rubric = new { criteria = Criteria },
        }));
        var cases = (responses + modelNames.Length - 1) / modelNames.Length;
        File.WriteAllLines(Path.Combine(folder, "cases.jsonl"), Enumerable.Range(1, cases).Select(c => JsonSerializer.Serialize(new
        {
            id = $"case-{c:D5}",
            title = $"Synthetic case {c}",
            presentation_md = $"_Synthetic case {c}._ A 70-year-old with sudden right arm weakness, onset two hours ago.",
            question_md = "What is the next step?",
        })));
        string ResponseId(int r) => $"case-{r / modelNames.Length + 1:D5}.{modelNames[r % modelNames.Length]}";
        File.WriteAllLines(Path.Combine(folder, "responses.jsonl"), Enumerable.Range(0, responses).Select(r => JsonSerializer.Serialize(new
        {
            id = ResponseId(r),
            case_id = $"case-{r / modelNames.Length + 1:D5}",
            model = modelNames[r % modelNames.Length],
            content_md = "## Assessment\nA candidate for **IV thrombolysis** once blood pressure is below 185/110 mmHg.\n\n- Check glucose.\n- CT angiography for a large-vessel occlusion.",
        })));
        if (ratingRaters > 0)
        {
            // Identifiers, digits and true/false only: nothing a CSV field would need to quote.
            var random = new Random(seed);
            using var csv = new StreamWriter(Path.Combine(folder, "ratings.csv"), append: false, new System.Text.UTF8Encoding(false), bufferSize: 1 << 16);
            csv.Write("response_id,rater,criterion,value\n");
            for (var r = 0; r < responses; r++)
            {
                var response = ResponseId(r);
                for (var k = 1; k <= ratingRaters; k++)
                {
                    var rater = $"rater-{k:D3}";
                    csv.Write($"{response},{rater},consensus,{random.Next(1, 6)}\n");
                    csv.Write($"{response},{rater},completeness,{Completeness[random.Next(3)]}\n");
                    csv.Write($"{response},{rater},hallucination,{(random.Next(4) == 0 ? "true" : "false")}\n");
                    csv.Write($"{response},{rater},overall,{random.Next(1, 6)}\n");
                }
            }
        }
        return folder;
    }
}
