using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using static GradeBench.Testing.Corpus.XssPayloads;
using static Microsoft.Playwright.Assertions;

namespace GradeBench.EndToEnd.Tests;

/// <summary>The payload corpus (tests/corpus/XssPayloads.cs) in every free-text field a bundle, a form or a page
/// takes, shown in Chromium to a coordinator and a rater on every page of a study's life, and in report.html: no
/// dialog, no marker, no CSP violation, nothing active in the DOM, and each field's script tag shown as text.
/// See docs/reliability.md, "XSS".</summary>
public sealed class XssTests
{
    const string Study = "xss-study";

    // The fields, numbered: payload markers are field * 100 + payload, so a failure names the field.
    const int Title = 1, Description = 2, Instructions = 3;
    static readonly int[] Labels = [4, 5, 6, 7, 8, 9];      // likert, ordinal (harm), nominal, binary, numeric, text
    static readonly int[] Helps = [10, 11, 12, 13, 14, 15];
    static readonly int[] Anchors = [16, 17, 18];           // likert 1, 3, 5
    static readonly int[] HarmOptions = [19, 20, 21];
    static readonly int[] KindOptions = [22, 23];
    static readonly int[] SpanLabels = [24, 25];
    static readonly int[] CaseTitles = [26, 27], CaseTags = [28, 29], Presentations = [30, 31], Questions = [32, 33], References = [34, 35];
    static readonly int[] Contents = [36, 37, 38, 39];      // response r belongs to case r / 2
    static readonly int[] MetaValues = [40, 41, 42, 43];
    const int MetaKey = 44, PilotComment = 45, PilotText = 46;
    const int PilotOneName = 47, PilotTwoName = 48, CoordinatorName = 49, RaterName = 50;
    const int RaterComment = 51, SpanNote = 52, FlagNote = 53, CoordinatorMessage = 54, RaterMessage = 55, ConsensusReason = 56;
    const int SignInError = 57, SignInReturn = 58, MissingPath = 59, InviteToken = 60, UploadedCaseId = 61;

    static readonly Dictionary<int, string> Names = [];

    static string Plain(int field, string name) => Remember(field, name, Text(field, name, markdown: false));
    static string Markdown(int field, string name) => Remember(field, name, Text(field, name, markdown: true));

    static string Remember(int field, string name, string text)
    {
        lock (Names) Names[field] = name;
        return text;
    }

    static int[] Rubric => [.. Labels, .. Anchors, .. HarmOptions, .. KindOptions];

    [Fact]
    public async Task NoPayloadRunsOnAnyPageOfAStudysLifeNorInItsReport()
    {
        await using var app = await RunningApp.StartAsync();
        using var bundle = new TempFolder("gradebench-xss-");
        WriteBundle(bundle.Path);
        await app.BrowserJourneyAsync(browser => RunAsync(app, browser, bundle.Path));
    }

