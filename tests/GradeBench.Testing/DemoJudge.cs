using System.Globalization;
using System.Text;
using System.Text.Json;
using Sylvan.Data.Csv;

namespace GradeBench.Testing;

/// <summary>An LLM judge's ratings of every response of the demo study, as <c>gradebench judges import</c> reads them
/// (<c>response_id,criterion,value</c>): on the 24 responses the pilot physicians rated, their majority (the lower value
/// of a tie) with one step up on consensus and overall every third response, so it agrees with them much but not
/// always; on the other 36, seeded values of each scale, so the prediction-powered means have responses of the judge's
/// alone.</summary>
public static class DemoJudge
{
    static readonly Dictionary<string, string[]> Scales = new()
    {
        ["consensus"] = ["1", "2", "3", "4", "5"], ["reasoning"] = ["1", "2", "3", "4", "5"],
        ["completeness"] = ["none", "minor", "major"], ["incorrect_content"] = ["none", "minor", "major"],
        ["harm_extent"] = ["none", "mild-moderate", "severe-death"], ["harm_likelihood"] = ["low", "medium", "high"],
        ["hallucination"] = ["false", "true"], ["overall"] = ["1", "2", "3", "4", "5"],
    };

    public static string Csv()
    {
        var pilot = new Dictionary<(string Response, string Criterion), List<string>>();
        using (var reader = CsvDataReader.Create(Path.Combine(TestPaths.DemoBundle, "ratings.csv")))
            while (reader.Read())
            {
                var key = (reader.GetString(0), reader.GetString(2));
                if (!pilot.TryGetValue(key, out var values)) pilot[key] = values = [];
                values.Add(reader.GetString(3));
            }
        var responses = File.ReadLines(Path.Combine(TestPaths.DemoBundle, "responses.jsonl"))
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("id").GetString()!).ToList();
        var random = new Random(19);
        var csv = new StringBuilder("response_id,criterion,value\n");
        for (var i = 0; i < responses.Count; i++)
            foreach (var (criterion, scale) in Scales)
            {
                string value;
                if (pilot.TryGetValue((responses[i], criterion), out var given))
                {
                    var majority = given.GroupBy(v => v).OrderByDescending(g => g.Count()).ThenBy(g => Array.IndexOf(scale, g.Key)).First().Key;
                    var position = Array.IndexOf(scale, majority);
                    if (i % 3 == 0 && criterion is "consensus" or "overall") position = Math.Min(position + 1, scale.Length - 1);
                    value = scale[position];
                }
                else value = scale[random.Next(scale.Length)];
                csv.Append(CultureInfo.InvariantCulture, $"{responses[i]},{criterion},{value}\n");
            }
        return csv.ToString();
    }
}
