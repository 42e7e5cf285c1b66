using System.Text.Json;
using Bunit;
using Dapper;
using GradeBench.Storage;
using GradeBench.Storage.Grading;
using GradeBench.Web.Features.Grading;
using GradeBench.Web.Features.Live;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Microsoft.JSInterop;

namespace GradeBench.Web.Tests.Features.Grading;

/// <summary>The highlight panel live (bUnit, on the app's own database and stores), where the browser's UTF-16 text meets
/// the code points highlights are stored in.</summary>
public sealed class HighlightPanelTests(GradeBenchFactory factory) : IClassFixture<GradeBenchFactory>
{
    IServiceProvider App => factory.Services;

    /// <summary>A new rater of a copy of the demo study whose first assigned response is <paramref name="answer"/>.</summary>
    async Task<(long StudyId, long RaterId, long ResponseId)> AnswerAsync(string answer)
    {
        var studyId = await factory.ImportDemoCopyAsync();
        var rater = await factory.MemberAsync(studyId, "dr-emoji");
        var responseId = (await App.GetRequiredService<GradingStore>().PositionAsync(studyId, rater.Id, null)).Current!.Value;
        await using var connection = await App.GetRequiredService<Database>().OpenAsync();
        await connection.ExecuteAsync("UPDATE responses SET content_md = @answer WHERE id = @responseId", new { answer, responseId });
        return (studyId, rater.Id, responseId);
    }

    BunitContext Context()
    {
        var context = new BunitContext();
        context.Services.AddLocalization();
        context.Services.AddSingleton(App.GetRequiredService<IStringLocalizerFactory>());
        context.Services.AddSingleton(App.GetRequiredService<SpanStore>());
        context.Services.AddSingleton(App.GetRequiredService<StudyEvents>());
        context.Services.AddSingleton(App.GetRequiredService<TimeProvider>());
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        return context;
    }

    [Fact]
    public async Task AHighlightMadeAfterAnEmojiIsStoredInCodePointsAndPaintedOverThePassageSelected()
    {
        // Three emoji are three code points and six UTF-16 units: the second "ab" is at code point 7, UTF-16 unit 10.
        const string answer = "😷😷😷 ab ab";
        var (studyId, raterId, responseId) = await AnswerAsync(answer);
        await using var context = Context();
        var grading = context.JSInterop.SetupModule("/js/grading.js");
        grading.Setup<HighlightPanel.SelectionInfo?>("takeSelection", "response").SetResult(new("ab", 1));
        var module = await context.JSInterop.JSRuntime.InvokeAsync<IJSObjectReference>("import", "/js/grading.js");
        var cut = context.Render<HighlightPanel>(p => p.Add(c => c.StudyId, studyId).Add(c => c.RaterId, raterId)
            .Add(c => c.Response, new HighlightedResponse(responseId, answer, "en")).Add(c => c.ResponseElementId, "response").Add(c => c.Module, module));

        cut.Find("button.span-label-button").Click();

        cut.WaitForAssertion(() => Assert.Equal("ab", cut.Find("ul.span-list q").TextContent));
        var span = Assert.Single(await App.GetRequiredService<SpanStore>().ListAsync(studyId, raterId, responseId));
        Assert.Equal((7L, 9L, "ab"), (span.StartCodePoint, span.EndCodePoint, span.Quote));
        // grading.js paints a highlight by its text and which occurrence of it: the second "ab", as selected.
        cut.WaitForAssertion(() =>
        {
            var painted = JsonSerializer.SerializeToElement(grading.Invocations["paint"][^1].Arguments[1]);
            Assert.Equal(1, Assert.Single(painted.EnumerateArray()).GetProperty("occurrence").GetInt32());
        });
    }

    [Fact]
    public async Task ALongQuoteIsShortenedBeforeAnEmojiRatherThanThroughIt()
    {
        // The 77th UTF-16 unit, where a quote in the list is cut, is the first half of the emoji.
        var answer = new string('a', 76) + "😷" + new string('b', 10);
        var (studyId, raterId, responseId) = await AnswerAsync(answer);
        var spans = App.GetRequiredService<SpanStore>();
        Assert.Equal(SpanWriteOutcome.Saved, await spans.AddAsync(studyId, raterId, responseId, (await spans.LabelsAsync(studyId))[0].Id, 0, 87, null));
        await using var context = Context();

        var cut = context.Render<HighlightPanel>(p => p.Add(c => c.StudyId, studyId).Add(c => c.RaterId, raterId)
            .Add(c => c.Response, new HighlightedResponse(responseId, answer, "en")).Add(c => c.ResponseElementId, "response"));

        cut.WaitForAssertion(() => Assert.Equal(new string('a', 76) + "…", cut.Find("ul.span-list q").TextContent));
    }

    /// <summary>Removing a highlight after the submit (or adding one) tells the span agreement to compute again.</summary>
    [Fact]
    public async Task RemovingAHighlightAfterTheSubmitAnnouncesAChangeOfSpans()
    {
        const string answer = "Give aspirin now.";
        var (studyId, raterId, responseId) = await AnswerAsync(answer);
        var spans = App.GetRequiredService<SpanStore>();
        Assert.Equal(SpanWriteOutcome.Saved, await spans.AddAsync(studyId, raterId, responseId, (await spans.LabelsAsync(studyId))[0].Id, 0, 4, null));
        Assert.Equal(RatingWriteOutcome.Saved, (await App.GetRequiredService<GradingStore>().SaveAsync(studyId, raterId, responseId, DemoRatings.Complete(), submit: true)).Outcome);
        var announced = new List<SpansChanged>();
        using var listening = App.GetRequiredService<StudyEvents>().Subscribe(studyId, 0, isCoordinator: true, e =>
        {
            if (e is SpansChanged changed) lock (announced) announced.Add(changed);
            return Task.CompletedTask;
        });
        await using var context = Context();
        var cut = context.Render<HighlightPanel>(p => p.Add(c => c.StudyId, studyId).Add(c => c.RaterId, raterId)
            .Add(c => c.Response, new HighlightedResponse(responseId, answer, "en")).Add(c => c.ResponseElementId, "response"));
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("ul.span-list li")));

        cut.Find("ul.span-list button.span-remove").Click();

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("ul.span-list li")));
        Assert.True(SpinWait.SpinUntil(() => { lock (announced) return announced.Count == 1; }, TimeSpan.FromSeconds(5)));
        Assert.Equal((raterId, GradeBench.Core.Spans.SpanSource.Answers), (announced[0].RaterId, announced[0].Source));
    }
}
