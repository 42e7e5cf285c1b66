using GradeBench.Core.Rubrics;
using Bunit;
using GradeBench.Core.Results;
using GradeBench.Web.Features.StudyResults;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace GradeBench.Web.Tests.Features.Results;

/// <summary>The rater-pair section on its own, over results computed from a small study: three raters of one likert
/// criterion, the first two rating every response and the third only one.</summary>
public sealed class RaterPairsTests : BunitContext
{
    static readonly Criterion Quality = new("quality", "Quality", null, CriterionType.Likert, true, 1, 3, [], []);

    public RaterPairsTests()
    {
        Services.AddMudServices();
        Services.AddLocalization();
        JSInterop.Mode = JSRuntimeMode.Loose;
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    static StudyResultsReport Report()
    {
        ResultRating[] ratings =
        [
            new(1, 1, 10, "1"), new(1, 1, 11, "1"), new(1, 2, 10, "2"), new(1, 2, 11, "3"),
            new(1, 3, 10, "3"), new(1, 3, 11, "3"), new(1, 3, 12, "3"),
        ];
        var input = new ResultsInput([new(1, Quality)], [new(1, "c1", "m"), new(2, "c2", "m"), new(3, "c3", "m")],
            [new(10, "ann"), new(11, "bob"), new(12, "cy")], ratings, [], [], [], []);
        return StudyResults.Compute(input, resamples: 50, seed: 1);
    }

    static int[] DiagonalCounts(IRenderedComponent<RaterPairs> cut) =>
        cut.FindAll("table.results-confusion td.diagonal").Select(td => int.Parse(td.TextContent)).ToArray();

    [Fact]
    public void TheFirstTwoRatersOfTheCriterionArePairedAtFirst()
    {
        var cut = Render<RaterPairs>(p => p.Add(c => c.Report, Report()));

        Assert.Equal("Confusion matrix: ann × bob, Quality", cut.FindAll("h3")[1].TextContent);
        // ann and bob agree on responses 1 (1) and 3 (3), and differ on 2.
        Assert.Equal([1, 0, 1], DiagonalCounts(cut));
        Assert.Equal(3, cut.FindAll("table.results-heatmap tbody tr").Count);
    }

    [Fact]
    public void ChoosingAnotherPairShowsTheirMatrix()
    {
        var cut = Render<RaterPairs>(p => p.Add(c => c.Report, Report()));

        cut.FindAll("label").Single(l => l.TextContent.StartsWith("Second rater")).QuerySelector("select")!.Change("12");

        Assert.Equal([0, 0, 1], DiagonalCounts(cut));
        Assert.Contains("Confusion matrix of ann and cy on Quality", cut.Find("table.results-confusion").GetAttribute("aria-label"));
    }
}
