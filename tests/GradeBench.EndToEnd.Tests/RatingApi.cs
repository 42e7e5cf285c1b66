using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace GradeBench.EndToEnd.Tests;

/// <summary>A rater or coordinator scripted through the JSON API with a personal token (docs/api.md).</summary>
static class RatingApi
{
    public static HttpClient Client(string baseAddress, string token)
    {
        var client = new HttpClient { BaseAddress = new Uri(baseAddress), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>The handles of the responses assigned to the caller, in their queue order.</summary>
    public static async Task<List<string>> AssignedAsync(HttpClient client, long studyId)
    {
        using var list = JsonDocument.Parse(await client.GetStringAsync($"/api/studies/{studyId}/assignments"));
        return [.. list.RootElement.GetProperty("assignments").EnumerateArray().Select(a => a.GetProperty("response").GetString()!)];
    }

    /// <summary>Submits a complete rating of the demo rubric; any answer but 200 fails the test (there is no reason for
    /// one). The consensus value and the comment (none by default) are the caller's, so that a stored rating can show
    /// which submission it is.</summary>
    public static async Task SubmitDemoRatingAsync(HttpClient client, long studyId, string responseId, int consensus, string? comment = null)
    {
        var body = new Dictionary<string, object>
        {
            ["values"] = DemoRatings.Complete(("consensus", consensus.ToString(CultureInfo.InvariantCulture)), ("incorrect_content", "minor")),
        };
        if (comment is not null) body["comment"] = comment;
        using var answer = await client.PutAsync($"/api/studies/{studyId}/responses/{responseId}/rating",
            new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"));
        Assert.True(answer.StatusCode == HttpStatusCode.OK, $"PUT \"{comment}\": {(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
    }
}