    static async Task RunAsync(RunningApp app, IBrowser browser, string bundle)
    {
        // The pilot raters of ratings.csv exist first and the import is told to use their accounts, which keeps the
        // display names given here.
        await app.CliAsync("users", "add", "--name", "pilot-1", "--display-name", Plain(PilotOneName, "pilot 1 display name"), "--role", "rater", "--study", TestPaths.DemoStudyId);
        await app.CliAsync("users", "add", "--name", "pilot-2", "--display-name", Plain(PilotTwoName, "pilot 2 display name"), "--role", "rater", "--study", TestPaths.DemoStudyId);
        await app.CliAsync("import", bundle, "--map-raters-to-accounts");
        var coordinatorInvite = await app.CliAsync("invite", "--study", Study, "--role", "coordinator", "--base-url", app.BaseAddress);
        var raterInvite = await app.CliAsync("invite", "--study", Study, "--base-url", app.BaseAddress);

        var coordinatorContext = await browser.NewContextAsync(Journeys.Laptop);
        var raterContext = await browser.NewContextAsync(Journeys.Laptop);
        var anonymousContext = await browser.NewContextAsync(Journeys.Laptop);
        var coordinatorWatch = await ScriptWatch.AttachAsync(coordinatorContext, "coordinator");
        var raterWatch = await ScriptWatch.AttachAsync(raterContext, "rater");
        var anonymousWatch = await ScriptWatch.AttachAsync(anonymousContext, "anonymous");
        var coordinator = await coordinatorContext.NewPageAsync();
        var rater = await raterContext.NewPageAsync();

        // Invites: the study title on the invite page, display names typed into the form.
        await rater.GotoAsync(raterInvite);
        await raterWatch.CheckAsync(rater, "invite page", Title);
        await Journeys.AcceptInviteAsync(rater, raterInvite, "xss-rater", Plain(RaterName, "rater display name"));
        await raterWatch.CheckAsync(rater, "home", Title, RaterName);
        await Journeys.AcceptInviteAsync(coordinator, coordinatorInvite, "xss-coordinator", Plain(CoordinatorName, "coordinator display name"));
        await coordinatorWatch.CheckAsync(coordinator, "home", Title, CoordinatorName);
        var studyId = await StudyIdAsync(coordinator);
        var studyUrl = $"{app.BaseAddress}/studies/{studyId}";

        // Draft: set-up (texts in form fields and a Markdown preview) and a calibration round.
        await coordinator.GotoAsync($"{studyUrl}/setup");
        await Expect(coordinator.GetByLabel("Instructions (Markdown)")).ToBeVisibleAsync();
        await coordinatorWatch.CheckAsync(coordinator, "set-up", [Title, Instructions, .. Labels, .. Helps, .. Rubric.Except(Labels), PilotOneName, PilotTwoName, RaterName]);
        // An uploaded file's errors quote what they refuse: here a case id.
        var line = JsonSerializer.Serialize(new { id = "case-1.model-z", case_id = Plain(UploadedCaseId, "uploaded case id"), model = "model-z", content_md = "x" });
        await Expect(coordinator.GetByLabel("Responses (responses.jsonl)")).ToBeEnabledAsync();
        await coordinator.GetByLabel("Responses (responses.jsonl)").SetInputFilesAsync(new FilePayload
        {
            Name = "responses.jsonl", MimeType = "application/jsonl", Buffer = Encoding.UTF8.GetBytes(line + "\n"),
        });
        await Expect(coordinator.GetByRole(AriaRole.List, new() { Name = "Import errors" })).ToBeVisibleAsync();
        await coordinatorWatch.CheckAsync(coordinator, "set-up, upload refused", UploadedCaseId);
        await CalibrateAsync(coordinator, coordinatorWatch, rater, raterWatch, studyUrl);
        await coordinator.GotoAsync($"{studyUrl}/dashboard");
        await coordinatorWatch.CheckAsync(coordinator, "dashboard (draft)", Title, PilotOneName, PilotTwoName, RaterName, Labels[0]);
        await coordinator.GetByRole(AriaRole.Group, new() { Name = "Study lifecycle" }).GetByRole(AriaRole.Button, new() { Name = "Open for rating" }).ClickAsync();
        await Expect(coordinator.GetByRole(AriaRole.Status, new() { Name = "Study state" })).ToContainTextAsync("Open");

        // Open: the rater grades three items, with a comment, a highlight with a note and a flag.
        // The coordinator's dashboard stays open meanwhile: the rater's name reaches it live (activity, presence).
        await GradeAsync(rater, raterWatch, studyUrl);
        await Expect(coordinator.GetByRole(AriaRole.List, new() { Name = "Recent activity" })).ToContainTextAsync("submitted");
        await coordinatorWatch.CheckAsync(coordinator, "dashboard (open, live)", [Title, PilotOneName, PilotTwoName, RaterName, .. Labels]);
        await coordinator.GotoAsync($"{studyUrl}/results");
        await Expect(coordinator.GetByRole(AriaRole.Heading, new() { Name = "Results", Exact = true })).ToBeVisibleAsync();
        await Expect(coordinator.Locator("[aria-busy='true']")).ToHaveCountAsync(0); // computed off the request path
        // The results name span labels by id and likert points by number, and leave the free-text criterion out.
        await coordinatorWatch.CheckAsync(coordinator, "results", [Title, PilotOneName, PilotTwoName, RaterName, .. Labels[..5], .. HarmOptions, .. KindOptions]);
        await rater.GotoAsync($"{studyUrl}/adjudication");
        await raterWatch.CheckAsync(rater, "adjudication queue (open)", Title);

        // Adjudication: the queue and an item, with messages both ways and a consensus reason.
        await coordinator.GotoAsync($"{studyUrl}/dashboard");
        await Journeys.StartAdjudicationAsync(coordinator);
        await Expect(coordinator.GetByRole(AriaRole.Status, new() { Name = "Study state" })).ToContainTextAsync("Adjudication");
        await AdjudicateAsync(coordinator, coordinatorWatch, rater, raterWatch, studyUrl);

        // The report, opened from disk as a browser opens a downloaded file.
        var report = await coordinatorContext.APIRequest.GetAsync($"{app.BaseAddress}/api/studies/{studyId}/export/report.html");
        Assert.Equal(200, report.Status);
        var reportFile = Path.Combine(app.Folder, "report.html");
        await File.WriteAllBytesAsync(reportFile, await report.BodyAsync());
        await coordinator.GotoAsync(new Uri(reportFile).AbsoluteUri);
        await coordinatorWatch.CheckAsync(coordinator, "report.html", [Title, .. Labels[..5], .. HarmOptions, .. KindOptions, .. MetaValues, MetaKey]);

        // Pages that echo the address: query strings and paths holding payloads, a few at a time (a request line
        // holds at most 8 KB), each chunk tagged so that its own first payload must not run either.
        // Four pages side by side: these are plain server-rendered forms, so waiting is most of the time.
        var anonymous = new List<IPage>();
        for (var i = 0; i < 4; i++) anonymous.Add(await anonymousContext.NewPageAsync());
        foreach (var chunk in Enumerable.Range(0, All.Count).Chunk(8))
        {
            (string Name, string Url)[] pages =
            [
                ("sign-in", $"/signin?error={Escape(SignInError, chunk)}&returnUrl={Escape(SignInReturn, chunk)}"),
                ("not found", $"/studies/{Escape(MissingPath, chunk)}"),
                ("invite with a bad token", $"/invite/{Escape(InviteToken, chunk)}?error={Escape(SignInError, chunk)}"),
                ("sign-in after a redirect", $"/studies/{studyId}/dashboard?x={Escape(MissingPath, chunk)}"),
            ];
            await Task.WhenAll(pages.Select(async (page, i) =>
            {
                var answer = await anonymous[i].GotoAsync(app.BaseAddress + page.Url);
                Assert.True(answer?.Status is 200 or 404, $"{page.Name}: {answer?.Status}");
                await anonymousWatch.CheckAsync(anonymous[i], $"{page.Name}, payloads {chunk[0] + 1}-{chunk[^1] + 1}", LoadState.Load);
            }));
        }

        Console.WriteLine($"XSS: {All.Count} payloads x {Names.Count} fields; pages checked: coordinator {coordinatorWatch.PagesChecked}, " +
                          $"rater {raterWatch.PagesChecked}, anonymous {anonymousWatch.PagesChecked}");
    }

