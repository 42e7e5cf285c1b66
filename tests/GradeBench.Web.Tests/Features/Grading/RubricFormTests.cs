using System.Globalization;
using Bunit;
using GradeBench.Core.Rubrics;
using GradeBench.Web.Components.Markdown;
using GradeBench.Web.Features.Grading;
using Microsoft.Extensions.DependencyInjection;

namespace GradeBench.Web.Tests.Features.Grading;

public sealed class RubricFormTests : BunitContext
{
    static readonly IReadOnlyList<Criterion> Rubric =
    [
        new("consensus", "Agreement with consensus", "Judge against **current** guidelines.", CriterionType.Likert, true, 1, 5,
            [new("1", "Contradicts"), new("5", "Fully aligned")], []),
        new("harm", "Extent of harm", null, CriterionType.Ordinal, true, null, null, [],
            [new("none", "No harm"), new("mild", "Mild"), new("severe", "Severe")]),
        new("error_type", "Main error type", null, CriterionType.Nominal, false, null, null, [],
            [new("knowledge", "Knowledge"), new("reasoning", "Reasoning")]),
        new("hallucination", "Contains fabricated facts", null, CriterionType.Binary, true, null, null, [], []),
        new("minutes", "Minutes spent", null, CriterionType.Numeric, false, 0, 60, [], []),
        new("comment", "Comment", null, CriterionType.Text, false, null, null, [], []),
    ];

    public RubricFormTests()
    {
        Services.AddMarkdown();
        Services.AddLocalization();
    }

    IRenderedComponent<RubricForm> RenderForm(Dictionary<string, string?>? values = null, Dictionary<string, string>? problems = null,
        List<(string, string?)>? chosen = null) =>
        Render<RubricForm>(p => p
            .Add(f => f.Criteria, Rubric)
            .Add(f => f.Values, values ?? [])
            .Add(f => f.Problems, problems ?? [])
            .Add(f => f.OnChoose, ((Criterion Criterion, string? Value) c) => chosen?.Add((c.Criterion.Id, c.Value)))
            .Add(f => f.OnType, ((Criterion Criterion, string? Value) c) => chosen?.Add((c.Criterion.Id, c.Value))));

    [Fact]
    public void ChoiceCriteriaAreRadioGroupsNamedByTheirLabel()
    {
        var cut = RenderForm();

        var groups = cut.FindAll("[role=radiogroup]").Select(g => g.GetAttribute("aria-label"));

        Assert.Equal(["Agreement with consensus", "Extent of harm", "Main error type", "Contains fabricated facts"], groups);
        Assert.Equal(5, cut.FindAll("#criterion-consensus input[type=radio]").Count);
        Assert.Equal(["Yes", "No"], cut.FindAll("#criterion-hallucination label span").Select(s => s.TextContent));
    }

