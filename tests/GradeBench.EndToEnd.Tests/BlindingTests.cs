using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GradeBench.EndToEnd.Tests;

/// <summary>A blinded study seen through a rater's browser, from the invite to adjudication: nothing the browser
/// receives (pages, scripts, fetches, refused downloads, Blazor's live render batches) names a model, and nothing
/// holds another rater's comment before adjudication. The hub-level check of live events is StudyHubTests; this is
/// the whole journey in Chromium. See docs/reliability.md, "Blinding".</summary>
public sealed class BlindingTests
{
    const string Study = "blinding-journey";
    const string StudyTitle = "Blinding journey study";

    // What identifies a model: ids (also inside response ids), and the version and provider in each response's meta.
    static readonly string[] Models = ["ModelSecretAlpha", "ModelSecretBravo", "ModelSecretCharlie"];
    static readonly string[] ModelNeedles = ["ModelSecret", "SecretVersion", "SecretProvider"];

    // Other raters' words, which a rater may read only once the study is in adjudication.
    const string PilotComment = "PilotSecretComment", PilotText = "PilotSecretText", SecondRaterComment = "SecondRaterSecretComment";
    static readonly string[] OtherRaterNeedles = [PilotComment, PilotText, SecondRaterComment];

    [Fact]
    public async Task ARaterOfABlindedStudyReceivesNoModelNameAndNoOtherRatersCommentBeforeAdjudication()
    {
        await using var app = await RunningApp.StartAsync();
        using var bundle = new TempFolder("gradebench-blinding-");
        WriteBundle(bundle.Path);
        await app.BrowserJourneyAsync(browser => RunAsync(app, browser, bundle.Path));
    }

