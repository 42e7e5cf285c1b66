using System.Globalization;
using System.Security.Claims;
using Bunit;
using GradeBench.Core.Pairwise;
using GradeBench.Storage;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Pairwise;
using GradeBench.Storage.Studies;
using GradeBench.Web.Components.Markdown;
using GradeBench.Web.Features.Grading;
using GradeBench.Web.Features.Live;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using MudBlazor.Services;

namespace GradeBench.Web.Tests.Features.Grading;

/// <summary>The side-by-side page live (interactive), rendered by bUnit over the services of a real app (its database,
/// stores and live events), as the first rater of a side-by-side study of its own per test (<see cref="PairwiseFixture"/>:
/// that rater sees answer A of pairs 0, 2 and 4 on the left, B of pairs 1, 3 and 5).</summary>
public sealed class ComparePageLiveTests(GradeBenchFactory factory) : IClassFixture<GradeBenchFactory>
{
    IServiceProvider App => factory.Services;

    async Task<PairwiseStudy> StudyAsync() =>
        await PairwiseFixture.TurnIntoPairwiseAsync(App.GetRequiredService<Database>(), TimeProvider.System, await factory.ImportDemoCopyAsync(),
            GradeBenchFactory.UniqueName("dr-live"), GradeBenchFactory.UniqueName("dr-other"));

    /// <summary>A live render of the page as the study's first rater, on the app's own services.</summary>
    BunitContext RaterContext(PairwiseStudy study)
    {
        var context = new BunitContext();
        context.Services.AddMudServices();
        context.Services.AddLocalization();
        context.Services.AddSingleton(App.GetRequiredService<IStringLocalizerFactory>());
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        foreach (var type in new[] { typeof(TimeProvider), typeof(StudyQuery), typeof(StudyLifecycleStore), typeof(PairwiseStore), typeof(PairRecorder),
                     typeof(RatingReveals), typeof(SpanStore), typeof(StudyEvents),
                     typeof(PresenceTracker), typeof(MarkdownRenderer) })
            context.Services.AddSingleton(type, App.GetRequiredService(type));
        context.Services.AddScoped<CircuitPresence>();
        context.Services.AddScoped<PairSession>();
        var auth = context.AddAuthorization();
        auth.SetAuthorized(study.Usernames[0]);
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, study.Raters[0].ToString(CultureInfo.InvariantCulture)), new Claim("display_name", study.Usernames[0]));
        context.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        return context;
    }

    static IRenderedComponent<ComparePage> Open(BunitContext context, PairwiseStudy study, FixturePair pair)
    {
        var cut = context.Render<ComparePage>(p => p.Add(c => c.StudyId, study.StudyId).Add(c => c.Pair, pair.Handle));
        cut.WaitForAssertion(() => cut.Find("form.pair-form"));
        return cut;
    }

    Task RevealAsync(PairwiseStudy study, FixturePair pair) => ComparePageTests.RevealAsync(App, study, pair);

    [Fact]
    public async Task APairWhoseVotesTheRaterHasSeenShowsThemAndItsHighlightsReadOnly()
    {
        var study = await StudyAsync();
        var (frozen, free) = (study.Pairs[0], study.Pairs[2]);
        var left = frozen.A; // rater 0 sees A of pair 0 on the left
        await App.GetRequiredService<PairwiseStore>().SaveAsync(study.StudyId, study.Raters[0], frozen.Id, new()
        {
            Choices = new Dictionary<string, PairwiseChoice?> { ["consensus"] = PairwiseChoice.Left },
            Reasons = ["safety"],
            Comment = "Left is closer to the guideline.",
        }, submit: false);
        var spans = App.GetRequiredService<SpanStore>();
        var label = (await spans.LabelsAsync(study.StudyId))[0];
        Assert.Equal(SpanWriteOutcome.Saved, await spans.AddAsync(study.StudyId, study.Raters[0], left.Id, label.Id, 0, 12, "check this"));
        await RevealAsync(study, frozen);
        await using var context = RaterContext(study);

        var cut = Open(context, study, frozen);

        Assert.StartsWith("You have seen other raters' votes on this pair, so your independent judgement of it is final.",
            cut.Find("#pair-judgement .frozen-note").TextContent.Trim(), StringComparison.Ordinal);
        Assert.True(cut.Find("fieldset.pair-fields").HasAttribute("disabled"));
        Assert.True(cut.Find("#pair-submit").HasAttribute("disabled"));
        // Still there to read: the votes, reasons and comment as given, and the highlights.
        Assert.True(cut.Find("#axis-consensus-left").HasAttribute("checked"));
        Assert.True(cut.Find("#reason-safety").HasAttribute("checked"));
        Assert.Equal("Left is closer to the guideline.", cut.Find("#pair-comment").GetAttribute("value"));
        Assert.True(cut.Find("#pair-left fieldset.answer-highlights").HasAttribute("disabled"));
        Assert.True(cut.Find("#pair-right fieldset.answer-highlights").HasAttribute("disabled"));
        Assert.Single(cut.FindAll("#pair-left ul.span-list li"));

        await using var otherTab = RaterContext(study);
        var open = Open(otherTab, study, free);

        Assert.Empty(open.FindAll(".frozen-note"));
        Assert.False(open.Find("fieldset.pair-fields").HasAttribute("disabled"));
        Assert.False(open.Find("#pair-submit").HasAttribute("disabled"));
        Assert.False(open.Find("#pair-left fieldset.answer-highlights").HasAttribute("disabled"));
    }

    [Fact]
    public async Task AVoteRefusedBecauseTheRaterSawThePairsVotesInAnotherTabTurnsThePageReadOnly()
    {
        var study = await StudyAsync();
        var pair = study.Pairs[0];
        await using var context = RaterContext(study);
        var cut = Open(context, study, pair);
        Assert.False(cut.Find("fieldset.pair-fields").HasAttribute("disabled"));
        await RevealAsync(study, pair);

        cut.Find("#axis-harm-right").Change(true);

        cut.WaitForAssertion(() => Assert.Equal("Not saved: you have seen other raters' votes on this pair, so your judgement of it is final.",
            cut.Find("#pair-save-state").TextContent));
        Assert.True(cut.Find("fieldset.pair-fields").HasAttribute("disabled"));
        Assert.True(cut.Find("#pair-left fieldset.answer-highlights").HasAttribute("disabled"));
        Assert.NotNull(cut.Find("#pair-judgement .frozen-note"));
        Assert.Empty((await App.GetRequiredService<PairwiseStore>().LoadItemAsync(study.StudyId, study.Raters[0], pair.Handle))!.Choices);
    }
}