    static string Escape(int field, int[] payloads) => Uri.EscapeDataString(Remember(field, "address", Text(field, "address", markdown: false, payloads)));

    static async Task<long> StudyIdAsync(IPage coordinator)
    {
        var dashboard = coordinator.GetByRole(AriaRole.Link, new() { Name = "Dashboard" });
        await Expect(dashboard).ToBeVisibleAsync();
        var href = await dashboard.GetAttributeAsync("href");
        return long.Parse(href!.Split('/')[2]);
    }

    static async Task CalibrateAsync(IPage coordinator, ScriptWatch coordinatorWatch, IPage rater, ScriptWatch raterWatch, string studyUrl)
    {
        await coordinator.GotoAsync($"{studyUrl}/calibration");
        await coordinator.GetByRole(AriaRole.Button, new() { Name = "Start a calibration session" }).ClickAsync();
        await coordinator.GetByLabel("Response to add").SelectOptionAsync(new SelectOptionValue { Index = 1 });
        await coordinator.GetByRole(AriaRole.Button, new() { Name = "Add item" }).ClickAsync();
        await Expect(coordinator.GetByRole(AriaRole.Button, new() { Name = "Start round on item 1" })).ToBeVisibleAsync();

        await rater.GotoAsync($"{studyUrl}/calibration");
        await Expect(rater.GetByRole(AriaRole.Status)).ToHaveTextAsync("Waiting for the coordinator to start a round.");
        await Expect(coordinator.GetByText("Raters connected: 1")).ToBeVisibleAsync();
        await coordinator.GetByRole(AriaRole.Button, new() { Name = "Start round on item 1" }).ClickAsync();
        await Expect(rater.GetByRole(AriaRole.Heading, new() { Name = "Item 1 of 1" })).ToBeVisibleAsync();
        await Expect(rater.GetByRole(AriaRole.Button, new() { Name = "Submit" })).ToBeVisibleAsync();
        await raterWatch.CheckAsync(rater, "calibration round", [Title, CaseTitles[0], Presentations[0], Questions[0], Contents[0], .. Rubric]);
        foreach (var group in await rater.GetByRole(AriaRole.Radiogroup).AllAsync())
            await group.GetByRole(AriaRole.Radio).First.CheckAsync();
        await rater.GetByRole(AriaRole.Button, new() { Name = "Submit" }).ClickAsync();
        await Expect(rater.GetByRole(AriaRole.Region, new() { Name = "Spread of ratings" })).ToBeVisibleAsync();
        await raterWatch.CheckAsync(rater, "calibration revealed", [Title, .. Labels.Take(4), Anchors[0], HarmOptions[0], KindOptions[0]]);
        await Expect(coordinator.GetByRole(AriaRole.Region, new() { Name = "Spread of ratings" })).ToBeVisibleAsync();
        await coordinatorWatch.CheckAsync(coordinator, "calibration revealed", Title, CaseTitles[0], Contents[0], Labels[0]);
    }

