using System.Globalization;
using Bunit;
using GradeBench.Core.Rubrics;
using GradeBench.Web.Components.Markdown;
using GradeBench.Web.Features.Grading;
using Microsoft.Extensions.DependencyInjection;

namespace GradeBench.Web.Tests.Features.Grading;

public sealed class ChecklistFormTests : BunitContext
{
    static readonly IReadOnlyList<CaseCriterion> Checklist =
    [
        new("abcd2-score", "Scores **ABCD2** as 6", 5, ["axis:accuracy"]),
        new("home-untreated", "Sends the patient home untreated", -6, ["axis:safety"])
        {
            TextTranslations = new Translations(new Dictionary<string, string> { ["zh-CN"] = "未经治疗即让患者回家" }),
        },
    ];

    public ChecklistFormTests()
    {
        Services.AddMarkdown();
        Services.AddLocalization();
    }

    IRenderedComponent<ChecklistForm> RenderForm(Dictionary<string, string?>? values = null, Dictionary<string, string>? problems = null,
        List<(string, string?)>? chosen = null) =>
        Render<ChecklistForm>(p => p
            .Add(f => f.Checklist, Checklist)
            .Add(f => f.Values, values ?? [])
            .Add(f => f.Problems, problems ?? [])
            .Add(f => f.Lang, "en")
            .Add(f => f.OnChoose, ((Criterion Criterion, string? Value) c) => chosen?.Add((c.Criterion.Id, c.Value))));

    [Fact]
    public void EachCriterionIsAMetOrNotMetGroupNamedByItsPointsAndText()
    {
        var cut = RenderForm(new() { ["home-untreated"] = "false" });

        var group = cut.Find("#criterion-home-untreated");
        Assert.Equal("radiogroup", group.GetAttribute("role"));
        Assert.Equal(["criterion-home-untreated-points", "criterion-home-untreated-text"], group.GetAttribute("aria-labelledby")!.Split(' '));
        Assert.Equal("\u22126 points", cut.Find("#criterion-home-untreated-points").TextContent);
        Assert.Equal("+5 points", cut.Find("#criterion-abcd2-score-points").TextContent);
        Assert.Equal(["Met", "Not met"], cut.FindAll("#criterion-home-untreated label span").Select(s => s.TextContent));
        Assert.Equal(["true", "false"], cut.FindAll("#criterion-home-untreated input").Select(i => i.GetAttribute("value")));
        Assert.True(cut.Find("#criterion-home-untreated input[value=false]").HasAttribute("checked"));
        Assert.Contains("checklist-penalty", group.ParentElement!.ClassList);
        Assert.DoesNotContain("checklist-penalty", cut.Find("#criterion-abcd2-score").ParentElement!.ClassList);
        Assert.Contains("<strong>ABCD2</strong>", cut.Find("#criterion-abcd2-score-text").InnerHtml);
    }

    [Fact]
    public void AMarkIsReportedAsTheCriterionsBinaryValue()
    {
        var chosen = new List<(string, string?)>();
        var cut = RenderForm(chosen: chosen);

        cut.Find("#criterion-abcd2-score input[value=true]").Change(true);
        cut.Find("#criterion-home-untreated input[value=false]").Change(true);

        Assert.Equal([("abcd2-score", "true"), ("home-untreated", "false")], chosen);
    }

    [Fact]
    public void AProblemIsDescribedToItsGroup()
    {
        var cut = RenderForm(problems: new() { ["abcd2-score"] = "Required." });

        var group = cut.Find("#criterion-abcd2-score");
        Assert.Equal("true", group.GetAttribute("aria-invalid"));
        Assert.Equal("Required.", cut.Find("#" + group.GetAttribute("aria-describedby")).TextContent);
        Assert.Null(cut.Find("#criterion-home-untreated").GetAttribute("aria-describedby"));
    }

    /// <summary>Points and the words met / not met are the interface's; a criterion's text is the study's translation where it has one.</summary>
    [Fact]
    public void InChineseThePointsAndMarksAreChineseAndTheTextIsTheTranslation()
    {
        var before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("zh-CN");
        try
        {
            var cut = RenderForm();

            Assert.Equal("\u22126 分", cut.Find("#criterion-home-untreated-points").TextContent);
            Assert.Equal(["满足", "未满足"], cut.FindAll("#criterion-home-untreated label span").Select(s => s.TextContent));
            var text = cut.Find("#criterion-home-untreated-text");
            Assert.Equal(("zh-CN", "未经治疗即让患者回家"), (text.GetAttribute("lang"), text.TextContent.Trim()));
            Assert.Equal("en", cut.Find("#criterion-abcd2-score-text").GetAttribute("lang"));
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }
}
