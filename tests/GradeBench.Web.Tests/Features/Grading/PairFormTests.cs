using Bunit;
using GradeBench.Core.Pairwise;
using GradeBench.Core.Rubrics;
using GradeBench.Web.Components.Markdown;
using GradeBench.Web.Features.Grading;
using Microsoft.Extensions.DependencyInjection;

namespace GradeBench.Web.Tests.Features.Grading;

public sealed class PairFormTests : BunitContext
{
    static readonly IReadOnlyList<PairwiseAxis> Axes =
    [
        new("consensus", "Which answer better reflects clinical consensus?", "Judge against **current** guidelines.", BothUnacceptable: false)
        {
            QuestionTranslations = Translations.FromJson("""{"zh-CN":"哪个回答更符合临床共识？"}"""),
        },
        new("harm", "Which answer is less likely to cause harm?", null, BothUnacceptable: true),
    ];

    static readonly IReadOnlyList<PairwiseReasonTag> Reasons = [new("accuracy", "More accurate"), new("safety", "Safer")];

    public PairFormTests()
    {
        Services.AddMarkdown();
        Services.AddLocalization();
    }

    IRenderedComponent<PairForm> RenderForm(Dictionary<string, PairwiseChoice?>? choices = null, Dictionary<string, string>? problems = null,
        string comment = "", List<string>? heard = null) =>
        Render<PairForm>(p => p
            .Add(f => f.Axes, Axes)
            .Add(f => f.Reasons, Reasons)
            .Add(f => f.Choices, choices ?? [])
            .Add(f => f.Ticked, new HashSet<string> { "safety" })
            .Add(f => f.Comment, comment)
            .Add(f => f.Problems, problems ?? [])
            .Add(f => f.Lang, "en")
            .Add(f => f.OnChoose, ((string Axis, PairwiseChoice Choice) c) => heard?.Add($"{c.Axis}={c.Choice}"))
            .Add(f => f.OnTick, ((string Reason, bool Ticked) t) => heard?.Add($"{t.Reason}={t.Ticked}"))
            .Add(f => f.OnType, (string? text) => heard?.Add($"comment={text}")));

    [Fact]
    public void EachQuestionIsARadioGroupNamedByItsLegendWithBothUnacceptableOnlyWhereOffered()
    {
        var cut = RenderForm(new() { ["harm"] = PairwiseChoice.BothBad });

        var consensus = cut.Find("fieldset#axis-consensus");
        Assert.Equal(("radiogroup", "axis-consensus-question"), (consensus.GetAttribute("role"), consensus.GetAttribute("aria-labelledby")));
        Assert.Equal("Which answer better reflects clinical consensus? *", cut.Find("legend#axis-consensus-question").TextContent);
        Assert.Equal(["left", "right", "tie"], cut.FindAll("#axis-consensus input[type=radio]").Select(r => r.GetAttribute("value")));
        Assert.Equal(["a", "b", "t", "x"], cut.FindAll("#axis-harm input[type=radio]").Select(r => r.GetAttribute("data-key")));
        Assert.True(cut.Find("#axis-harm-both_bad").HasAttribute("checked"));
        Assert.Equal(["axis:harm"], cut.FindAll("#axis-harm input").Select(r => r.GetAttribute("data-criterion")).Distinct());
        Assert.Contains("current", cut.Find("#axis-consensus details.criterion-help").TextContent);
        Assert.True(cut.Find("#reason-safety").HasAttribute("checked"));
        Assert.Equal("reason:accuracy", cut.Find("#reason-accuracy").GetAttribute("data-criterion"));
    }

    [Fact]
    public void AProblemIsShownOnItsQuestionAndDescribesIt()
    {
        var cut = RenderForm(problems: new() { ["harm"] = "a choice is required" });

        var harm = cut.Find("#axis-harm");
        Assert.Contains("criterion-problem", harm.ClassList);
        Assert.Equal(("true", "axis-harm-problem"), (harm.GetAttribute("aria-invalid"), harm.GetAttribute("aria-describedby")));
        Assert.Equal("a choice is required", cut.Find("#axis-harm-problem").TextContent);
        Assert.Null(cut.Find("#axis-consensus").GetAttribute("aria-invalid"));
    }

    [Fact]
    public void ChoosingTickingAndTypingAreReported()
    {
        var heard = new List<string>();
        var cut = RenderForm(heard: heard);

        cut.Find("#axis-consensus-right").Change("right");
        cut.Find("#reason-accuracy").Change(true);
        cut.Find("#pair-comment").Input("Right is safer");

        Assert.Equal(["consensus=Right", "accuracy=True", "comment=Right is safer"], heard);
    }

    /// <summary>The comment belongs to the browser while it is typed: a render with another value does not write over it.</summary>
    [Fact]
    public void TheCommentShowsOnlyTheValueItLoadedWith()
    {
        var cut = RenderForm(comment: "As loaded");

        cut.Render(p => p.Add(f => f.Comment, "Saved elsewhere"));

        Assert.Equal("As loaded", cut.Find("#pair-comment").GetAttribute("value"));
    }
}
