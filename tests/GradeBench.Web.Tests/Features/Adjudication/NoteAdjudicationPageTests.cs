using System.Globalization;
using System.Security.Claims;
using AngleSharp.Html.Parser;
using Bunit;
using GradeBench.Storage.Notes;
using GradeBench.Storage.Studies;
using GradeBench.Web.Components.Markdown;
using GradeBench.Web.Features.Adjudication;
using GradeBench.Web.Features.Live;
using GradeBench.Core.Notes;
using GradeBench.Storage;
using GradeBench.Storage.Export;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using MudBlazor.Services;

namespace GradeBench.Web.Tests.Features.Adjudication;

/// <summary>Span adjudication of a clinical note (<see cref="NoteAdjudicationPage"/>) in a copy of the demo study with
/// note labels, in adjudication: two raters' passages of case-007's note grouped under their headings, with the answer
/// highlight one is evidence for, and a coordinator's accept, edit, reject and undo; raters are refused the pages. Two
/// sessions over the app's own <see cref="StudyEvents"/> see each other's decisions live; a gold-spans.csv uploaded on the
/// page replaces the gold set, all or nothing.</summary>
public sealed class NoteAdjudicationPageTests(GradeBenchFactory factory) : IClassFixture<GradeBenchFactory>
{
    BunitContext Context(long userId)
    {
        var context = new BunitContext();
        context.Services.AddMudServices();
        context.Services.AddLocalization();
        context.Services.AddSingleton(factory.Services.GetRequiredService<IStringLocalizerFactory>());
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        foreach (var type in new[] { typeof(StudyQuery), typeof(GoldSpanStore), typeof(GoldSpanRecorder), typeof(MarkdownRenderer), typeof(StudyEvents),
                     typeof(PresenceTracker), typeof(LiveStatus) })
            context.Services.AddSingleton(type, factory.Services.GetRequiredService(type));
        context.Services.AddScoped<CircuitPresence>();
        var auth = context.AddAuthorization();
        auth.SetAuthorized("coordinator");
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, userId.ToString(CultureInfo.InvariantCulture)));
        context.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        return context;
    }

    static string Words(string text) => string.Join(' ', text.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries));

    IRenderedComponent<NoteAdjudicationPage> Render(BunitContext context, NoteAdjudicationScene scene) =>
        context.Render<NoteAdjudicationPage>(p => p.Add(x => x.StudyId, scene.StudyId).Add(x => x.Case, DemoNotes.AstralCase));

    [Fact]
    public async Task TheNoteComesWithItsGroupsUnderTheirHeadingsAndTheEvidenceTheyLinkTo()
    {
        var scene = await NoteAdjudicationScene.CreateAsync(factory);
        using var context = Context(scene.Coordinator.Id);

        var page = Render(context, scene);

        page.WaitForAssertion(() => Assert.Equal(["Clinical note", "Agreed (1)", "One rater only (1)", "Boundary differs (1)", "Import a gold set"], page.FindAll("h2").Select(h => Words(h.TextContent))));
        var agreed = page.Find("section[aria-labelledby='kind-Agreed'] article");
        Assert.StartsWith("Code points 2–9 · undecided", Words(agreed.QuerySelector("h3")!.TextContent));
        var versions = agreed.QuerySelectorAll("ul.note-spans > li").Select(li => Words(li.TextContent)).ToList();
        Assert.Equal(2, versions.Count);
        Assert.StartsWith($"{scene.Li.DisplayName}: NIHSS item at 2–9", versions[0]);
        Assert.Contains("(Score: 7)", versions[0]);
        Assert.Contains("evidence for Factual error «", versions[0]);
        Assert.DoesNotContain("evidence for", versions[1]);
        Assert.Contains("— the stethoscope", Words(page.Find("section[aria-labelledby='kind-OneRaterOnly']").TextContent));
        // One version: one Accept for the group; two versions: one per rater and none for the group.
        Assert.NotNull(agreed.QuerySelector($"#{agreed.Id}-accept"));
        var boundary = page.Find("section[aria-labelledby='kind-BoundaryDiffers'] article");
        Assert.Null(boundary.QuerySelector($"#{boundary.Id}-accept"));
        Assert.Equal([$"Accept {scene.Li.DisplayName}'s", $"Accept {scene.Ma.DisplayName}'s"],
            boundary.QuerySelectorAll("button[id^='accept-']").Select(b => Words(b.TextContent)));
    }

    [Fact]
    public async Task AcceptingAGroupShowsWhoDecidedAndFromWhichRatersUntilUndone()
    {
        var scene = await NoteAdjudicationScene.CreateAsync(factory);
        using var context = Context(scene.Coordinator.Id);
        var page = Render(context, scene);
        var id = page.WaitForElement("section[aria-labelledby='kind-Agreed'] article").Id;

        await page.InvokeAsync(() => page.Find($"#{id}-accept").Click());

        Assert.Equal("Accepted into the gold set.", page.Find("#note-status").TextContent);
        var decision = Words(page.Find($"#{id} ul.note-decisions li").TextContent);
        Assert.StartsWith("Accepted NIHSS item at 2–9", decision);
        Assert.Contains($"by {scene.Coordinator.DisplayName}, ", decision);
        Assert.Contains($"from {scene.Li.Username}, {scene.Ma.Username}", decision.Replace(scene.Li.DisplayName, scene.Li.Username).Replace(scene.Ma.DisplayName, scene.Ma.Username));
        Assert.Contains("· decided", page.Find($"#{id} h3").TextContent);
        Assert.Empty(page.FindAll($"#{id}-accept"));

        await page.InvokeAsync(() => page.Find($"#{id} button[id^='undo-']").Click());

        Assert.Equal("The decision is undone.", page.Find("#note-status").TextContent);
        Assert.Empty(page.FindAll($"#{id} ul.note-decisions"));
    }

    [Fact]
    public async Task AnEditedPassageStartsFromARatersVersionAndARejectedGroupTakesNoMore()
    {
        var scene = await NoteAdjudicationScene.CreateAsync(factory);
        using var context = Context(scene.Coordinator.Id);
        var page = Render(context, scene);
        var boundary = page.WaitForElement("section[aria-labelledby='kind-BoundaryDiffers'] article").Id;
        var maSpan = page.FindAll($"#{boundary} button[id^='edit-']")[1].Id;

        await page.InvokeAsync(() => page.Find($"#{maSpan}").Click());
        Assert.Equal("13", page.Find("#edit-start").GetAttribute("value"));
        await page.InvokeAsync(() => page.Find("#edit-start").Change("12"));
        // Symptom's first attribute, Negated, a flag.
        await page.InvokeAsync(() => page.Find("form.note-edit input[type=checkbox]").Change(true));
        await page.Find("form.note-edit").SubmitAsync();

        Assert.Equal("The edited passage is in the gold set.", page.Find("#note-status").TextContent);
        var decision = Words(page.Find($"#{boundary} ul.note-decisions li").TextContent);
        Assert.StartsWith("Edited Symptom at 12–18", decision);
        Assert.Contains("(Negated)", decision);
        Assert.Contains($"from {scene.Ma.DisplayName}", decision);
        Assert.Empty(page.FindAll("form.note-edit"));

        var lone = page.Find("section[aria-labelledby='kind-OneRaterOnly'] article").Id;
        await page.InvokeAsync(() => page.Find($"#{lone}-reject").Click());
        Assert.Equal("Rejected: the group gives no gold passage.", page.Find("#note-status").TextContent);
        Assert.Contains("· rejected", page.Find($"#{lone} h3").TextContent);
        Assert.Empty(page.FindAll($"#{lone} .note-actions"));
    }

    [Fact]
    public async Task BeforeAdjudicationTheDecisionsAreNotOffered()
    {
        var scene = await NoteAdjudicationScene.CreateAsync(factory, adjudication: false);
        using var context = Context(scene.Coordinator.Id);

        var page = Render(context, scene);

        page.WaitForAssertion(() => Assert.Contains("Decisions are taken while the study is in adjudication", page.Markup));
        Assert.Empty(page.FindAll(".note-actions"));
    }

    [Fact]
    public async Task TheCoordinatorFindsTheNotesFromTheQueueAndARaterIsRefused()
    {
        var scene = await NoteAdjudicationScene.CreateAsync(factory);
        var coordinator = await factory.SignedInClientAsync(scene.Coordinator);
        var rater = await factory.SignedInClientAsync(scene.Li);

        var queue = new HtmlParser().ParseDocument(await coordinator.GetStringAsync($"/studies/{scene.StudyId}/adjudication"));
        var list = new HtmlParser().ParseDocument(await coordinator.GetStringAsync($"/studies/{scene.StudyId}/adjudicate/notes"));

        Assert.Equal($"/studies/{scene.StudyId}/adjudicate/notes", queue.QuerySelector("#notes-adjudication")!.GetAttribute("href"));
        var row = list.QuerySelector("tbody tr")!;
        Assert.Equal($"/studies/{scene.StudyId}/adjudicate/notes/{DemoNotes.AstralCase}", row.QuerySelector("a")!.GetAttribute("href"));
        Assert.Equal(["3", "3", "0"], row.QuerySelectorAll("td").Skip(1).Select(td => td.TextContent));
        Assert.DoesNotContain("notes-adjudication", await rater.GetStringAsync($"/studies/{scene.StudyId}/adjudication"));
        Assert.Contains("Only the coordinators of this study adjudicate the passages of the notes.", await rater.GetStringAsync($"/studies/{scene.StudyId}/adjudicate/notes"));
        var refused = await rater.GetStringAsync($"/studies/{scene.StudyId}/adjudicate/notes/{DemoNotes.AstralCase}");
        Assert.Contains("This study has no such case, or only its coordinators adjudicate", refused);
        Assert.DoesNotContain("Agreed", refused);
    }

    /// <summary>Two coordinators on the same note: one accepts a group while the other is halfway through an edit. The
    /// second page shows the decision without being asked (pushed, not polled), and keeps the edit as it was: the
    /// form, the code points and the text typed in it. Its save then reaches the first page the same way.</summary>
    [Fact]
    public async Task AnotherCoordinatorsDecisionShowsAtOnceAndLeavesAnEditAsItWas()
    {
        var scene = await NoteAdjudicationScene.CreateAsync(factory);
        var second = await factory.MemberAsync(scene.StudyId, "coord2", "coordinator");
        using var first = Context(scene.Coordinator.Id);
        using var other = Context(second.Id);
        var deciding = Render(first, scene);
        var editing = Render(other, scene);
        var agreed = deciding.WaitForElement("section[aria-labelledby='kind-Agreed'] article").Id;
        var boundary = editing.WaitForElement("section[aria-labelledby='kind-BoundaryDiffers'] article").Id;
        await editing.InvokeAsync(() => editing.FindAll($"#{boundary} button[id^='edit-']")[1].Click());
        await editing.InvokeAsync(() => editing.Find("#edit-start").Change("12"));
        var onset = editing.Find("form.note-edit input[type=text]").Id;
        await editing.InvokeAsync(() => editing.Find($"#{onset}").Change("3 hours"));

        await deciding.InvokeAsync(() => deciding.Find($"#{agreed}-accept").Click());

        editing.WaitForAssertion(() => Assert.StartsWith("Accepted NIHSS item at 2–9", Words(editing.Find($"#{agreed} ul.note-decisions li").TextContent)),
            TimeSpan.FromSeconds(5));
        Assert.Equal("12", editing.Find("#edit-start").GetAttribute("value"));
        Assert.Equal("3 hours", editing.Find($"#{onset}").GetAttribute("value"));
        Assert.Equal("", editing.Find("#note-status").TextContent);
        await editing.Find("form.note-edit").SubmitAsync();
        Assert.Equal("The edited passage is in the gold set.", editing.Find("#note-status").TextContent);
        deciding.WaitForAssertion(() => Assert.StartsWith("Edited Symptom at 12–18", Words(deciding.Find($"#{boundary} ul.note-decisions li").TextContent)),
            TimeSpan.FromSeconds(5));
        Assert.Contains("3 hours", deciding.Find($"#{boundary} ul.note-decisions li").TextContent);
    }

    async Task<string> ExportGoldAsync(long studyId)
    {
        var output = new StringWriter();
        await ExportKinds.Text.Single(k => k.Name == "gold-spans.csv")
            .Write(new TextExport(factory.Services.GetRequiredService<Database>()), studyId, output, CancellationToken.None);
        return output.ToString();
    }

    /// <summary>The gold set exported, taken back (undone) and uploaded on the page: the imported decisions stand with the
    /// groups they decide (same case, label and code points), marked imported; the rejection names no passage and stays
    /// under "Other gold spans". Another coordinator's open page shows the import too.</summary>
    [Fact]
    public async Task AnUploadedGoldSetShowsWithTheGroupsItDecides()
    {
        var scene = await NoteAdjudicationScene.CreateAsync(factory);
        using var context = Context(scene.Coordinator.Id);
        using var watching = Context((await factory.MemberAsync(scene.StudyId, "coord3", "coordinator")).Id);
        var page = Render(context, scene);
        var watched = Render(watching, scene);
        var agreed = page.WaitForElement("section[aria-labelledby='kind-Agreed'] article").Id;
        var lone = page.Find("section[aria-labelledby='kind-OneRaterOnly'] article").Id;
        await page.InvokeAsync(() => page.Find($"#{agreed}-accept").Click());
        await page.InvokeAsync(() => page.Find($"#{lone}-reject").Click());
        var exported = await ExportGoldAsync(scene.StudyId);
        foreach (var undo in page.FindAll("button[id^='undo-']").Select(b => b.Id).ToList())
            await page.InvokeAsync(() => page.Find($"#{undo}").Click());
        Assert.Empty(page.FindAll("ul.note-decisions li"));

        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(exported, "gold-spans.csv"));

        page.WaitForAssertion(() => Assert.Equal("2 decisions imported; they replace the study's gold set.", page.Find("#gold-upload-done").TextContent),
            TimeSpan.FromSeconds(10));
        var attached = Words(page.Find($"#{agreed} ul.note-decisions li").TextContent);
        Assert.StartsWith("Accepted NIHSS item at 2–9", attached);
        Assert.Contains("imported", attached);
        Assert.Contains("· decided", page.Find($"#{agreed} h3").TextContent);
        Assert.StartsWith("Rejected —", Words(page.Find("section[aria-labelledby='kind-other'] li").TextContent));
        Assert.Single(page.FindAll("section[aria-labelledby='kind-other'] li"));
        watched.WaitForAssertion(() => Assert.StartsWith("Accepted NIHSS item at 2–9", Words(watched.Find($"#{agreed} ul.note-decisions li").TextContent)),
            TimeSpan.FromSeconds(5));
    }

    /// <summary>A file with a row that does not fit the study changes nothing, and the page says which file, line and
    /// field, as the command line does.</summary>
    [Fact]
    public async Task AnUploadWithABadRowIsRefusedNamingFileLineAndFieldAndChangesNothing()
    {
        var scene = await NoteAdjudicationScene.CreateAsync(factory);
        using var context = Context(scene.Coordinator.Id);
        var page = Render(context, scene);
        var agreed = page.WaitForElement("section[aria-labelledby='kind-Agreed'] article").Id;
        await page.InvokeAsync(() => page.Find($"#{agreed}-accept").Click());
        var exported = await ExportGoldAsync(scene.StudyId);
        var bad = exported.Replace(",nihss,2,9,", ",stroke,2,9,");
        Assert.NotEqual(exported, bad);

        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(bad, "gold-spans.csv"));

        page.WaitForAssertion(() => Assert.Equal("Nothing was imported: gold-spans.csv:2: label: the study has no note label \"stroke\"",
            page.Find("#gold-upload-problem").TextContent), TimeSpan.FromSeconds(10));
        Assert.Equal(exported, await ExportGoldAsync(scene.StudyId));
        Assert.DoesNotContain("imported", page.Find($"#{agreed} ul.note-decisions li").TextContent);
    }

    /// <summary>The server checks who uploads, whatever the page offered: a rater's upload is refused and changes
    /// nothing; a file over the size limit is refused before it is read.</summary>
    [Fact]
    public async Task ARatersUploadAndAnOversizedFileAreRefusedAndChangeNothing()
    {
        var scene = await NoteAdjudicationScene.CreateAsync(factory);
        var recorder = factory.Services.GetRequiredService<GoldSpanRecorder>();
        var gold = factory.Services.GetRequiredService<GoldSpanStore>();
        var agreed = (await gold.DocumentAsync(scene.StudyId, DemoNotes.AstralCase, scene.Coordinator.Id))!.Groups.Single(g => g.Kind == SpanGroupKind.Agreed);
        Assert.Equal(GoldSpanOutcome.Done, await recorder.AcceptAsync(scene.StudyId, DemoNotes.AstralCase, scene.Coordinator.Id, agreed.Key, null));
        var exported = await ExportGoldAsync(scene.StudyId);
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "gold-spans.csv");
        await File.WriteAllTextAsync(path, exported);

        var byRater = await recorder.ImportAsync(scene.StudyId, scene.Li.Id, path, "gold-spans.csv");
        await File.WriteAllBytesAsync(path, new byte[GoldSpanRecorder.MaxUploadBytes + 1]);
        var oversized = await recorder.ImportAsync(scene.StudyId, scene.Coordinator.Id, path, "gold-spans.csv");

        Assert.True(byRater.Refused);
        Assert.Equal("gold-spans.csv:0: the file is larger than 10 MB", oversized.Problem);
        Assert.Equal(exported, await ExportGoldAsync(scene.StudyId));
    }
}
