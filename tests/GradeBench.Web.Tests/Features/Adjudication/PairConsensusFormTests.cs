using Bunit;
using GradeBench.Core.Pairwise;
using GradeBench.Storage.Adjudication;
using GradeBench.Web.Features.Adjudication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using MudBlazor.Services;

namespace GradeBench.Web.Tests.Features.Adjudication;

/// <summary>The coordinator's consensus form of a side-by-side pair, live (interactive), on the app's own services and
/// <see cref="PairAdjudicationScene"/>'s pair, whose raters disagree on the consensus axis only.</summary>
public sealed class PairConsensusFormTests(GradeBenchFactory factory) : IClassFixture<GradeBenchFactory>
{
    [Fact]
    public async Task TheFormAsksForOneVoteOnEachDisagreeingAxisAndItsSaveResolvesThePair()
    {
        var scene = await PairAdjudicationScene.InAdjudicationAsync(factory);
        var store = factory.Services.GetRequiredService<AdjudicationStore>();
        var admin = await factory.AdministratorAsync();
        var itemId = (await store.PairItemIdAsync(scene.StudyId, scene.Pair.Handle))!.Value;
        var view = (await store.LoadPairAsync(scene.StudyId, itemId, admin.Id))!;
        var savedCalls = 0;
        using var context = new BunitContext();
        context.Services.AddMudServices();
        context.Services.AddSingleton(factory.Services.GetRequiredService<IStringLocalizerFactory>());
        context.Services.AddLocalization();
        context.Services.AddSingleton(factory.Services.GetRequiredService<AdjudicationRecorder>());
        context.JSInterop.Mode = JSRuntimeMode.Loose;

        var form = context.Render<PairConsensusForm>(p => p.Add(f => f.StudyId, scene.StudyId).Add(f => f.UserId, admin.Id).Add(f => f.Item, view)
            .Add(f => f.Saved, () => savedCalls++));
        // One vote each way: no majority to suggest, so nothing is chosen; harm, where both said tie, is not asked.
        Assert.Equal(["pair-consensus-consensus-a", "pair-consensus-consensus-b", "pair-consensus-consensus-tie"],
            form.FindAll("input[type=radio]").Select(r => r.Id));
        Assert.Equal(["Answer A", "Answer B", "Tie"], form.FindAll(".pair-choice label").Select(l => l.TextContent));
        Assert.DoesNotContain(form.FindAll("input[type=radio]"), r => r.HasAttribute("checked"));
        Assert.Empty(form.FindAll(".suggestion-mark"));
        form.Find("#pair-consensus-consensus-b").Change("b");
        form.Find("#pair-reason-consensus").Change("B follows the guideline.");
        await form.Find("form").SubmitAsync();

        Assert.Equal("Saved 1 consensus value; the item is resolved.", form.Find("#pair-consensus-state").TextContent);
        Assert.Equal(1, savedCalls);
        var decided = (await store.LoadPairAsync(scene.StudyId, itemId, admin.Id))!;
        Assert.Equal("resolved", decided.Status);
        Assert.Equal((PairChoice.B, "B follows the guideline."), (decided.Consensus.Single().Choice, decided.Consensus.Single().Reason));
    }
}