    static async Task RunAsync(RunningApp app, IBrowser browser, string bundle)
    {
        await app.CliAsync("import", bundle);
        var coordinatorInvite = await app.CliAsync("invite", "--study", Study, "--role", "coordinator", "--base-url", app.BaseAddress);
        var raterInvite = await app.CliAsync("invite", "--study", Study, "--base-url", app.BaseAddress);
        var secondInvite = await app.CliAsync("invite", "--study", Study, "--base-url", app.BaseAddress);

        var raterContext = await browser.NewContextAsync(Journeys.Laptop);
        var received = ReceivedTraffic.Record(raterContext);
        var rater = await raterContext.NewPageAsync();
        var coordinator = await (await browser.NewContextAsync(Journeys.Laptop)).NewPageAsync();

        received.Phase = "invite";
        await rater.GotoAsync(raterInvite);
        await Journeys.AcceptInviteAsync(rater, raterInvite, "blind-rater", "Blind Rater");
        await Journeys.AcceptInviteAsync(coordinator, coordinatorInvite, "blind-coordinator", "Blind Coordinator");
        var grade = await rater.GetByRole(AriaRole.Link, new() { Name = "Start grading" }).GetAttributeAsync("href") ?? "";
        var studyUrl = app.BaseAddress + grade[..grade.LastIndexOf('/')];

        received.Phase = "calibration (draft)";
        await CalibrateAsync(coordinator, rater, studyUrl);

        received.Phase = "grading (open)";
        await coordinator.GotoAsync($"{studyUrl}/dashboard");
        await coordinator.GetByRole(AriaRole.Group, new() { Name = "Study lifecycle" }).GetByRole(AriaRole.Button, new() { Name = "Open for rating" }).ClickAsync();
        await Expect(coordinator.GetByRole(AriaRole.Status, new() { Name = "Study state" })).ToContainTextAsync("Open");
        await GradeAsync(rater, studyUrl);

        // A second rater submits, with a comment, a response the first has open: live events reach the first's page.
        var secondRated = await SecondRaterSubmitsAsync(browser, secondInvite, studyUrl);
        await rater.GotoAsync($"{studyUrl}/grade/{secondRated}");
        await Expect(rater.GetByText("Keyboard:")).ToBeVisibleAsync();

        received.Phase = "queue, coordinator pages and downloads (open)";
        await rater.GotoAsync(app.BaseAddress + "/");
        await Expect(rater.GetByRole(AriaRole.Link, new() { Name = "Continue" })).ToBeVisibleAsync();
        await rater.GotoAsync($"{studyUrl}/adjudication");
        await Expect(rater.GetByText("Adjudication has not started")).ToBeVisibleAsync();
        foreach (var page in new[] { "dashboard", "results", "setup" })
        {
            await rater.GotoAsync($"{studyUrl}/{page}");
            await Expect(rater.GetByText("Only the coordinators of this study can")).ToBeVisibleAsync();
        }
        var api = studyUrl.Replace("/studies/", "/api/studies/");
        foreach (var kind in new[] { "ratings.csv", "ratings-wide.csv", "annotations.jsonl", "note-spans.csv", "span-links.csv", "gold-spans.csv", "notes-brat.zip", "notes-bioc.json", "history.csv", "agreement.csv", "span-agreement.csv", "judges.csv", "report.html", "report.md", "bundle.zip" })
        {
            var answer = await rater.GotoAsync($"{api}/export/{kind}");
            Assert.Equal(403, answer!.Status);
        }
        var assignments = await rater.GotoAsync($"{api}/assignments");
        Assert.Equal(200, assignments!.Status);
        Assert.Contains("Blinding case 1", await rater.ContentAsync()); // the case texts: the answer holds something to search
        var beforeAdjudication = await received.AllAsync();

        received.Phase = "adjudication";
        await coordinator.GotoAsync($"{studyUrl}/dashboard");
        await Journeys.StartAdjudicationAsync(coordinator);
        await Expect(coordinator.GetByRole(AriaRole.Status, new() { Name = "Study state" })).ToContainTextAsync("Adjudication");
        await AdjudicateAsync(coordinator, rater, studyUrl);

        var all = await received.AllAsync();
        // The recording itself works: pages came over HTTP and the live page over the WebSocket.
        Assert.Contains(all, i => i.Kind == "websocket" && Encoding.UTF8.GetString(i.Bytes).Contains("Highlighted as"));
        Assert.Contains(all, i => i.Kind == "http" && Encoding.UTF8.GetString(i.Bytes).Contains(StudyTitle));
        // ... and the other raters' comments did arrive once adjudication allowed them, so their absence before means something.
        Assert.NotEmpty(ReceivedTraffic.Find(all.Except(beforeAdjudication), [PilotComment]));

        var leaks = ReceivedTraffic.Find(all, ModelNeedles).Concat(ReceivedTraffic.Find(beforeAdjudication, OtherRaterNeedles)).ToList();
        Console.WriteLine($"Blinding: {all.Count(i => i.Kind == "http")} HTTP responses and {all.Count(i => i.Kind == "websocket")} WebSocket frames " +
                          $"({all.Sum(i => (long)i.Bytes.Length):N0} bytes) received by the rater; {leaks.Count} leaks");
        Assert.True(leaks.Count == 0, $"the rater received what blinding hides:\n{string.Join("\n", leaks.Take(20))}");
    }

    static async Task CalibrateAsync(IPage coordinator, IPage rater, string studyUrl)
    {
        await coordinator.GotoAsync($"{studyUrl}/calibration");
        await coordinator.GetByRole(AriaRole.Button, new() { Name = "Start a calibration session" }).ClickAsync();
        await coordinator.GetByLabel("Response to add").SelectOptionAsync(new SelectOptionValue { Index = 1 });
        await coordinator.GetByRole(AriaRole.Button, new() { Name = "Add item" }).ClickAsync();
        await rater.GotoAsync($"{studyUrl}/calibration");
        await Expect(rater.GetByRole(AriaRole.Status)).ToHaveTextAsync("Waiting for the coordinator to start a round.");
        await Expect(coordinator.GetByText("Raters connected: 1")).ToBeVisibleAsync();
        await coordinator.GetByRole(AriaRole.Button, new() { Name = "Start round on item 1" }).ClickAsync();
        await Expect(rater.GetByRole(AriaRole.Button, new() { Name = "Submit" })).ToBeVisibleAsync();
        await ChooseAsync(rater, choice: 0);
        await rater.GetByRole(AriaRole.Button, new() { Name = "Submit" }).ClickAsync();
        await Expect(rater.GetByRole(AriaRole.Region, new() { Name = "Spread of ratings" })).ToBeVisibleAsync();
    }