    static async Task GradeAsync(IPage rater, ScriptWatch watch, string studyUrl)
    {
        await rater.GotoAsync($"{studyUrl}/grade");
        await Expect(rater.GetByText("Keyboard:")).ToBeVisibleAsync();
        var progress = rater.GetByLabel("Progress");
        await rater.GetByRole(AriaRole.Button, new() { Name = "Guidelines" }).ClickAsync();
        await Expect(rater.GetByRole(AriaRole.Region, new() { Name = "Rating guidelines" })).ToBeVisibleAsync();
        await watch.CheckAsync(rater, "grading guidelines", Title, Instructions);
        string? lastGraded = null;
        for (var graded = 1; graded <= 3; graded++)
        {
            var response = await ShownResponseAsync(rater);
            int[] item = [Title, CaseTitles[response / 2], Presentations[response / 2], Questions[response / 2], Contents[response], .. Rubric, .. SpanLabels];
            await watch.CheckAsync(rater, $"grading item {graded}", item);
            // Likert 1 against the pilots' 5: a disagreement, so the rater takes part in adjudicating it.
            foreach (var group in await rater.GetByRole(AriaRole.Radiogroup).AllAsync())
                await group.GetByRole(AriaRole.Radio).First.CheckAsync();
            // Labels are payloads here, so the form's single text box and the first label button are found by role and order.
            await rater.Locator("form.rubric").GetByRole(AriaRole.Textbox).FillAsync(Plain(RaterComment, "rater comment"));
            await rater.GetByLabel("Note for the next highlight (optional)").FillAsync(Plain(SpanNote, "span note"));
            await Journeys.SelectInResponseAsync(rater);
            await rater.Locator(".span-label-button").First.ClickAsync();
            await Expect(rater.GetByRole(AriaRole.List, new() { Name = "Your highlights" }).GetByRole(AriaRole.Listitem)).ToHaveCountAsync(1);
            if (graded == 1)
            {
                await rater.GetByRole(AriaRole.Button, new() { Name = "Flag for coordinator" }).ClickAsync();
                await rater.GetByLabel("What should the coordinator know about this item?").FillAsync(Plain(FlagNote, "flag note"));
                await rater.GetByRole(AriaRole.Button, new() { Name = "Send flag" }).ClickAsync();
                await Expect(rater.GetByText("You flagged this item")).ToBeVisibleAsync();
            }
            await Expect(rater.GetByRole(AriaRole.Status).Last).ToHaveTextAsync("Draft saved");
            await watch.CheckAsync(rater, $"grading item {graded}, filled in", [.. item, RaterComment, SpanNote, .. graded == 1 ? new[] { FlagNote } : []]);
            lastGraded = await rater.Locator("form.rubric").GetAttributeAsync("data-response");
            await rater.GetByRole(AriaRole.Button, new() { Name = "Submit" }).ClickAsync();
            await Expect(progress).ToContainTextAsync($"{graded} / ");
        }
        // Back to the last item submitted (the queue may be done by now, so by its address), and home.
        await rater.GotoAsync($"{studyUrl}/grade/{lastGraded}");
        await Expect(rater.GetByRole(AriaRole.Heading, new() { NameRegex = new("^Response 3 of") })).ToBeVisibleAsync();
        await watch.CheckAsync(rater, "grading, a submitted item", Title, RaterComment, SpanNote);
        await rater.GotoAsync(new Uri(studyUrl).GetLeftPart(UriPartial.Authority) + "/");
        await watch.CheckAsync(rater, "home (open)", Title);
    }

