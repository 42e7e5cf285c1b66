using System.Security.Claims;
using Bunit;
using GradeBench.Storage.Results;
using GradeBench.Storage.Studies;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace GradeBench.Web.Tests.Features.Results;

/// <summary>The results page in a live circuit (bUnit over the real app's services): the selects and the consensus toggle.</summary>
public sealed class ResultsInteractionTests : BunitContext, IClassFixture<GradeBenchFactory>
{
    readonly GradeBenchFactory _factory;

    public ResultsInteractionTests(GradeBenchFactory factory)
    {
        _factory = factory;
        Services.AddMudServices();
        Services.AddLocalization();
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddSingleton(factory.Services.GetRequiredService<StudyQuery>());
        Services.AddSingleton(factory.Services.GetRequiredService<ResultsQuery>());
        Services.AddSingleton(factory.Services.GetRequiredService<GradeBench.Web.Features.StudyResults.ResultsCache>());
        Services.AddSingleton(factory.Services.GetRequiredService<GradeBench.Storage.Judges.JudgeStore>());
        Services.AddSingleton(factory.Services.GetRequiredService<GradeBench.Storage.Pairwise.PairwiseStore>());
        Services.AddSingleton(factory.Services.GetRequiredService<GradeBench.Storage.Rubrics.ChecklistMarksQuery>());
    }

    async Task<IRenderedComponent<GradeBench.Web.Features.StudyResults.ResultsPage>> RenderAsAdministratorAsync()
    {
        var admin = await _factory.AdministratorAsync();
        var auth = AddAuthorization();
        auth.SetAuthorized("admin");
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, admin.Id.ToString()), new Claim("display_name", "admin"));
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        var studyId = (await _factory.Services.GetRequiredService<StudyQuery>().FindIdAsync("stroke-llm-synthetic-demo"))!.Value;
        var cut = Render<GradeBench.Web.Features.StudyResults.ResultsPage>(p => p.Add(c => c.StudyId, studyId));
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("table[aria-label='Agreement per criterion']")), TimeSpan.FromSeconds(30));
        return cut;
    }

    [Fact]
    public async Task ChoosingAnotherPairShowsTheirConfusionMatrix()
    {
        var cut = await RenderAsAdministratorAsync();
        var second = cut.FindAll("label").Single(l => l.TextContent.StartsWith("Second rater")).QuerySelector("select")!;
        var other = second.QuerySelectorAll("option").First(o => o.TextContent == "rater-4").GetAttribute("value");

        second.Change(other);

        cut.WaitForAssertion(() => Assert.Contains("× rater-4,", cut.Find("section[aria-labelledby='raters-heading']").TextContent));
        Assert.Single(cut.FindAll("table[aria-label^='Confusion matrix of'][aria-label*='and rater-4']"));
    }

    [Fact]
    public async Task TheConsensusToggleRecomputesTheModelTablesOnly()
    {
        var cut = await RenderAsAdministratorAsync();
        var agreement = cut.Find("table[aria-label='Agreement per criterion']").TextContent;

        cut.FindAll("input[type=radio]").Single(r => r.ParentElement!.TextContent.Contains("Consensus where present")).Change(true);

        cut.WaitForAssertion(() => Assert.Contains("On consensus values where a response has one", cut.Markup), TimeSpan.FromSeconds(30));
        Assert.Equal(agreement, cut.Find("table[aria-label='Agreement per criterion']").TextContent);
    }
}
