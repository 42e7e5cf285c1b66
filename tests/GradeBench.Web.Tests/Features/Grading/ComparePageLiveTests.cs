using System.Globalization;
using System.Security.Claims;
using Bunit;
using Dapper;
using GradeBench.Core.Pairwise;
using GradeBench.Storage;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Notes;
using GradeBench.Storage.Pairwise;
using GradeBench.Storage.Studies;
using GradeBench.Web.Components.Markdown;
using GradeBench.Web.Features.Flags;
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
                     typeof(RatingReveals), typeof(SpanStore), typeof(NoteSpanStore), typeof(FlagStore), typeof(FlagRecorder), typeof(PairFlagRecorder), typeof(StudyEvents),
                     typeof(PresenceTracker), typeof(MarkdownRenderer), typeof(LiveStatus) })
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
    public async Task AFlagSentFromTheLeftAnswersPanelIsStoredOnThatAnswerReachesTheCoordinatorsAndNamesNothingThatUnblinds()
    {
        var study = await StudyAsync();
        var pair = study.Pairs[1];
        var (left, right) = PairwiseStudy.AOnLeft(0, pair.Position) ? (pair.A, pair.B) : (pair.B, pair.A);
        var coordinator = await factory.MemberAsync(study.StudyId, GradeBenchFactory.UniqueName("coord"), "coordinator");
        var heard = new List<FlagChanged>();
        using var listening = App.GetRequiredService<StudyEvents>().Subscribe(study.StudyId, coordinator.Id, isCoordinator: true, e =>
        {
            if (e is FlagChanged flag) lock (heard) heard.Add(flag);
            return Task.CompletedTask;
        });
        await using var context = RaterContext(study);
        var cut = Open(context, study, pair);
        Assert.Equal(["Flag the answer on the left for coordinator", "Flag the answer on the right for coordinator"],
            cut.FindAll("section.flag").Select(s => s.GetAttribute("aria-label")));

        cut.Find("#pair-left section.flag button").Click();
        Assert.Equal("What should the coordinator know about the answer on the left?", cut.Find("label[for='pair-left-flag-note']").TextContent);
        cut.Find("textarea#pair-left-flag-note").Change("The dose in the second paragraph looks wrong.");
        cut.FindAll("#pair-left section.flag button").Single(b => b.TextContent.Trim() == "Send flag").Click();

        cut.WaitForAssertion(() => Assert.Equal("You flagged this answer: “The dose in the second paragraph looks wrong.”",
            cut.Find("#pair-left ul[aria-label='Your flags on the answer on the left'] p").TextContent));
        Assert.Empty(cut.FindAll("#pair-right ul.flag-threads"));
        var flags = App.GetRequiredService<FlagStore>();
        Assert.Equal(["The dose in the second paragraph looks wrong."], (await flags.ListAsync(study.StudyId, study.Raters[0], left.Id)).Select(f => f.Note));
        Assert.Empty(await flags.ListAsync(study.StudyId, study.Raters[0], right.Id));
        // The coordinators' side names the answer (its bundle id) and hears of the flag at once.
        Assert.Equal(left.Slug, Assert.Single((await flags.OpenAsync(study.StudyId, coordinator.Id))!.Flags).ResponseSlug);
        // A listener's queue is read on the thread pool: on a loaded machine that may take longer than bUnit's default second.
        cut.WaitForAssertion(() => Assert.Equal((left.Id, "raised"), (Assert.Single(heard).ResponseId, heard[0].Change)), TimeSpan.FromSeconds(10));
        // Blinding: the rater's page names neither model, nor bundle id, nor response handle.
        foreach (var leak in new[] { pair.A.Model, pair.B.Model, pair.A.Slug, pair.B.Slug, pair.A.Handle, pair.B.Handle })
            Assert.DoesNotContain(leak, cut.Markup);
    }

    [Fact]
    public async Task AFlagOnAnAnswerOutsideTheRatersPairIsRefused()
    {
        var study = await StudyAsync();
        var recorder = App.GetRequiredService<PairFlagRecorder>();
        var otherCase = study.Pairs.First(p => p.Case != study.Pairs[0].Case);
        await using (var connection = await App.GetRequiredService<Database>().OpenAsync())
            await connection.ExecuteAsync("DELETE FROM pair_assignments WHERE rater_id = @Rater AND pair_id = @Pair",
                new { Rater = study.Raters[0], Pair = study.Pairs[1].Id });

        Assert.False(await recorder.AddAsync(study.StudyId, study.Raters[0], study.Pairs[0].Id, otherCase.A.Id, "Not an answer of this pair."));
        Assert.False(await recorder.AddAsync(study.StudyId, study.Raters[0], study.Pairs[1].Id, study.Pairs[1].A.Id, "Not my pair any more."));
        Assert.False(await recorder.AddAsync(study.StudyId, study.Raters[0], study.Pairs[0].Id, study.Pairs[0].A.Id, "   "));
        Assert.True(await recorder.AddAsync(study.StudyId, study.Raters[0], study.Pairs[0].Id, study.Pairs[0].B.Id, "Mine to flag."));
        Assert.Empty(await App.GetRequiredService<FlagStore>().ListAsync(study.StudyId, study.Raters[0], otherCase.A.Id));
    }

    [Fact]
    public async Task APairWhoseVotesTheRaterHasSeenShowsThemAndItsHighlightsReadOnlyAndItsAnswersCanStillBeFlagged()
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
        Assert.Equal([false, false], cut.FindAll("fieldset.answer-flags").Select(f => f.HasAttribute("disabled")));

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