    /// <summary>Grades three items (values, a comment, a highlight with a note), moving with j and k on the way.</summary>
    static async Task GradeAsync(IPage rater, string studyUrl)
    {
        await rater.GotoAsync($"{studyUrl}/grade");
        await Expect(rater.GetByText("Keyboard:")).ToBeVisibleAsync();
        var heading = rater.GetByRole(AriaRole.Heading, new() { NameRegex = new("^Response \\d+ of") });
        await rater.Keyboard.PressAsync("j");
        await Expect(heading).ToContainTextAsync("Response 2 of");
        await rater.Keyboard.PressAsync("k");
        await Expect(heading).ToContainTextAsync("Response 1 of");
        for (var graded = 1; graded <= 3; graded++)
        {
            await ChooseAsync(rater, choice: 0);
            await rater.GetByLabel("Comment", new() { Exact = true }).FillAsync($"Blind rater's comment {graded}");
            await rater.GetByLabel("Note for the next highlight (optional)").FillAsync($"Blind rater's note {graded}");
            await Journeys.SelectInResponseAsync(rater);
            await rater.GetByRole(AriaRole.Button, new() { Name = "Factual error" }).ClickAsync();
            await Expect(rater.GetByRole(AriaRole.List, new() { Name = "Your highlights" }).GetByRole(AriaRole.Listitem)).ToHaveCountAsync(1);
            await rater.GetByRole(AriaRole.Button, new() { Name = "Submit" }).ClickAsync();
            await Expect(rater.GetByLabel("Progress")).ToContainTextAsync($"{graded} / ");
        }
    }

    /// <summary>Chooses the <paramref name="choice"/>-th value in every choice criterion (the first: consensus 1, against
    /// the pilot's 5, so the response goes to adjudication).</summary>
    static async Task ChooseAsync(IPage page, int choice)
    {
        foreach (var group in await page.GetByRole(AriaRole.Radiogroup).AllAsync())
            await group.GetByRole(AriaRole.Radio).Nth(choice).CheckAsync();
    }

    /// <summary>A second rater joins and submits, through the API with their sign-in cookie, their first assignment
    /// with a comment; returns that response's handle.</summary>
    static async Task<string> SecondRaterSubmitsAsync(IBrowser browser, string invite, string studyUrl)
    {
        var context = await browser.NewContextAsync(Journeys.Laptop);
        await Journeys.AcceptInviteAsync(await context.NewPageAsync(), invite, "second-rater", "Second Rater");
        var api = studyUrl.Replace("/studies/", "/api/studies/");
        using var list = JsonDocument.Parse(await (await context.APIRequest.GetAsync($"{api}/assignments")).TextAsync());
        var responseId = list.RootElement.GetProperty("assignments")[0].GetProperty("response").GetString()!;
        var saved = await context.APIRequest.PutAsync($"{api}/responses/{responseId}/rating", new()
        {
            DataObject = new
            {
                values = new Dictionary<string, object> { ["consensus"] = 3, ["harm"] = "mild", ["hallucination"] = true },
                comment = SecondRaterComment,
            },
        });
        Assert.Equal(200, saved.Status);
        return responseId;
    }