    /// <summary>Which response the grading page shows (shuffled per rater).</summary>
    static async Task<int> ShownResponseAsync(IPage rater)
    {
        var text = await rater.Locator("#grade-response").InnerTextAsync();
        var shown = Enumerable.Range(0, Contents.Length).Where(r => text.Contains(Visible(Contents[r]), StringComparison.Ordinal)).ToList();
        Assert.True(shown.Count == 1, $"the grading page shows {shown.Count} known responses");
        return shown[0];
    }

    static async Task AdjudicateAsync(IPage coordinator, ScriptWatch coordinatorWatch, IPage rater, ScriptWatch raterWatch, string studyUrl)
    {
        await coordinator.GotoAsync($"{studyUrl}/adjudication");
        var items = coordinator.GetByRole(AriaRole.Table).GetByRole(AriaRole.Link);
        await Expect(items.First).ToBeVisibleAsync();
        await coordinatorWatch.CheckAsync(coordinator, "adjudication queue", Title, CaseTitles[0], CaseTitles[1]);

        // An item the rater graded: the rater's own queue lists only those.
        await rater.GotoAsync($"{studyUrl}/adjudication");
        var raterItems = rater.GetByRole(AriaRole.Table).GetByRole(AriaRole.Link);
        await Expect(raterItems.First).ToBeVisibleAsync();
        await raterWatch.CheckAsync(rater, "adjudication queue", Title);
        var itemUrl = await raterItems.First.GetAttributeAsync("href");

        var origin = new Uri(studyUrl).GetLeftPart(UriPartial.Authority);
        await coordinator.GotoAsync(origin + itemUrl);
        var message = coordinator.GetByLabel("Message", new() { Exact = true });
        await Expect(message).ToBeVisibleAsync();
        await message.FillAsync(Plain(CoordinatorMessage, "coordinator message"));
        await coordinator.GetByRole(AriaRole.Button, new() { Name = "Post message" }).ClickAsync();
        await Expect(coordinator.GetByRole(AriaRole.Status).Filter(new() { HasText = "Posted." })).ToBeVisibleAsync();
        await coordinator.GetByRole(AriaRole.Combobox).First.SelectOptionAsync(new SelectOptionValue { Index = 1 });
        await coordinator.GetByLabel("Shared reason (for every value without its own reason)").FillAsync(Plain(ConsensusReason, "consensus reason"));
        await coordinator.GetByRole(AriaRole.Button, new() { Name = "Save consensus" }).ClickAsync();
        await Expect(coordinator.GetByRole(AriaRole.Status).Filter(new() { HasText = "Saved" })).ToBeVisibleAsync();

        await rater.GotoAsync(origin + itemUrl);
        var raterMessage = rater.GetByLabel("Message", new() { Exact = true });
        await Expect(raterMessage).ToBeVisibleAsync();
        await raterMessage.FillAsync(Plain(RaterMessage, "rater message"));
        await rater.GetByRole(AriaRole.Button, new() { Name = "Post message" }).ClickAsync();
        await Expect(rater.GetByRole(AriaRole.Status).Filter(new() { HasText = "Posted." })).ToBeVisibleAsync();
        int[] shown = [PilotOneName, PilotTwoName, RaterName, CoordinatorName, PilotComment, PilotText, RaterComment, SpanNote,
            CoordinatorMessage, RaterMessage, ConsensusReason, .. Labels, SpanLabels[0]];
        await raterWatch.CheckAsync(rater, "adjudication item", shown);
        await Expect(coordinator.GetByText(Visible(RaterMessage))).ToBeVisibleAsync();
        await coordinatorWatch.CheckAsync(coordinator, "adjudication item", shown);
    }