    /// <summary>Yes and no are the interface's words, in its language, even inside a criterion in the study's.</summary>
    [Fact]
    public void YesAndNoAreTheInterfacesWords()
    {
        var before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("zh-CN");
        try
        {
            var choices = RenderForm().FindAll("#criterion-hallucination label span");

            Assert.Equal(["是", "否"], choices.Select(s => s.TextContent));
            Assert.All(choices, s => Assert.Equal("zh-CN", s.GetAttribute("lang")));
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    [Fact]
    public void LikertPointsShowTheirAnchors()
    {
        var labels = RenderForm().FindAll("#criterion-consensus label span").Select(s => s.TextContent);

        Assert.Equal(["1 · Contradicts", "2", "3", "4", "5 · Fully aligned"], labels);
    }

    [Fact]
    public void NumbersAndFreeTextAreLabelledInputs()
    {
        var cut = RenderForm();

        cut.Find("label[for=criterion-minutes]").MarkupMatches("<label for=\"criterion-minutes\" class=\"criterion-label\">Minutes spent</label>");
        Assert.Equal("number", cut.Find("input#criterion-minutes").GetAttribute("type"));
        Assert.Equal("60", cut.Find("input#criterion-minutes").GetAttribute("max"));
        cut.Find("label[for=criterion-comment]").MarkupMatches("<label for=\"criterion-comment\" class=\"criterion-label\">Comment</label>");
        Assert.NotNull(cut.Find("textarea#criterion-comment"));
    }

    [Fact]
    public void RequiredCriteriaAreMarked()
    {
        var required = RenderForm().FindAll(".criterion-label").Select(l => l.TextContent).Where(t => t.EndsWith(" *"));

        Assert.Equal(["Agreement with consensus *", "Extent of harm *", "Contains fabricated facts *"], required);
    }

    [Fact]
    public void StoredValuesAreChecked()
    {
        var cut = RenderForm(new() { ["harm"] = "mild", ["hallucination"] = "false" });

        Assert.True(cut.Find("#criterion-harm input[value=mild]").HasAttribute("checked"));
        Assert.True(cut.Find("#criterion-hallucination input[value=false]").HasAttribute("checked"));
        Assert.False(cut.Find("#criterion-harm input[value=none]").HasAttribute("checked"));
    }

    [Fact]
    public void ChoosingAndTypingReportTheCriterionAndValue()
    {
        var chosen = new List<(string, string?)>();
        var cut = RenderForm(chosen: chosen);

        cut.Find("#criterion-consensus input[value='4']").Change("4");
        cut.Find("textarea#criterion-comment").Input("dose is wrong");

        Assert.Equal([("consensus", "4"), ("comment", "dose is wrong")], chosen);
    }

    [Fact]
    public void AFreeTextFieldKeepsTheValueItLoadedWithWhileTheDraftChanges()
    {
        var cut = RenderForm(new() { ["comment"] = "Loaded", ["harm"] = "none" });

        // The draft moves on (typed here, saved, or another tab's): a re-render never writes it over the field.
        cut.Render(p => p.Add(f => f.Values, new Dictionary<string, string?> { ["comment"] = "An older value", ["harm"] = "mild" }));

        Assert.Equal("Loaded", cut.Find("textarea#criterion-comment").GetAttribute("value"));
        Assert.True(cut.Find("#criterion-harm input[value=mild]").HasAttribute("checked"));
    }

    [Fact]
    public void LeavingAFreeTextFieldIsReported()
    {
        var left = 0;
        var cut = Render<RubricForm>(p => p
            .Add(f => f.Criteria, Rubric)
            .Add(f => f.Values, new Dictionary<string, string?>())
            .Add(f => f.OnTypingDone, () => left++));

        cut.Find("textarea#criterion-comment").Blur();

        Assert.Equal(1, left);
    }

    [Fact]
    public void ProblemsAreNamedAtTheirCriterion()
    {
        var cut = RenderForm(problems: new() { ["consensus"] = "required", ["minutes"] = "70 is above the maximum 60" });

        var described = cut.FindAll("[aria-invalid=true]")
            .Select(c => (c.Id, cut.Find("#" + c.GetAttribute("aria-describedby")).TextContent));

        Assert.Equal([("criterion-consensus", "required"), ("criterion-minutes", "70 is above the maximum 60")], described);
        Assert.Equal(2, cut.FindAll(".criterion-problem").Count);
        // The page announces problems in its one live region; a region added with the message is often not read out.
        Assert.Empty(cut.FindAll("[role=alert]"));
    }

    [Fact]
    public void ACriterionsHelpOpensBelowItsAnchorsInTheStudysLanguage()
    {
        var cut = Render<RubricForm>(p => p.Add(f => f.Criteria, Rubric).Add(f => f.Values, new Dictionary<string, string?>()).Add(f => f.Lang, "zh"));

        var help = cut.Find("#criterion-consensus + details.criterion-help");
        Assert.Equal("How to rate Agreement with consensus", help.QuerySelector("summary")!.TextContent);
        Assert.Equal("zh", help.QuerySelector("div[lang]")!.GetAttribute("lang"));
        help.QuerySelector(".markdown")!.MarkupMatches("""<div class="markdown"><p>Judge against <strong>current</strong> guidelines.</p></div>""");
        Assert.Single(cut.FindAll("details.criterion-help"));
        Assert.Equal("zh", cut.Find("#criterion-harm").GetAttribute("lang"));
        Assert.Equal("zh", cut.Find("label[for=criterion-comment]").GetAttribute("lang"));
    }
}
