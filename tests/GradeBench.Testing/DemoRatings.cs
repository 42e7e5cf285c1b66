namespace GradeBench.Testing;

/// <summary>Ratings of the demo study's rubric (data/demo-stroke/study.json) that fill every required criterion on
/// its scale, so that a submit succeeds.</summary>
public static class DemoRatings
{
    /// <summary>A complete rating of a sound answer (4 of 5, nothing missing or wrong, no harm, nothing made up),
    /// with each of <paramref name="changes"/> written over it.</summary>
    public static Dictionary<string, string?> Complete(params (string Criterion, string? Value)[] changes)
    {
        var values = new Dictionary<string, string?>
        {
            ["consensus"] = "4", ["reasoning"] = "4", ["completeness"] = "none", ["incorrect_content"] = "none",
            ["harm_extent"] = "none", ["harm_likelihood"] = "low", ["hallucination"] = "false", ["overall"] = "4",
        };
        foreach (var (criterion, value) in changes) values[criterion] = value;
        return values;
    }

    /// <summary>A complete rating as the JSON API takes it, with values as JSON numbers, strings and booleans the way
    /// a script might send them; <paramref name="comment"/> goes in as it is, unescaped.</summary>
    public static string Json(string comment = "Clear and correct.") => $$"""
        {"values": {"consensus": 4, "reasoning": "4", "completeness": "none", "incorrect_content": "minor",
                    "harm_extent": "none", "harm_likelihood": "low", "hallucination": false, "overall": 4.0},
         "comment": "{{comment}}"}
        """;
}