    /// <summary>A draft study of 2 cases × 2 models with a payload in every free-text field of the format, and pilot
    /// ratings (5 on the likert, most severe harm, a comment) by pilot-1 and pilot-2.</summary>
    static void WriteBundle(string folder)
    {
        static object Likert() => new
        {
            id = "consensus", label = Plain(Labels[0], "likert label"), help_md = Markdown(Helps[0], "likert help"), type = "likert", min = 1, max = 5,
            anchors = new Dictionary<string, string> { ["1"] = Plain(Anchors[0], "anchor 1"), ["3"] = Plain(Anchors[1], "anchor 3"), ["5"] = Plain(Anchors[2], "anchor 5") },
            required = true,
        };
        var study = new Dictionary<string, object>
        {
            ["format"] = "gradebench-study/1",
            ["id"] = Study,
            ["title"] = Plain(Title, "study title"),
            ["description_md"] = Markdown(Description, "description"),
            ["instructions_md"] = Markdown(Instructions, "instructions"),
            ["raters_per_response"] = 3,
            ["state"] = "draft",
            ["blinding"] = new { hide_model = true, shuffle = true },
            ["rubric"] = new
            {
                criteria = new object[]
                {
                    Likert(),
                    new
                    {
                        id = "harm", label = Plain(Labels[1], "harm label"), help_md = Markdown(Helps[1], "harm help"), type = "ordinal", required = true,
                        options = new[] { new { value = "none", label = Plain(HarmOptions[0], "harm none") }, new { value = "mild", label = Plain(HarmOptions[1], "harm mild") }, new { value = "severe", label = Plain(HarmOptions[2], "harm severe") } },
                    },
                    new
                    {
                        id = "kind", label = Plain(Labels[2], "nominal label"), help_md = Markdown(Helps[2], "nominal help"), type = "nominal", required = false,
                        options = new[] { new { value = "knowledge", label = Plain(KindOptions[0], "kind knowledge") }, new { value = "reasoning", label = Plain(KindOptions[1], "kind reasoning") } },
                    },
                    new { id = "hallucination", label = Plain(Labels[3], "binary label"), help_md = Markdown(Helps[3], "binary help"), type = "binary", required = true },
                    new { id = "dose", label = Plain(Labels[4], "numeric label"), help_md = Markdown(Helps[4], "numeric help"), type = "numeric", min = 0, max = 10, required = false },
                    new { id = "comment", label = Plain(Labels[5], "text label"), help_md = Markdown(Helps[5], "text help"), type = "text", required = false },
                },
                span_labels = new[]
                {
                    new { id = "error", label = Plain(SpanLabels[0], "span label 1"), color = "#d1495b" },
                    new { id = "good", label = Plain(SpanLabels[1], "span label 2"), color = "#00798c" },
                },
            },
        };
        File.WriteAllText(Path.Combine(folder, "study.json"), JsonSerializer.Serialize(study));
        File.WriteAllLines(Path.Combine(folder, "cases.jsonl"), Enumerable.Range(0, 2).Select(c => JsonSerializer.Serialize(new
        {
            id = $"case-{c + 1}",
            title = Plain(CaseTitles[c], $"case {c + 1} title"),
            tags = new[] { Plain(CaseTags[c], $"case {c + 1} tag") },
            presentation_md = Markdown(Presentations[c], $"case {c + 1} presentation"),
            question_md = Markdown(Questions[c], $"case {c + 1} question"),
            reference_md = Markdown(References[c], $"case {c + 1} reference"),
        })));
        string ResponseId(int r) => $"case-{r / 2 + 1}.model-{(char)('a' + r % 2)}";
        File.WriteAllLines(Path.Combine(folder, "responses.jsonl"), Enumerable.Range(0, 4).Select(r => JsonSerializer.Serialize(new
        {
            id = ResponseId(r),
            case_id = $"case-{r / 2 + 1}",
            model = $"model-{(char)('a' + r % 2)}",
            content_md = Markdown(Contents[r], $"response {r + 1}"),
            meta = r == 0
                ? new Dictionary<string, string> { ["version"] = Plain(MetaValues[r], "meta value"), [Plain(MetaKey, "meta key")] = "x" }
                : new Dictionary<string, string> { ["version"] = Plain(MetaValues[r], "meta value") },
        })));
        var csv = new StringBuilder("response_id,rater,criterion,value,comment\n");
        static string Quoted(string text) => "\"" + text.Replace("\"", "\"\"") + "\"";
        for (var r = 0; r < 4; r++)
            foreach (var pilot in new[] { "pilot-1", "pilot-2" })
            {
                csv.Append($"{ResponseId(r)},{pilot},consensus,5,{(pilot == "pilot-1" ? Quoted(Plain(PilotComment, "pilot comment")) : "")}\n");
                csv.Append($"{ResponseId(r)},{pilot},harm,{(pilot == "pilot-1" ? "severe" : "none")},\n");
                csv.Append($"{ResponseId(r)},{pilot},hallucination,false,\n");
                if (pilot == "pilot-2") csv.Append($"{ResponseId(r)},{pilot},comment,{Quoted(Plain(PilotText, "pilot text value"))},\n");
            }
        File.WriteAllText(Path.Combine(folder, "ratings.csv"), csv.ToString());
    }
}
