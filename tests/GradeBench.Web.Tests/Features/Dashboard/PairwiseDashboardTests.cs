using System.Net;
using System.Text.RegularExpressions;
using GradeBench.Core.Pairwise;
using GradeBench.Storage;
using GradeBench.Storage.Dashboard;
using GradeBench.Storage.Pairwise;
using GradeBench.Storage.Studies;
using GradeBench.Web.Features.Dashboard;
using GradeBench.Web.Features.Live;
using GradeBench.Web.Features.Studies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace GradeBench.Web.Tests.Features.Dashboard;

/// <summary>The dashboard of a side-by-side study (<see cref="PairwiseFixture"/>, two raters of six pairs each): progress
/// counts pairs, per pair of models and per axis, and the feed names pairs by their handles.</summary>
public sealed partial class PairwiseDashboardTests(GradeBenchFactory factory) : IClassFixture<GradeBenchFactory>
{
    async Task<PairwiseStudy> PairwiseStudyAsync() =>
        await PairwiseFixture.TurnIntoPairwiseAsync(factory.Services.GetRequiredService<Database>(), TimeProvider.System, await factory.ImportDemoCopyAsync(),
            GradeBenchFactory.UniqueName("dr-left"), GradeBenchFactory.UniqueName("dr-right"));

    async Task SubmitAsync(PairwiseStudy study, int rater, int pair) =>
        Assert.Equal(PairWriteOutcome.Saved, (await factory.Services.GetRequiredService<PairwiseStore>().SaveAsync(study.StudyId, study.Raters[rater],
            study.Pairs[pair].Id, new PairJudgement
            {
                Choices = new Dictionary<string, PairwiseChoice?> { ["consensus"] = PairwiseChoice.Left, ["harm"] = PairwiseChoice.BothBad },
            }, submit: true)).Outcome);

    [GeneratedRegex("""<table[^>]*aria-label="(?<label>[^"]+)"[^>]*>.*?<tbody[^>]*>(?<body>.*?)</tbody>""", RegexOptions.Singleline)]
    private static partial Regex Table();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tag();

    /// <summary>Each row of the table labelled <paramref name="label"/>, as its text with spaces collapsed.</summary>
    static List<string> Rows(string html, string label)
    {
        var table = Table().Matches(html).Single(m => m.Groups["label"].Value == label);
        return [.. Regex.Split(table.Groups["body"].Value, "</tr>").Select(r => Regex.Replace(WebUtility.HtmlDecode(Tag().Replace(r, " ")), @"\s+", " ").Trim())
            .Where(r => r.Length > 0)];
    }

    [Fact]
    public async Task ThePairwiseDashboardShowsPairProgressPerRaterPairOfModelsAndAxis()
    {
        var study = await PairwiseStudyAsync();
        await SubmitAsync(study, rater: 0, pair: 0);
        await SubmitAsync(study, rater: 0, pair: 4);
        await SubmitAsync(study, rater: 1, pair: 0);
        // The counts are read off the request path once per data version; the next visit shows them at once.
        await await factory.Services.GetRequiredService<DashboardCounts>().CurrentAsync(study.StudyId);

        var html = await factory.PageAsAdministratorAsync($"/studies/{study.StudyId}/dashboard");

        Assert.Contains("3 of 12 assigned pairs done (25%)", html);
        var raters = Rows(html, "Progress per rater");
        Assert.Contains(raters, r => r.StartsWith($"{study.Usernames[0]} 2 / 6 ", StringComparison.Ordinal));
        Assert.Contains(raters, r => r.StartsWith($"{study.Usernames[1]} 1 / 6 ", StringComparison.Ordinal));
        Assert.Equal(["Which answer better reflects clinical consensus? 3 / 12", "Which answer is less likely to cause harm? 3 / 12"],
            Rows(html, "Progress per axis"));
        // Pair 4 is case-002's model-a and model-c.
        Assert.Equal(["model-a – model-b 2 / 4", "model-a – model-c 1 / 4", "model-b – model-c 0 / 4"], Rows(html, "Progress per pair of models"));
        Assert.DoesNotContain("Agreement per criterion", html);
        Assert.DoesNotContain("Progress per criterion", html);
        Assert.Contains($"{study.Usernames[1]} submitted pair {study.Pairs[0].Handle}", html);
    }

    [Fact]
    public async Task APairSubmittedLiveIsLoggedByItsHandle()
    {
        var study = await PairwiseStudyAsync();
        var app = factory.Services;
        using var state = new DashboardState(app.GetRequiredService<StudyQuery>(), app.GetRequiredService<DashboardQuery>(), app.GetRequiredService<DashboardCounts>(),
            app.GetRequiredService<StudyRecorder>(), app.GetRequiredService<AgreementMonitor>(), app.GetRequiredService<PresenceTracker>(),
            app.GetRequiredService<PairwiseStore>(), TimeProvider.System, app.GetRequiredService<IStringLocalizer<DashboardText>>(),
            app.GetRequiredService<IStringLocalizer<Core.Messages.MessageText>>());
        Assert.True(await state.LoadAsync(study.StudyId, (await factory.AdministratorAsync()).Id, live: false));

        Assert.True(DashboardState.Shows(new PairSubmitted(study.StudyId, study.Raters[0], "Dr Left", study.Pairs[3].Id, study.Pairs[3].Handle, DateTimeOffset.UtcNow)));
        Assert.True(state.Apply(new PairSubmitted(study.StudyId, study.Raters[0], "Dr Left", study.Pairs[3].Id, study.Pairs[3].Handle, DateTimeOffset.UtcNow)));

        Assert.True(state.Pairwise);
        Assert.Null(state.Agreement);
        Assert.Equal($"Dr Left submitted pair {study.Pairs[3].Handle}", state.Activity[0].Text);
    }
}
