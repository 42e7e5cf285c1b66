using GradeBench.Core.Pairwise;
using GradeBench.Core.Studies;
using GradeBench.Storage;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Pairwise;
using GradeBench.Web.Features.Studies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace GradeBench.Web.Tests.Features.Adjudication;

/// <summary>A side-by-side study (<see cref="PairwiseFixture"/>'s, made from a copy of the demo: blinded, with the demo's
/// pilot ratings) in adjudication, one per test: the second pair's first two raters both chose the left answer on the
/// consensus axis, which was B for the first and A for the second, and a tie on harm, so the pair was queued when the
/// study entered adjudication through the app's own control; the third rater voted on nothing.</summary>
sealed record PairAdjudicationScene(long StudyId, PairwiseStudy Study, FixturePair Pair)
{
    public string ItemPath => $"/studies/{StudyId}/adjudication/pairs/{Pair.Handle}";

    public static async Task<PairAdjudicationScene> InAdjudicationAsync(GradeBenchFactory factory)
    {
        var studyId = await factory.ImportDemoCopyAsync();
        var study = await PairwiseFixture.TurnIntoPairwiseAsync(factory.Services.GetRequiredService<Database>(), TimeProvider.System, studyId,
            GradeBenchFactory.UniqueName("dr-ann"), GradeBenchFactory.UniqueName("dr-bob"), GradeBenchFactory.UniqueName("dr-cat"));
        var votes = factory.Services.GetRequiredService<PairwiseStore>();
        var pair = study.Pairs[1];
        foreach (var rater in study.Raters.Take(2))
        {
            var judgement = new PairJudgement
            {
                Choices = new Dictionary<string, PairwiseChoice?> { ["consensus"] = PairwiseChoice.Left, ["harm"] = PairwiseChoice.Tie },
                Reasons = ["accuracy"],
            };
            Assert.Equal(PairWriteOutcome.Saved, (await votes.SaveAsync(studyId, rater, pair.Id, judgement, submit: true)).Outcome);
        }
        var admin = await factory.AdministratorAsync();
        Assert.NotNull((await factory.Services.GetRequiredService<StudyRecorder>().ChangeStateAsync(studyId, admin.Id, StudyState.Adjudication)).Changed);
        return new PairAdjudicationScene(studyId, study, pair);
    }

    /// <summary>A browser-like client signed in as the study's rater <paramref name="rater"/> (an index into its raters).</summary>
    public async Task<HttpClient> SignInAsync(GradeBenchFactory factory, int rater)
    {
        var users = factory.Services.GetRequiredService<UserStore>();
        var user = (await users.FindByUsernameAsync(Study.Usernames[rater]))!;
        await users.SetPasswordHashAsync(user.Id, factory.Services.GetRequiredService<IPasswordHasher<User>>().HashPassword(user, GradeBenchFactory.MemberPassword));
        return await factory.SignedInClientAsync(user);
    }
}
