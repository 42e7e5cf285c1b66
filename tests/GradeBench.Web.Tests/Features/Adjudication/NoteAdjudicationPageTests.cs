using System.Globalization;
using System.Security.Claims;
using AngleSharp.Html.Parser;
using Bunit;
using Dapper;
using GradeBench.Core.Studies;
using GradeBench.Storage;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Notes;
using GradeBench.Storage.Studies;
using GradeBench.Web.Components.Markdown;
using GradeBench.Web.Features.Adjudication;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using MudBlazor.Services;

namespace GradeBench.Web.Tests.Features.Adjudication;

/// <summary>Span adjudication of a clinical note (<see cref="NoteAdjudicationPage"/>) in a copy of the demo study with
/// note labels, in adjudication: two raters' passages of case-007's note grouped under their headings, with the answer
/// highlight one is evidence for, and a coordinator's accept, edit, reject and undo; raters are refused the pages.</summary>
public sealed class NoteAdjudicationPageTests(GradeBenchFactory factory) : IClassFixture<GradeBenchFactory>
{
    sealed record Scene(long StudyId, User Coordinator, User Li, User Ma);

    /// <summary>Dr li and Dr ma both mark NIHSS [2, 9); li also the emoji as a medication, and a symptom at [12, 16) that
    /// ma marks at [13, 18); li links the NIHSS passage to a highlight of the answer.</summary>
    async Task<Scene> SceneAsync(bool adjudication = true)
    {
        BundleReadResult read;
        using (var folder = new TempFolder())
            read = BundleReader.Read(DemoNotes.Write(folder.Path));
        var bundle = read.Bundle!;
        var studyId = (await factory.Services.GetRequiredService<StudyImporter>().ImportAsync(
            bundle with { Study = bundle.Study with { Id = "notes-" + Guid.NewGuid().ToString("N") } }, [])).StudyId!.Value;
        var coordinator = await factory.MemberAsync(studyId, "coord", "coordinator", withPassword: true);
        var li = await factory.MemberAsync(studyId, "li", withPassword: true);
        var ma = await factory.MemberAsync(studyId, "ma");
        var database = factory.Services.GetRequiredService<Database>();
        long caseId, response;
        await using (var connection = await database.OpenAsync())
        {
            (caseId, response) = await connection.QuerySingleAsync<(long, long)>(
                "SELECT c.id, MIN(r.id) FROM cases c JOIN responses r ON r.case_id = c.id WHERE c.study_id = @studyId AND c.slug = @slug GROUP BY c.id",
                new { studyId, slug = DemoNotes.AstralCase });
            foreach (var rater in new[] { li.Id, ma.Id })
                await connection.ExecuteAsync("""
                    INSERT OR IGNORE INTO assignments (study_id, response_id, rater_id, queue_position, assigned_at)
                    VALUES (@studyId, @response, @rater, 0, '2026-11-25T09:00:00.0000000Z')
                    """, new { studyId, response, rater });
        }
        var notes = factory.Services.GetRequiredService<NoteSpanStore>();
        var labels = await notes.LabelsAsync(studyId);
        var (nihss, symptom, medication) = (labels[0], labels[1], labels[2]);
        var score = new Dictionary<long, string> { [nihss.Attributes[1].Id] = "7" };
        var (_, linked) = await notes.AddAsync(li.Id, caseId, nihss.Id, 2, 9, score, null);
        await notes.AddAsync(ma.Id, caseId, nihss.Id, 2, 9, score, null);
        await notes.AddAsync(li.Id, caseId, medication.Id, 0, 1, null, "the stethoscope");
        await notes.AddAsync(li.Id, caseId, symptom.Id, 12, 16, null, null);
        await notes.AddAsync(ma.Id, caseId, symptom.Id, 13, 18, null, null);
        var spans = factory.Services.GetRequiredService<SpanStore>();
        Assert.Equal(SpanWriteOutcome.Saved, await spans.AddAsync(studyId, li.Id, response, (await spans.LabelsAsync(studyId))[0].Id, 0, 5, null));
        Assert.Equal(NoteSpanOutcome.Saved, await notes.LinkAsync(li.Id, (await spans.ListAsync(studyId, li.Id, response))[0].Id, linked!.Value));
        if (adjudication)
        {
            await using var connection = await database.OpenAsync();
            await connection.ExecuteAsync("UPDATE studies SET state = 'adjudication' WHERE id = @studyId", new { studyId });
        }
        return new Scene(studyId, coordinator, li, ma);
    }

    BunitContext Context(long userId)
    {
        var context = new BunitContext();
        context.Services.AddMudServices();
        context.Services.AddLocalization();
        context.Services.AddSingleton(factory.Services.GetRequiredService<IStringLocalizerFactory>());
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        foreach (var type in new[] { typeof(StudyQuery), typeof(GoldSpanStore), typeof(MarkdownRenderer) })
            context.Services.AddSingleton(type, factory.Services.GetRequiredService(type));
        var auth = context.AddAuthorization();
        auth.SetAuthorized("coordinator");
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, userId.ToString(CultureInfo.InvariantCulture)));
        context.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        return context;
    }

    static string Words(string text) => string.Join(' ', text.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries));

    IRenderedComponent<NoteAdjudicationPage> Render(BunitContext context, Scene scene) =>
        context.Render<NoteAdjudicationPage>(p => p.Add(x => x.StudyId, scene.StudyId).Add(x => x.Case, DemoNotes.AstralCase));

    [Fact]
    public async Task TheNoteComesWithItsGroupsUnderTheirHeadingsAndTheEvidenceTheyLinkTo()
    {
        var scene = await SceneAsync();
        using var context = Context(scene.Coordinator.Id);

        var page = Render(context, scene);

        page.WaitForAssertion(() => Assert.Equal(["Clinical note", "Agreed (1)", "One rater only (1)", "Boundary differs (1)"], page.FindAll("h2").Select(h => Words(h.TextContent))));
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
        var scene = await SceneAsync();
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

        await page.InvokeAsync(() => page.Find($"#{id} button[id^='undo-']").Click());

        Assert.Equal("The decision is undone.", page.Find("#note-status").TextContent);
        Assert.Empty(page.FindAll($"#{id} ul.note-decisions"));
    }

    [Fact]
    public async Task AnEditedPassageStartsFromARatersVersionAndARejectedGroupTakesNoMore()
    {
        var scene = await SceneAsync();
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
        var scene = await SceneAsync(adjudication: false);
        using var context = Context(scene.Coordinator.Id);

        var page = Render(context, scene);

        page.WaitForAssertion(() => Assert.Contains("Decisions are taken while the study is in adjudication", page.Markup));
        Assert.Empty(page.FindAll(".note-actions"));
    }

    [Fact]
    public async Task TheCoordinatorFindsTheNotesFromTheQueueAndARaterIsRefused()
    {
        var scene = await SceneAsync();
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
}
