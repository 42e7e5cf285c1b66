using GradeBench.Core.Studies;
using GradeBench.Storage.Studies;
using Microsoft.Extensions.DependencyInjection;

namespace GradeBench.Web.Tests.Features.Adjudication;

/// <summary>While the demo study is still open, raters see nothing of adjudication.</summary>
public sealed class AdjudicationBeforeRatingEndsTests(GradeBenchFactory factory) : IClassFixture<GradeBenchFactory>
{
    readonly AdjudicationScene _scene = new(factory);

    [Fact]
    public async Task ARaterOfAnOpenStudySeesNoQueueAndNoItem()
    {
        var studyId = await _scene.StudyIdAsync();
        Assert.Equal(StudyState.Open, (await factory.Services.GetRequiredService<StudyLifecycleStore>().StatusAsync(studyId))!.State);
        var client = await _scene.SignInAsync("rater-4");

        var queue = await client.GetStringAsync($"/studies/{studyId}/adjudication");
        var item = await client.GetStringAsync($"/studies/{studyId}/adjudication/1");

        Assert.Contains("Adjudication has not started", queue);
        Assert.DoesNotContain("<table", queue);
        Assert.Contains("This adjudication item does not exist or is not yours to see.", item);
    }

    [Fact]
    public async Task SomeoneWhoIsNotAMemberIsTurnedAway()
    {
        var studyId = await _scene.StudyIdAsync();
        var stranger = await factory.MemberAsync(null, "dr-stranger");
        var client = await _scene.SignInAsync(stranger.Username);

        var html = await client.GetStringAsync($"/studies/{studyId}/adjudication");

        Assert.Contains("You are not a member of this study.", html);
    }
}
