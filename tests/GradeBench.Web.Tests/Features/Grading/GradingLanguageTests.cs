using AngleSharp.Html.Parser;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Studies;
using GradeBench.Web.Features.Flags;
using GradeBench.Web.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace GradeBench.Web.Tests.Features.Grading;

/// <summary>The grading page and the flags the rater and the coordinators exchange speak the interface's language
/// (issue 18): served in the pseudo-locale, no text of theirs is left outside its markers, in every state a rater or a
/// coordinator meets by HTTP; served in Chinese, they read Chinese.</summary>
public sealed class GradingLanguageTests : IDisposable
{
    readonly GradeBenchFactory _app = new() { Languages = [Languages.English, Languages.Chinese, Languages.Pseudo] };

    public void Dispose() => _app.Dispose();

    T Service<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    /// <summary>A copy of the demo study with a rater and a coordinator of its own, each signed in, asking for <paramref name="language"/>.</summary>
    async Task<(long StudyId, User Rater, HttpClient AsRater, User Coordinator, HttpClient AsCoordinator)> StudyAsync(string language)
    {
        var studyId = await _app.ImportDemoCopyAsync();
        var rater = await _app.MemberAsync(studyId, "lang-rater", withPassword: true);
        var coordinator = await _app.MemberAsync(studyId, "lang-coord", "coordinator", withPassword: true);
        var asRater = await _app.SignedInClientAsync(rater);
        var asCoordinator = await _app.SignedInClientAsync(coordinator);
        asRater.DefaultRequestHeaders.Add("Accept-Language", language);
        asCoordinator.DefaultRequestHeaders.Add("Accept-Language", language);
        return (studyId, rater, asRater, coordinator, asCoordinator);
    }

    /// <summary>The unmarked text of the page's title and its main landmark (the layout around it is checked with it,
    /// in the layout's own tests), leaving out the parts <paramref name="others"/> selects.</summary>
    static IReadOnlyList<string> Unmarked(string html, string? others = null)
    {
        var page = new HtmlParser().ParseDocument(html);
        Assert.Equal(Languages.Pseudo, page.DocumentElement.GetAttribute("lang"));
        var main = page.QuerySelector("main")!;
        if (others is not null)
            foreach (var part in main.QuerySelectorAll(others).ToList()) part.Remove();
        return PseudoLocaleText.Unmarked($"<html><head><title>{page.Title}</title></head><body>{main.OuterHtml}</body></html>");
    }

    /// <summary>The page's text as read (the served HTML encodes the markers as character references).</summary>
    static string Text(string html) => new HtmlParser().ParseDocument(html).Body!.TextContent;

    static bool IsMarked(string? text) => text is not null && text.StartsWith(Languages.PseudoStart, StringComparison.Ordinal)
                                          && text.EndsWith(Languages.PseudoEnd, StringComparison.Ordinal);

    [Fact]
    public async Task AnOpenItemWithHighlightsAFlagAndAReplyHasNoUnmarkedTextAndHandsTheScriptItsTexts()
    {
        var (studyId, rater, asRater, coordinator, _) = await StudyAsync(Languages.Pseudo);
        var first = (await Service<GradingStore>().PositionAsync(studyId, rater.Id, null)).Current!.Value;
        var spans = Service<SpanStore>();
        await spans.AddAsync(studyId, rater.Id, first, (await spans.LabelsAsync(studyId))[0].Id, 0, 12, "a note");
        await Service<FlagRecorder>().AddAsync(studyId, rater.Id, first, "Is the dose right?");
        var flag = (await Service<FlagStore>().ListAsync(studyId, rater.Id, first)).Single();
        await Service<FlagRecorder>().ReplyAsync(studyId, flag.Id, coordinator.Id, "Yes, it is.");

        var html = await asRater.GetStringAsync($"/studies/{studyId}/grade");

        Assert.Empty(Unmarked(html));
        var page = new HtmlParser().ParseDocument(html);
        Assert.Contains(page.QuerySelectorAll("button"), b => b.TextContent.Trim() == "⟦Submit⟧");
        Assert.NotNull(page.QuerySelector("ul.span-list li q"));
        Assert.NotNull(page.QuerySelector("p.flag-reply"));
        var notice = page.QuerySelector("#unsent-state")!;
        Assert.All([notice.GetAttribute("data-unsent-submit"), notice.GetAttribute("data-unsent-changes"),
            page.QuerySelector("#grade-response")!.GetAttribute("data-region-label")], text => Assert.True(IsMarked(text), text));
    }

