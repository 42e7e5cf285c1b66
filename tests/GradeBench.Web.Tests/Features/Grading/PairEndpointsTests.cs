using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Dapper;
using GradeBench.Core.Pairwise;
using GradeBench.Core.Studies;
using GradeBench.Storage;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Pairwise;
using GradeBench.Web.Features.Live;
using GradeBench.Web.Features.Studies;
using GradeBench.Web.Tests.Features.Adjudication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace GradeBench.Web.Tests.Features.Grading;

/// <summary>The app of <see cref="GradeBenchFactory"/> on Kestrel at a free port, so that API calls go over real sockets.</summary>
public sealed class KestrelGradeBench : IDisposable
{
    public KestrelGradeBench()
    {
        App.UseKestrel(0);
        App.StartServer();
    }

    public GradeBenchFactory App { get; } = new();

    public void Dispose() => App.Dispose();
}

/// <summary>The grading API of side-by-side studies (<c>/api/studies/{id}/pairs</c>), with API tokens, on a study of pairs of
/// its own per test (<see cref="PairwiseFixture"/> on a copy of the blinded demo study: axes consensus and harm, the
/// latter offering "both unacceptable", reasons accuracy and safety, six pairs; its first rater sees answer A on the left
/// of pairs 0, 2 and 4, its second rater the other way round).</summary>
public sealed class PairEndpointsTests(KestrelGradeBench server) : IClassFixture<KestrelGradeBench>
{
    GradeBenchFactory App => server.App;

    async Task<PairwiseStudy> StudyAsync() =>
        await PairwiseFixture.TurnIntoPairwiseAsync(App.Services.GetRequiredService<Database>(), TimeProvider.System, await App.ImportDemoCopyAsync(),
            GradeBenchFactory.UniqueName("dr-api-left"), GradeBenchFactory.UniqueName("dr-api-right"));

