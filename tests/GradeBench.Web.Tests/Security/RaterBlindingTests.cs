using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using AngleSharp.Html.Parser;
using GradeBench.Core.Studies;
using GradeBench.Storage.Studies;
using GradeBench.Web.Features.Flags;
using GradeBench.Web.Features.Live;
using Microsoft.Extensions.DependencyInjection;

namespace GradeBench.Web.Tests.Security;

/// <summary>Blinding against arithmetic (issue 16): a study of four models, a fifth added later on the set-up page,
/// three raters. From everything a rater receives (the API, every grading page's markup, the live events sent to
/// them, their queue order and "Response N of M"), no model is predictable better than chance.</summary>
public sealed partial class RaterBlindingTests(GradeBenchFactory factory) : IClassFixture<GradeBenchFactory>
{
    const int Cases = 40;
    static readonly string[] FirstModels = ["model-a", "model-b", "model-c", "model-d"];
    const string LaterModel = "model-e";
    /// <summary>χ² critical value for 16 degrees of freedom ((5 models − 1) × (5 quintiles − 1)) at α = 10⁻⁶: the handles
    /// are truly random, so a false alarm must be rare across CI runs, while a leak of the model gives hundreds (a model
    /// fully determining the quintile gives n·4 = 800).</summary>
    const double ChiSquareCritical = 58.324;

    sealed record Seen(string Handle, string Model, long Position, long Assigned);

    [Fact]
    public async Task NothingARaterReceivesPredictsTheModelBetterThanChance()
    {
        var (studyId, slug, raters) = await StudyWithLaterBatchAsync();
        var models = await ModelsByHandleAsync(studyId);
        var seen = new List<Seen>();
        var received = new StringBuilder();
        foreach (var rater in raters)
        {
            var client = await factory.SignedInClientAsync(rater);
            var json = await client.GetStringAsync($"/api/studies/{studyId}/assignments");
            received.AppendLine(json);
            var assignments = JsonDocument.Parse(json).RootElement.GetProperty("assignments").EnumerateArray().ToList();
            Assert.All(assignments, a => Assert.False(a.TryGetProperty("responseId", out _)));
            foreach (var a in assignments)
            {
                var handle = a.GetProperty("response").GetString()!;
                seen.Add(new Seen(handle, models[handle], a.GetProperty("position").GetInt64(), assignments.Count));
                received.AppendLine(await PageAsync(client, studyId, handle, a.GetProperty("position").GetInt64(), assignments.Count));
            }
            received.AppendLine(await FlagEventsAsync(studyId, rater.Id, assignments.Take(5).Select(a => a.GetProperty("response").GetString()!)));
        }

        // Model against the rank of the handle and against the place in the rater's queue.
        Assert.InRange(ChiSquare(seen.Select(s => (s.Model, Quintile(Rank(seen, s), seen.Count)))), 0, ChiSquareCritical);
        Assert.InRange(ChiSquare(seen.Select(s => (s.Model, Quintile(s.Position - 1, s.Assigned)))), 0, ChiSquareCritical);
        // The attack that worked: hash every guessed "<case>.<model>", sort, and read models off the order of what is seen.
        var guessed = Enumerable.Range(1, Cases).SelectMany(c => FirstModels.Append(LaterModel).Select(m => $"case-{c:D3}.{m}"))
            .Select(id => (Id: id, Hash: Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{slug}/{id}")))))
            .OrderBy(g => g.Hash, StringComparer.Ordinal).ToList();
        var text = received.ToString();
        Assert.DoesNotContain(guessed, g => text.Contains(g.Hash[..16], StringComparison.Ordinal));
        var predicted = seen.Count(s => guessed[(int)(Rank(seen, s) * guessed.Count / seen.Count)].Id.EndsWith(s.Model, StringComparison.Ordinal));
        // Chance is Σ share² ≈ 0.2 of the seen items; five standard deviations above it is no knowledge.
        var chance = seen.GroupBy(s => s.Model).Sum(g => Math.Pow((double)g.Count() / seen.Count, 2)) * seen.Count;
        Assert.InRange(predicted, 0, chance + 5 * Math.Sqrt(chance));
        Assert.DoesNotContain(LaterModel, text);
        Assert.DoesNotContain("model-", text);
    }

    [Fact]
    public async Task OpenItemRefusesAResponseNotAssignedToTheCaller()
    {
        var (studyId, _, raters) = await StudyWithLaterBatchAsync();
        var hub = HubCaller.HubAs(factory.Services, raters[0]);
        var grading = factory.Services.GetRequiredService<GradeBench.Storage.Grading.GradingStore>();
        var handles = factory.Services.GetRequiredService<GradeBench.Storage.Grading.ResponseHandleQuery>();
        var mine = (await grading.QueueAsync(studyId, raters[0].Id))[0].Handle;
        var theirs = (await grading.QueueAsync(studyId, raters[1].Id))[0].Handle;

        await hub.OpenItem(studyId, mine, grading, handles);
        var refused = await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => hub.OpenItem(studyId, theirs, grading, handles));
        Assert.Contains("not assigned to you", refused.Message);
        await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => hub.OpenItem(studyId, "1", grading, handles));
    }