    [Fact]
    public async Task ASubmittedItemInAPausedStudyHasNoUnmarkedText()
    {
        var (studyId, rater, asRater, coordinator, _) = await StudyAsync(Languages.Pseudo);
        var first = (await Service<GradingStore>().QueueAsync(studyId, rater.Id))[0];
        await SubmitAsync(studyId, rater.Id, first.ResponseId);
        Assert.Equal(StudyChangeOutcome.Changed, (await Service<StudyLifecycleStore>().SetPausedAsync(studyId, coordinator.Id, paused: true)).Outcome);

        var html = await asRater.GetStringAsync($"/studies/{studyId}/grade/{first.Handle}");

        Assert.Empty(Unmarked(html));
        var page = new HtmlParser().ParseDocument(html);
        Assert.Equal("⟦Submitted⟧", page.QuerySelector(".item-status")!.TextContent);
        Assert.NotNull(page.QuerySelector(".study-banner"));
    }

    [Fact]
    public async Task TheFinishedQueueAndAResponseNotAssignedHaveNoUnmarkedText()
    {
        var (studyId, rater, asRater, _, _) = await StudyAsync(Languages.Pseudo);
        foreach (var entry in await Service<GradingStore>().QueueAsync(studyId, rater.Id)) await SubmitAsync(studyId, rater.Id, entry.ResponseId);

        var finished = await asRater.GetStringAsync($"/studies/{studyId}/grade");
        var notAssigned = await asRater.GetStringAsync($"/studies/{studyId}/grade/0000000000000000");

        Assert.Empty(Unmarked(finished));
        Assert.Contains("⟦All your assigned responses are done. Thank you!⟧", Text(finished));
        Assert.Empty(Unmarked(notAssigned));
    }

    [Fact]
    public async Task TheFlagsPageAndAFlagsThreadHaveNoUnmarkedTextForACoordinator()
    {
        var (studyId, rater, _, coordinator, asCoordinator) = await StudyAsync(Languages.Pseudo);
        var first = (await Service<GradingStore>().QueueAsync(studyId, rater.Id))[0].ResponseId;
        await Service<FlagRecorder>().AddAsync(studyId, rater.Id, first, "Is the dose right?");
        var flag = (await Service<FlagStore>().ListAsync(studyId, rater.Id, first)).Single();
        await Service<FlagRecorder>().ReplyAsync(studyId, flag.Id, coordinator.Id, "Yes, it is.");

        var flags = await asCoordinator.GetStringAsync($"/studies/{studyId}/flags");
        var review = new HtmlParser().ParseDocument(await asCoordinator.GetStringAsync($"/studies/{studyId}/review/{first}"));

        // The safety alerts beside the flags are the adjudication feature's.
        Assert.Empty(Unmarked(flags, "section.safety-alerts"));
        Assert.Contains("⟦1 reply⟧", Text(flags));
        var thread = Assert.Single(review.QuerySelectorAll("article.flag-thread"));
        Assert.Empty(PseudoLocaleText.Unmarked($"<body>{thread.OuterHtml}</body>"));
    }

    [Fact]
    public async Task TheGradingPageInChineseReadsChinese()
    {
        var (studyId, _, asRater, _, _) = await StudyAsync(Languages.Chinese);

        var page = new HtmlParser().ParseDocument(await asRater.GetStringAsync($"/studies/{studyId}/grade"));

        Assert.Equal("zh-CN", page.DocumentElement.GetAttribute("lang"));
        Assert.Contains(page.QuerySelectorAll("button"), b => b.TextContent.Trim() == "提交");
        Assert.Equal("评分量表", page.QuerySelector(".rubric-heading h2")!.TextContent.Trim());
        Assert.StartsWith("第 1 条回答", page.QuerySelector("#response-heading")!.TextContent.Trim(), StringComparison.Ordinal);
    }

    Task SubmitAsync(long studyId, long raterId, long responseId) =>
        Service<Web.Features.Grading.RatingRecorder>().SaveAsync(studyId, raterId, responseId,
            GradingSessionScene.Complete.ToDictionary(p => p.Key, p => (string?)p.Value), submit: true);
}
