using System.Globalization;
using System.Security.Claims;
using AngleSharp.Html.Parser;
using Bunit;
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

    IRenderedComponent<NoteAdjudicationPage> Render(BunitContext context, NoteAdjudicationScene scene) =>
        context.Render<NoteAdjudicationPage>(p => p.Add(x => x.StudyId, scene.StudyId).Add(x => x.Case, DemoNotes.AstralCase));

    [Fact]
    public async Task TheNoteComesWithItsGroupsUnderTheirHeadingsAndTheEvidenceTheyLinkTo()
    {
        var scene = await NoteAdjudicationScene.CreateAsync(factory);
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
}