    /// <summary>The grading page of one item: it names responses by handle only, and its "Response N of M" is the API's position.</summary>
    static async Task<string> PageAsync(HttpClient client, long studyId, string handle, long position, long assigned)
    {
        var html = await client.GetStringAsync($"/studies/{studyId}/grade/{handle}");
        var page = new HtmlParser().ParseDocument(html);
        var form = page.QuerySelector("form[data-response]")!;
        Assert.Equal(handle, form.GetAttribute("data-response"));
        Assert.EndsWith(":" + handle, form.GetAttribute("data-journal"));
        Assert.Equal($"Response {position} of {assigned}", page.GetElementById("response-heading")!.TextContent.Replace(" (submitted)", ""));
        var addresses = page.QuerySelectorAll("[href]").Select(e => e.GetAttribute("href")!).Concat(page.QuerySelectorAll("[id]").Select(e => e.Id!));
        Assert.DoesNotContain(addresses, a => GradeById().IsMatch(a));
        return html;
    }

    /// <summary>The live events a rater hears while flagging some of their items, as the hub serializes them.</summary>
    async Task<string> FlagEventsAsync(long studyId, long raterId, IEnumerable<string> handles)
    {
        var heard = new List<string>();
        var flags = handles.ToList();
        var allHeard = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var events = factory.Services.GetRequiredService<StudyEvents>();
        using (events.Subscribe(studyId, raterId, isCoordinator: false, e =>
               {
                   lock (heard)
                   {
                       heard.Add(JsonSerializer.Serialize(e, e.GetType(), JsonSerializerOptions.Web));
                       if (heard.Count == flags.Count) allHeard.TrySetResult();
                   }
                   return Task.CompletedTask;
               }))
        {
            foreach (var handle in flags)
            {
                var responseId = (await factory.Services.GetRequiredService<GradeBench.Storage.Grading.ResponseHandleQuery>().ResponseIdAsync(studyId, handle))!.Value;
                Assert.True(await factory.Services.GetRequiredService<FlagRecorder>().AddAsync(studyId, raterId, responseId, "Please check the dose."));
            }
            await allHeard.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
        Assert.All(heard, e => Assert.DoesNotContain("responseId", e));
        Assert.Contains(heard, e => e.Contains("\"response\":\""));
        return string.Join('\n', heard);
    }

    static long Rank(List<Seen> seen, Seen one) => seen.Count(s => string.CompareOrdinal(s.Handle, one.Handle) < 0);

    static int Quintile(long index, long count) => (int)(index * 5 / count);

    /// <summary>Pearson's χ² statistic of independence of the two variables over the observed pairs.</summary>
    static double ChiSquare(IEnumerable<(string Row, int Column)> pairs)
    {
        var list = pairs.ToList();
        var rows = list.GroupBy(p => p.Row).ToDictionary(g => g.Key, g => g.Count());
        var columns = list.GroupBy(p => p.Column).ToDictionary(g => g.Key, g => g.Count());
        var cells = list.GroupBy(p => p).ToDictionary(g => g.Key, g => g.Count());
        return rows.Sum(r => columns.Sum(c =>
        {
            var expected = (double)r.Value * c.Value / list.Count;
            var observed = cells.GetValueOrDefault((r.Key, c.Key));
            return (observed - expected) * (observed - expected) / expected;
        }));
    }

    /// <summary>Four models' answers to 40 cases, one rater per response, three raters, then a fifth model's 40 answers
    /// added on the set-up page.</summary>
    async Task<(long StudyId, string Slug, IReadOnlyList<GradeBench.Storage.Accounts.User> Raters)> StudyWithLaterBatchAsync()
    {
        var demo = BundleReader.Read(TestPaths.DemoBundle).Bundle!;
        var slug = "blind-" + Guid.NewGuid().ToString("N")[..12];
        var template = demo.Cases[0];
        var cases = Enumerable.Range(1, Cases).Select(c => template with { Id = $"case-{c:D3}", Title = $"Case {c}" }).ToList();
        static ModelResponse Answer(int c, string model) => new($"case-{c:D3}.{model}", $"case-{c:D3}", model, $"Answer to case {c}.", null);
        var bundle = new StudyBundle(demo.Study with { Id = slug, RatersPerResponse = 1 }, cases,
            [.. Enumerable.Range(1, Cases).SelectMany(c => FirstModels.Select(m => Answer(c, m)))], []);
        var studyId = (await factory.Services.GetRequiredService<StudyImporter>().ImportAsync(bundle, [])).StudyId!.Value;
        var raters = new List<GradeBench.Storage.Accounts.User>();
        for (var i = 0; i < 3; i++) raters.Add(await factory.MemberAsync(studyId, $"blind{i}", withPassword: true));
        var coordinator = await factory.MemberAsync(studyId, "blindcoord", "coordinator");
        var later = string.Join('\n', Enumerable.Range(1, Cases).Select(c => JsonSerializer.Serialize(new
        {
            id = $"case-{c:D3}.{LaterModel}", case_id = $"case-{c:D3}", model = LaterModel, content_md = $"Answer to case {c}.",
        })));
        var added = await factory.Services.GetRequiredService<StudySetupStore>().AddResponsesAsync(studyId, coordinator.Id, Encoding.UTF8.GetBytes(later));
        Assert.Equal(Cases, added.Added);
        return (studyId, slug, raters);
    }

    async Task<IReadOnlyDictionary<string, string>> ModelsByHandleAsync(long studyId)
    {
        await using var connection = await factory.Services.GetRequiredService<GradeBench.Storage.Database>().OpenAsync();
        return (await Dapper.SqlMapper.QueryAsync<(string Handle, string Model)>(connection,
            "SELECT handle, model FROM responses WHERE study_id = @StudyId", new { StudyId = studyId })).ToDictionary(r => r.Handle, r => r.Model);
    }

    [GeneratedRegex(@"/grade/\d+(?:$|[/?#])")]
    private static partial Regex GradeById();
}
