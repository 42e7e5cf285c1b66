using GradeBench.Core.Rubrics;
using GradeBench.Core.Studies;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Rubrics;
using GradeBench.Storage.Studies;

namespace GradeBench.Storage.Tests.Studies;

/// <summary>The set-up page's rubric editor changes the study's own texts; their translations stay as they are.</summary>
public sealed class TranslatedRubricEditTests
{
    [Fact]
    public async Task EditingTheStudysTextsKeepsTheirTranslations()
    {
        await using var db = await TestDatabase.CreateAsync();
        var studyId = (await new StudyImporter(db.Database, db.Clock).ImportAsync(TestPaths.DemoBundle, state: StudyState.Draft)).StudyId!.Value;
        var users = new UserStore(db.Database, db.Clock);
        var coordinator = (await users.CreateAsync("dr-coord", "Dr Coord", isAdmin: false))!.Id;
        await users.AddMembershipAsync(studyId, coordinator, "coordinator");
        var studies = new StudyQuery(db.Database);
        var rubric = new RubricQuery(db.Database);
        var store = new StudySetupStore(db.Database, studies, rubric, db.Clock);

        var result = await store.SaveRubricAsync(studyId, coordinator, new RubricEdit("# New rules",
            [new CriterionEdit("harm_extent", "Possible harm", "New help", Required: true,
                new Dictionary<string, string> { ["none"] = "None at all" }, new Dictionary<int, string>())]));

        Assert.True(result.Saved, string.Join("\n", result.Errors));
        var harm = (await rubric.LoadAsync(studyId)).Single(c => c.Criterion.Id == "harm_extent").Criterion;
        var chinese = new TextLanguages("zh-CN", "en");
        Assert.Equal(new ShownText("Possible harm", "en"), harm.LabelIn(new TextLanguages("en", "en")));
        Assert.Equal(new ShownText("可能危害的程度", "zh-CN"), harm.LabelIn(chinese));
        Assert.Equal(("None at all", new ShownText("无危害", "zh-CN")), (harm.Options[0].Label, harm.Options[0].LabelIn(chinese)));
        var membership = (await studies.MembershipAsync(studyId, coordinator))!;
        Assert.Equal(new ShownText("# New rules", "en"), membership.InstructionsIn(new TextLanguages("en", "en")));
        Assert.StartsWith("# 评分指南", membership.InstructionsIn(chinese).Text);
    }
}
