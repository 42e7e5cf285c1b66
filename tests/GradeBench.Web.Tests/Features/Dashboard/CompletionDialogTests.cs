using System.Globalization;
using Bunit;
using GradeBench.Core.Pairwise;
using GradeBench.Storage;
using GradeBench.Storage.Dashboard;
using GradeBench.Storage.Pairwise;
using GradeBench.Web.Features.Dashboard;
using GradeBench.Web.Features.Studies;
using GradeBench.Web.Tests.Features.Adjudication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace GradeBench.Web.Tests.Features.Dashboard;

/// <summary>The question Start adjudication asks on the dashboard says what is not done: ratings in a study of single
/// answers, assigned pairs in a side-by-side study (<see cref="PairwiseFixture"/>, two raters of six pairs each).</summary>
public sealed class CompletionDialogTests(GradeBenchFactory factory) : LiveAdjudicationContext(factory), IClassFixture<GradeBenchFactory>
{
    /// <summary>The not-done line of the question Start adjudication opens on the dashboard of <paramref name="studyId"/>, in English.</summary>
    async Task<string> NotDoneAsync(long studyId)
    {
        UseAppServices(typeof(DashboardQuery), typeof(DashboardCounts), typeof(StudyRecorder), typeof(AgreementMonitor), typeof(SpanAgreementMonitor), typeof(GradeBench.Storage.Results.SpanAgreementQuery), typeof(TimeProvider),
            typeof(IStringLocalizer<DashboardText>), typeof(PairwiseStore));
        SignInAs(await AdministratorIdAsync(), "admin");
        var before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
        try
        {
            var page = Render<DashboardPage>(p => p.Add(c => c.StudyId, studyId));
            // The counts arrive after the first render and re-render the page: a button found before then is gone when clicked.
            page.WaitForAssertion(() => page.FindAll("[aria-label='Study lifecycle'] button").Single(b => b.TextContent.Trim() == "Start adjudication").Click(),
                TimeSpan.FromSeconds(10));
            page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[aria-label='Not done yet']")), TimeSpan.FromSeconds(10));
            return page.Find("[aria-label='Not done yet']").TextContent.Trim();
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    [Fact]
    public async Task InASideBySideStudyTheQuestionCountsAssignedPairs()
    {
        var study = await PairwiseFixture.TurnIntoPairwiseAsync(App.GetRequiredService<Database>(), TimeProvider.System, await Factory.ImportDemoCopyAsync(),
            GradeBenchFactory.UniqueName("dr-left"), GradeBenchFactory.UniqueName("dr-right"));
        var store = App.GetRequiredService<PairwiseStore>();
        foreach (var rater in study.Raters)
            await store.SaveAsync(study.StudyId, rater, study.Pairs[0].Id, new PairJudgement
            {
                Choices = new Dictionary<string, PairwiseChoice?> { ["consensus"] = PairwiseChoice.Left, ["harm"] = PairwiseChoice.Tie },
            }, submit: true);
        await store.SaveAsync(study.StudyId, study.Raters[0], study.Pairs[1].Id, new PairJudgement { Comment = "Half read" }, submit: false);

        Assert.Equal("10 of 12 assigned pairs not submitted; 1 rater has unsubmitted drafts.", await NotDoneAsync(study.StudyId));
        // The same line in Chinese speaks of pairs of answers too.
        var completion = (await App.GetRequiredService<StudyRecorder>().CompletionAsync(study.StudyId))!;
        var before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = new CultureInfo("zh-CN");
        try
        {
            Assert.Equal("已分配的 12 个回答对中有 10 个未提交；1 名评分者有未提交的草稿。",
                LifecycleControls.NotDone(App.GetRequiredService<IStringLocalizer<DashboardText>>(), completion));
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    [Fact]
    public async Task InAStudyOfSingleAnswersTheQuestionCountsRatings()
    {
        // The demo: 60 responses × 3 raters; its pilot raters submitted 72 ratings.
        Assert.Equal("108 of 180 ratings missing; no rater has an unsubmitted draft.", await NotDoneAsync(await Factory.ImportDemoCopyAsync()));
    }
}