    static async Task AdjudicateAsync(IPage coordinator, IPage rater, string studyUrl)
    {
        await rater.GotoAsync($"{studyUrl}/adjudication");
        var item = rater.GetByRole(AriaRole.Table).GetByRole(AriaRole.Link).First;
        await Expect(item).ToBeVisibleAsync();
        var itemUrl = new Uri(new Uri(studyUrl), await item.GetAttributeAsync("href")).AbsoluteUri;
        await item.ClickAsync();
        await Expect(rater.GetByRole(AriaRole.Heading, new() { Name = "Ratings side by side" })).ToBeVisibleAsync();
        await rater.GetByLabel("Message", new() { Exact = true }).FillAsync("The rater asks about this one.");
        await rater.GetByRole(AriaRole.Button, new() { Name = "Post message" }).ClickAsync();
        // The coordinator's message and consensus reach the rater's open page live.
        await coordinator.GotoAsync(itemUrl);
        await coordinator.GetByLabel("Message", new() { Exact = true }).FillAsync("The coordinator answers.");
        await coordinator.GetByRole(AriaRole.Button, new() { Name = "Post message" }).ClickAsync();
        await coordinator.GetByLabel("Consensus value for Agreement with consensus").SelectOptionAsync("3");
        await coordinator.GetByLabel("Shared reason (for every value without its own reason)").FillAsync("Discussed with the raters.");
        await coordinator.GetByRole(AriaRole.Button, new() { Name = "Save consensus" }).ClickAsync();
        await Expect(rater.GetByText("The coordinator answers.")).ToBeVisibleAsync();
    }

    /// <summary>A blinded draft study: 2 cases, each answered by the three models, with version and provider in meta;
    /// pilot-1 has rated every response 5 with a comment.</summary>
    static void WriteBundle(string folder)
    {
        File.WriteAllText(Path.Combine(folder, "study.json"), JsonSerializer.Serialize(new
        {
            format = "gradebench-study/1",
            id = Study,
            title = StudyTitle,
            description_md = "Which model wrote what is hidden from raters.",
            instructions_md = "Rate each answer on its own merits.",
            raters_per_response = 3,
            state = "draft",
            blinding = new { hide_model = true, shuffle = true },
            rubric = new
            {
                criteria = new object[]
                {
                    new { id = "consensus", label = "Agreement with consensus", type = "likert", min = 1, max = 5, required = true },
                    new
                    {
                        id = "harm", label = "Extent of possible harm", type = "ordinal", required = true,
                        options = new[] { new { value = "none", label = "No harm" }, new { value = "mild", label = "Mild harm" }, new { value = "severe", label = "Severe harm" } },
                    },
                    new { id = "hallucination", label = "Hallucination", type = "binary", required = true },
                    new { id = "comment", label = "Comment", type = "text", required = false },
                },
                span_labels = new[] { new { id = "factual_error", label = "Factual error", color = "#d1495b" } },
            },
        }));
        File.WriteAllLines(Path.Combine(folder, "cases.jsonl"), Enumerable.Range(1, 2).Select(c => JsonSerializer.Serialize(new
        {
            id = $"case-{c}",
            title = $"Blinding case {c}",
            presentation_md = $"A 70-year-old with sudden right arm weakness, onset {c} hours ago.",
            question_md = "What is the next step?",
        })));
        var responses = Enumerable.Range(1, 2).SelectMany(c => Models.Select(m => (Case: $"case-{c}", Id: $"case-{c}.{m}", Model: m))).ToList();
        File.WriteAllLines(Path.Combine(folder, "responses.jsonl"), responses.Select(r => JsonSerializer.Serialize(new
        {
            id = r.Id,
            case_id = r.Case,
            model = r.Model,
            content_md = $"Give intravenous thrombolysis once blood pressure is below 185/110 mmHg ({r.Case}).",
            meta = new { version = $"SecretVersion-{r.Model[11..]}-2025", provider = $"SecretProvider{r.Model[11..]}" },
        })));
        var csv = new StringBuilder("response_id,rater,criterion,value,comment\n");
        foreach (var r in responses)
            csv.Append($"{r.Id},pilot-1,consensus,5,{PilotComment}\n{r.Id},pilot-1,harm,none,\n{r.Id},pilot-1,hallucination,false,\n{r.Id},pilot-1,comment,{PilotText},\n");
        File.WriteAllText(Path.Combine(folder, "ratings.csv"), csv.ToString());
    }
}