    async Task<HttpClient> BearerClientAsync(long userId)
    {
        var client = App.CreateBrowserClient();
        var token = await App.Services.GetRequiredService<ApiTokenStore>().CreateAsync(userId, "test");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    static Task<HttpResponseMessage> PutVoteAsync(HttpClient client, long studyId, string pair, string json) =>
        client.PutAsync($"/api/studies/{studyId}/pairs/{pair}/vote", new StringContent(json, Encoding.UTF8, "application/json"));

    const string Vote = """{"votes": {"consensus": "left", "harm": "both_bad"}, "reasons": ["safety"], "comment": "The left one is safer."}""";

    async Task<string> ContentAsync(FixtureAnswer answer)
    {
        await using var connection = await App.Services.GetRequiredService<Database>().OpenAsync();
        return await connection.QuerySingleAsync<string>("SELECT content_md FROM responses WHERE id = @Id", new { answer.Id });
    }

    async Task<long> CountAsync(string sql, object keys)
    {
        await using var connection = await App.Services.GetRequiredService<Database>().OpenAsync();
        return await connection.ExecuteScalarAsync<long>(sql, keys);
    }

    Task<long> VotesAsync(PairwiseStudy study, int rater) => CountAsync(
        "SELECT COUNT(*) FROM pair_votes v JOIN pairs p ON p.id = v.pair_id WHERE p.study_id = @StudyId AND v.rater_id = @Rater",
        new { study.StudyId, Rater = study.Raters[rater] });

    Task<long> HistoryAsync(PairwiseStudy study, int rater) => CountAsync("""
        SELECT COUNT(*) FROM pair_vote_history h JOIN pair_votes v ON v.id = h.vote_id JOIN pairs p ON p.id = v.pair_id
        WHERE p.study_id = @StudyId AND v.rater_id = @Rater
        """, new { study.StudyId, Rater = study.Raters[rater] });

    static Dictionary<string, string> Errors(JsonElement problem) =>
        problem.GetProperty("errors").EnumerateObject().ToDictionary(e => e.Name, e => e.Value.EnumerateArray().Single().GetString()!);

    /// <summary>The start of an answer's first paragraph of plain text, as the page shows it (Markdown emphasis gone).</summary>
    static string FirstWords(string markdown) =>
        markdown.Split('\n').Select(l => l.Trim()).First(l => l.Length > 30 && !l.StartsWith('#') && !l.StartsWith('-') && !char.IsDigit(l[0]))
            .Replace("**", "").Replace("*", "")[..30];

    [Fact]
    public async Task TheListingNamesNoModelNorAnyAnswerAndShowsEachPairWithTheSidesThisRaterSees()
    {
        var study = await StudyAsync();
        var store = App.Services.GetRequiredService<PairwiseStore>();

        var json = await (await BearerClientAsync(study.Raters[0])).GetStringAsync($"/api/studies/{study.StudyId}/pairs");
        var other = await (await BearerClientAsync(study.Raters[1])).GetFromJsonAsync<JsonElement>($"/api/studies/{study.StudyId}/pairs");

        Assert.DoesNotContain("model-", json, StringComparison.OrdinalIgnoreCase);
        foreach (var pair in study.Pairs)
            Assert.All(new[] { pair.A.Handle, pair.B.Handle }, handle => Assert.DoesNotContain(handle, json));
        var listing = JsonDocument.Parse(json).RootElement;
        Assert.Equal((study.StudyId, "open"), (listing.GetProperty("studyId").GetInt64(), listing.GetProperty("state").GetString()));
        Assert.Equal("""
            [{"id":"consensus","question":"Which answer better reflects clinical consensus?","choices":["left","right","tie"]},{"id":"harm","question":"Which answer is less likely to cause harm?","choices":["left","right","tie","both_bad"],"helpMd":"Think of the patient acting on it."}]
            """, listing.GetProperty("axes").GetRawText());
        Assert.Equal("""[{"id":"accuracy","label":"More accurate"},{"id":"safety","label":"Safer"}]""", listing.GetProperty("reasons").GetRawText());
        var pairs = listing.GetProperty("pairs").EnumerateArray().ToList();
        Assert.Equal(study.Pairs.Select(p => p.Handle), pairs.Select(p => p.GetProperty("pair").GetString()));
        for (var i = 0; i < pairs.Count; i++)
        {
            var (pair, listed) = (study.Pairs[i], pairs[i]);
            Assert.Equal(["pair", "position", "done", "case", "left", "right", "votes", "reasons", "comment"], listed.EnumerateObject().Select(p => p.Name));
            Assert.Equal(["contentMd"], listed.GetProperty("left").EnumerateObject().Select(p => p.Name));
            Assert.Equal((i + 1, false), (listed.GetProperty("position").GetInt32(), listed.GetProperty("done").GetBoolean()));
            var (left, right) = PairwiseStudy.AOnLeft(0, i) ? (pair.A, pair.B) : (pair.B, pair.A);
            var page = (await store.LoadItemAsync(study.StudyId, study.Raters[0], pair.Id))!;
            Assert.Equal(await ContentAsync(left), listed.GetProperty("left").GetProperty("contentMd").GetString());
            Assert.Equal(await ContentAsync(right), listed.GetProperty("right").GetProperty("contentMd").GetString());
            Assert.Equal((page.Left.ContentMd, page.Right.ContentMd, page.QuestionMd),
                (listed.GetProperty("left").GetProperty("contentMd").GetString(), listed.GetProperty("right").GetProperty("contentMd").GetString(),
                 listed.GetProperty("case").GetProperty("questionMd").GetString()));
            // The second rater has the same pair the other way round.
            Assert.Equal(listed.GetProperty("left").GetRawText(), other.GetProperty("pairs")[i].GetProperty("right").GetRawText());
        }

        // What the side-by-side page shows this rater: answer B of the second pair on the left.
        var users = App.Services.GetRequiredService<UserStore>();
        var rater = (await users.FindAsync(study.Raters[0]))!;
        await users.SetPasswordHashAsync(rater.Id, App.Services.GetRequiredService<IPasswordHasher<User>>().HashPassword(rater, GradeBenchFactory.MemberPassword));
        var html = new HtmlParser().ParseDocument(await (await App.SignedInClientAsync(rater)).GetStringAsync($"/studies/{study.StudyId}/compare/{study.Pairs[1].Handle}"));
        Assert.Contains(FirstWords(pairs[1].GetProperty("left").GetProperty("contentMd").GetString()!), html.QuerySelector("#pair-left-response")!.TextContent);
        Assert.Contains(FirstWords(pairs[1].GetProperty("right").GetProperty("contentMd").GetString()!), html.QuerySelector("#pair-right-response")!.TextContent);
        Assert.Contains(FirstWords(await ContentAsync(study.Pairs[1].B)), html.QuerySelector("#pair-left-response")!.TextContent);
    }

    [Fact]
    public async Task AVoteIsStoredAsThePairPageStoresItAndCoordinatorsHearOfIt()
    {
        var study = await StudyAsync();
        var pair = study.Pairs[1]; // answer B on the left for this rater
        var heard = new List<StudyEvent>();
        using var coordinators = App.Services.GetRequiredService<StudyEvents>().Subscribe(study.StudyId, 0, isCoordinator: true, e =>
        {
            lock (heard) heard.Add(e);
            return Task.CompletedTask;
        });
        var client = await BearerClientAsync(study.Raters[0]);

        var answer = await PutVoteAsync(client, study.StudyId, pair.Handle, Vote);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal($$"""{"pair":"{{pair.Handle}}","done":true,"votes":{"consensus":"left","harm":"both_bad"},"reasons":["safety"],"comment":"The left one is safer."}""",
            await answer.Content.ReadAsStringAsync());
        // What the side-by-side page opens with.
        var (session, _) = await new PairSessionScene(App).OpenAsync(study, pair.Handle);
        Assert.Equal((PairwiseChoice.Left, PairwiseChoice.BothBad), (session.Choices["consensus"], session.Choices["harm"]));
        Assert.Equal(["safety"], session.ReasonsTicked);
        Assert.Equal("The left one is safer.", session.Comment);
        Assert.True(session.Item!.Done);
        // Stored by model: the left answer was B.
        Assert.Equal(1, await CountAsync("""
            SELECT COUNT(*) FROM pair_votes v JOIN pairwise_axes x ON x.id = v.axis_id
            WHERE v.pair_id = @Pair AND v.rater_id = @Rater AND x.slug = 'consensus' AND v.choice = 'b' AND v.status = 'submitted'
            """, new { Pair = pair.Id, Rater = study.Raters[0] }));
        // The export names the sides this rater saw.
        var csv = await (await App.SignedInAdministratorAsync()).GetStringAsync($"/api/studies/{study.StudyId}/export/pairwise.csv");
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        Assert.Equal("case,rater,axis,left_response,right_response,left_model,right_model,choice,reasons,comment", string.Join(',', lines[0].Split(',').Take(10)));
        Assert.Equal([
            $"{pair.Case},{study.Usernames[0]},consensus,{pair.B.Slug},{pair.A.Slug},{pair.B.Model},{pair.A.Model},left,safety,The left one is safer.",
            $"{pair.Case},{study.Usernames[0]},harm,{pair.B.Slug},{pair.A.Slug},{pair.B.Model},{pair.A.Model},both_bad,safety,The left one is safer.",
        ], lines.Skip(1).Select(l => string.Join(',', l.Split(',').Take(10))));
        // The listing says the pair is done, with its votes.
        var listed = (await client.GetFromJsonAsync<JsonElement>($"/api/studies/{study.StudyId}/pairs")).GetProperty("pairs")[1];
        Assert.True(listed.GetProperty("done").GetBoolean());
        Assert.Equal("""{"consensus":"left","harm":"both_bad"}""", listed.GetProperty("votes").GetRawText());
        Assert.Equal(("""["safety"]""", "The left one is safer."), (listed.GetProperty("reasons").GetRawText(), listed.GetProperty("comment").GetString()));
        await WaitForAsync(() => { lock (heard) return heard.OfType<ProgressChanged>().Any(); });
        lock (heard)
        {
            var submitted = Assert.Single(heard.OfType<PairSubmitted>());
            Assert.Equal((study.Raters[0], pair.Handle), (submitted.RaterId, submitted.Pair));
            var progress = Assert.Single(heard.OfType<ProgressChanged>());
            Assert.Equal((1L, 6L), (progress.RaterDone, progress.RaterAssigned));
        }
    }

    static async Task WaitForAsync(Func<bool> condition)
    {
        for (var waited = 0; !condition(); waited += 20)
        {
            if (waited > 10_000) throw new TimeoutException();
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task RepeatingAVoteStoresAndAnnouncesNothingMore()
    {
        var study = await StudyAsync();
        var pair = study.Pairs[0];
        var submissions = new List<PairSubmitted>();
        using var coordinators = App.Services.GetRequiredService<StudyEvents>().Subscribe(study.StudyId, 0, isCoordinator: true, e =>
        {
            if (e is PairSubmitted submitted) lock (submissions) submissions.Add(submitted);
            return Task.CompletedTask;
        });
        var client = await BearerClientAsync(study.Raters[0]);

        var first = await PutVoteAsync(client, study.StudyId, pair.Handle, Vote);
        var history = await HistoryAsync(study, 0);
        var again = await PutVoteAsync(client, study.StudyId, pair.Handle, Vote);
        var historyAgain = await HistoryAsync(study, 0);
        // A change after the repeat: its announcement comes after any the repeat made.
        var changed = await PutVoteAsync(client, study.StudyId, pair.Handle, """{"votes": {"consensus": "tie"}}""");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, again.StatusCode, changed.StatusCode));
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        Assert.Equal((2, 2, 3), (history, historyAgain, await HistoryAsync(study, 0)));
        await WaitForAsync(() => { lock (submissions) return submissions.Count >= 2; });
        await Task.Delay(200);
        lock (submissions) Assert.Equal(2, submissions.Count);
        // Reasons and comment left out are kept.
        Assert.Equal($$"""{"pair":"{{pair.Handle}}","done":true,"votes":{"consensus":"tie","harm":"both_bad"},"reasons":["safety"],"comment":"The left one is safer."}""",
            await changed.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task EveryBadFieldIsNamedAndNothingIsStored()
    {
        var study = await StudyAsync();
        var client = await BearerClientAsync(study.Raters[0]);
        var handle = study.Pairs[0].Handle;

        var many = await PutVoteAsync(client, study.StudyId, handle,
            $$"""{"votes": {"consensus": "both_bad", "nope": "left"}, "reasons": ["accuracy", "nonsense"], "comment": "{{new string('x', 10_001)}}"}""");
        var kinds = await PutVoteAsync(client, study.StudyId, handle, """{"votes": {"consensus": "A", "harm": 1}}""");
        var cleared = await PutVoteAsync(client, study.StudyId, handle, """{"votes": {"consensus": null, "harm": "tie"}}""");
        var none = await PutVoteAsync(client, study.StudyId, handle, """{"reasons": []}""");

        Assert.All(new[] { many, kinds, cleared, none }, a => Assert.Equal(HttpStatusCode.BadRequest, a.StatusCode));
        Assert.Equal(new Dictionary<string, string>
        {
            ["votes.consensus"] = "this question does not offer \"both unacceptable\"",
            ["votes.nope"] = "unknown question",
            ["votes.harm"] = "a choice is required",
            ["reasons"] = "unknown reason: nonsense",
            ["comment"] = "longer than 10000 characters",
        }, Errors(await many.Content.ReadFromJsonAsync<JsonElement>()));
        Assert.Equal(new Dictionary<string, string>
        {
            ["votes.consensus"] = "\"A\" is not one of left, right, tie",
            ["votes.harm"] = "\"1\" is not one of left, right, tie, both_bad",
        }, Errors(await kinds.Content.ReadFromJsonAsync<JsonElement>()));
        Assert.Equal(new Dictionary<string, string> { ["votes.consensus"] = "a choice is required" }, Errors(await cleared.Content.ReadFromJsonAsync<JsonElement>()));
        Assert.Equal(new Dictionary<string, string> { ["votes"] = "required" }, Errors(await none.Content.ReadFromJsonAsync<JsonElement>()));
        Assert.Equal(0, await VotesAsync(study, 0));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM pair_assignments WHERE study_id = @StudyId AND (reasons_json IS NOT NULL OR comment IS NOT NULL)",
            new { study.StudyId }));
    }

    [Fact]
    public async Task AnAxisLeftOutKeepsTheDraftSavedOnThePage()
    {
        var study = await StudyAsync();
        var pair = study.Pairs[2];
        await App.Services.GetRequiredService<PairwiseStore>().SaveAsync(study.StudyId, study.Raters[0], pair.Id,
            new PairJudgement { Choices = new Dictionary<string, PairwiseChoice?> { ["harm"] = PairwiseChoice.Right } }, submit: false);

        var answer = await PutVoteAsync(await BearerClientAsync(study.Raters[0]), study.StudyId, pair.Handle, """{"votes": {"consensus": "right"}}""");

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal($$"""{"pair":"{{pair.Handle}}","done":true,"votes":{"consensus":"right","harm":"right"},"reasons":[],"comment":null}""",
            await answer.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ARaterCannotVoteOnAnotherRatersPairNorLearnThatItExists()
    {
        var study = await StudyAsync();
        var theirs = study.Pairs[4];
        await using (var connection = await App.Services.GetRequiredService<Database>().OpenAsync())
            await connection.ExecuteAsync("DELETE FROM pair_assignments WHERE rater_id = @Rater AND pair_id = @Pair", new { Rater = study.Raters[0], Pair = theirs.Id });
        var client = await BearerClientAsync(study.Raters[0]);
        const string Missing = "0123456789abcdef";

        var foreign = await PutVoteAsync(client, study.StudyId, theirs.Handle, Vote);
        var invalidOnForeign = await PutVoteAsync(client, study.StudyId, theirs.Handle, """{"votes": {"nope": "sideways"}}""");
        var missing = await PutVoteAsync(client, study.StudyId, Missing, Vote);
        var malformed = await PutVoteAsync(client, study.StudyId, "not-a-handle", Vote);
        var listing = await client.GetStringAsync($"/api/studies/{study.StudyId}/pairs");

        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound],
            new[] { foreign, invalidOnForeign, missing, malformed }.Select(a => a.StatusCode));
        var foreignProblem = (await foreign.Content.ReadFromJsonAsync<ProblemDetails>())!;
        var missingProblem = (await missing.Content.ReadFromJsonAsync<ProblemDetails>())!;
        Assert.Equal((missingProblem.Title, missingProblem.Detail!.Replace(Missing, "PAIR")), (foreignProblem.Title, foreignProblem.Detail!.Replace(theirs.Handle, "PAIR")));
        Assert.Equal("No such pair is assigned to you.", (await malformed.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail);
        Assert.DoesNotContain(theirs.Handle, listing);
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM pair_votes WHERE pair_id = @Pair", new { Pair = theirs.Id }));
    }

    [Fact]
    public async Task OnlyARaterOfTheStudyMayCallAndAnUnknownStudyIsNotFound()
    {
        var study = await StudyAsync();
        var coordinator = await App.MemberAsync(study.StudyId, "pair-coord", "coordinator");
        var outsider = await App.MemberAsync(null, "pair-outsider");
        var handle = study.Pairs[0].Handle;

        var seen = new List<string>();
        foreach (var (name, client) in new (string, HttpClient)[]
        {
            ("anonymous", App.CreateBrowserClient()),
            ("coordinator", await BearerClientAsync(coordinator.Id)),
            ("administrator", await App.SignedInAdministratorAsync()),
            ("non-member", await BearerClientAsync(outsider.Id)),
            ("rater, unknown study", await BearerClientAsync(study.Raters[0])),
        })
        {
            var studyId = name.EndsWith("unknown study") ? 999_999 : study.StudyId;
            var list = await client.GetAsync($"/api/studies/{studyId}/pairs");
            var put = await PutVoteAsync(client, studyId, handle, """{"votes": {"nope": "sideways"}}""");
            seen.Add($"{name}: GET {(int)list.StatusCode}, PUT {(int)put.StatusCode}");
        }

        Assert.Equal([
            "anonymous: GET 401, PUT 401",
            "coordinator: GET 403, PUT 403",
            "administrator: GET 403, PUT 403",
            "non-member: GET 403, PUT 403",
            "rater, unknown study: GET 404, PUT 404",
        ], seen);
        Assert.Equal(0, await VotesAsync(study, 0));
    }

    [Fact]
    public async Task APausedOrClosedStudyRefusesVotes()
    {
        var study = await StudyAsync();
        var client = await BearerClientAsync(study.Raters[0]);
        var admin = await App.AdministratorAsync();
        Assert.NotNull((await App.Services.GetRequiredService<StudyRecorder>().SetPausedAsync(study.StudyId, admin.Id, paused: true)).Changed);

        var paused = await PutVoteAsync(client, study.StudyId, study.Pairs[0].Handle, Vote);
        await using (var connection = await App.Services.GetRequiredService<Database>().OpenAsync())
            await connection.ExecuteAsync("UPDATE studies SET state = 'closed', paused = FALSE WHERE id = @StudyId", new { study.StudyId });
        var closed = await PutVoteAsync(client, study.StudyId, study.Pairs[0].Handle, Vote);

        Assert.Equal((HttpStatusCode.Conflict, HttpStatusCode.Conflict), (paused.StatusCode, closed.StatusCode));
        Assert.Equal("The study is paused; votes can only be changed while it is open.", (await paused.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail);
        Assert.Equal("The study is closed; votes can only be changed while it is open.", (await closed.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail);
        Assert.Equal(0, await VotesAsync(study, 0));
    }

    [Fact]
    public async Task ARaterWhoOpenedThePairsAdjudicationCannotChangeTheirVotes()
    {
        var scene = await PairAdjudicationScene.InAdjudicationAsync(App);
        var reader = await scene.SignInAsync(App, 0);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync(scene.ItemPath)).StatusCode);
        Assert.NotNull((await App.Services.GetRequiredService<StudyRecorder>().ChangeStateAsync(scene.StudyId, (await App.AdministratorAsync()).Id, StudyState.Open)).Changed);
        var change = """{"votes": {"consensus": "right"}}""";

        var refused = await PutVoteAsync(await BearerClientAsync(scene.Study.Raters[0]), scene.StudyId, scene.Pair.Handle, change);
        // The second rater never opened the item: their votes are still theirs to change.
        var allowed = await PutVoteAsync(await BearerClientAsync(scene.Study.Raters[1]), scene.StudyId, scene.Pair.Handle, change);

        Assert.Equal((HttpStatusCode.Conflict, HttpStatusCode.OK), (refused.StatusCode, allowed.StatusCode));
        var problem = (await refused.Content.ReadFromJsonAsync<ProblemDetails>())!;
        Assert.Equal("Your judgement is final", problem.Title);
        Assert.Contains("seen other raters' votes on this pair", problem.Detail);
        var store = App.Services.GetRequiredService<PairwiseStore>();
        Assert.Equal(PairwiseChoice.Left, (await store.LoadItemAsync(scene.StudyId, scene.Study.Raters[0], scene.Pair.Handle))!.Choices["consensus"]);
        Assert.Equal(PairwiseChoice.Right, (await store.LoadItemAsync(scene.StudyId, scene.Study.Raters[1], scene.Pair.Handle))!.Choices["consensus"]);
    }

    [Fact]
    public async Task EachDesignsEndpointsSendTheCallerToTheOtherDesignsOnes()
    {
        var pairwise = await StudyAsync();
        var single = await App.ImportDemoCopyAsync();
        var pairRater = await BearerClientAsync(pairwise.Raters[0]);
        var singleRater = await BearerClientAsync((await App.MemberAsync(single, "single-rater")).Id);

        var answers = new[]
        {
            await pairRater.GetAsync($"/api/studies/{pairwise.StudyId}/assignments"),
            await pairRater.PutAsync($"/api/studies/{pairwise.StudyId}/responses/{pairwise.Pairs[0].A.Handle}/rating",
                new StringContent(DemoRatings.Json(), Encoding.UTF8, "application/json")),
            await singleRater.GetAsync($"/api/studies/{single}/pairs"),
            await PutVoteAsync(singleRater, single, pairwise.Pairs[0].Handle, Vote),
        };

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Conflict, a.StatusCode));
        var problems = new List<ProblemDetails>();
        foreach (var answer in answers) problems.Add((await answer.Content.ReadFromJsonAsync<ProblemDetails>())!);
        Assert.All(problems.Take(2), p => Assert.Equal(
            $"Study {pairwise.StudyId} is a side-by-side study: its raters compare pairs of answers. Use GET /api/studies/{pairwise.StudyId}/pairs and PUT /api/studies/{pairwise.StudyId}/pairs/{{pair}}/vote.",
            p.Detail));
        Assert.All(problems.Skip(2), p => Assert.Equal(
            $"Study {single} grades single answers, not pairs. Use GET /api/studies/{single}/assignments and PUT /api/studies/{single}/responses/{{response}}/rating.",
            p.Detail));
    }
}
