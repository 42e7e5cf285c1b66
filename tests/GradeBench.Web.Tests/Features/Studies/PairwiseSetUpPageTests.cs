using System.Globalization;
using Bunit;
using GradeBench.Core.Studies;
using GradeBench.Storage.Studies;
using GradeBench.Web.Features.Studies;
using Microsoft.Extensions.DependencyInjection;

namespace GradeBench.Web.Tests.Features.Studies;

/// <summary>The set-up page of a side-by-side study (<see cref="DemoPairwise"/>, as a draft): its raters' items are
/// pairs, and its editor edits instructions, since the study has axes and no rubric.</summary>
public sealed class PairwiseSetUpPageTests(GradeBenchFactory factory) : IClassFixture<GradeBenchFactory>, IDisposable
{
    readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task ASideBySideStudysPageCountsPairsAndEditsOnlyItsInstructions()
    {
        var bundle = BundleReader.Read(DemoPairwise.Write(Path.Combine(_temp.Path, "bundle"))).Bundle!;
        var draft = bundle with { Study = bundle.Study with { Id = "pairs-" + Guid.NewGuid().ToString("N"), State = StudyState.Draft } };
        var studyId = (await factory.Services.GetRequiredService<StudyImporter>().ImportAsync(draft, [])).StudyId!.Value;
        var coordinator = await factory.MemberAsync(studyId, "dr-pair-coord", "coordinator");
        foreach (var name in new[] { "dr-pair-a", "dr-pair-b", "dr-pair-c", "dr-pair-d" }) await factory.MemberAsync(studyId, name);
        var before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
        try
        {
            using var context = new CoordinatorPageContext(factory.Services, coordinator.Id);
            var page = context.Render<StudySetupPage>(parameters => parameters.Add(p => p.StudyId, studyId));
            page.WaitForAssertion(() => Assert.Contains("rubric-heading", page.Markup), TimeSpan.FromSeconds(10));

            // 60 pairs × 3 raters over 4: 45 pairs each, none started.
            var counts = page.FindAll("table[aria-label='Raters of the study'] tbody tr")
                .Select(row => string.Join(" | ", row.Children.Take(3).Select(cell => cell.TextContent.Trim()))).ToList();
            Assert.Equal(4, counts.Count);
            Assert.All(counts, row => Assert.EndsWith(" | 45 | 45", row));
            Assert.Contains("each new answer is compared with every other model's answer to its case", page.Find("#responses-heading").ParentElement!.TextContent);
            var editor = page.Find("section.rubric-editor");
            Assert.Equal("Instructions", page.Find("#rubric-heading").TextContent.Trim());
            Assert.Contains("A side-by-side study has axes, not a rubric", editor.TextContent);
            Assert.Contains("Save the instructions", editor.TextContent);
            Assert.DoesNotContain("Save the rubric", editor.TextContent);

            // Removing a rater speaks of their pairs: 45 not started go to the others, none submitted.
            page.FindAll("button").First(b => b.TextContent.Contains("Remove from study")).Click();
            page.FindAll("button").First(b => b.TextContent.StartsWith("Remove Dr dr-pair-")).Click();
            page.WaitForAssertion(() => Assert.EndsWith("45 items not started went to the other raters. The 0 pairs they submitted stay in the study's data.",
                page.Find("[aria-label='Removal']").TextContent.Trim()), TimeSpan.FromSeconds(10));
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    [Fact]
    public async Task ASideBySideStudysPageSaysJudgesGradeOtherStudies()
    {
        var bundle = BundleReader.Read(DemoPairwise.Write(Path.Combine(_temp.Path, "judged"))).Bundle!;
        var open = bundle with { Study = bundle.Study with { Id = "pairs-" + Guid.NewGuid().ToString("N") } };
        var studyId = (await factory.Services.GetRequiredService<StudyImporter>().ImportAsync(open, [])).StudyId!.Value;
        var coordinator = await factory.MemberAsync(studyId, "dr-pair-judges", "coordinator");
        var before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
        try
        {
            using var context = new CoordinatorPageContext(factory.Services, coordinator.Id);
            var page = context.Render<StudySetupPage>(parameters => parameters.Add(p => p.StudyId, studyId));
            page.WaitForAssertion(() => Assert.Contains("judges-heading", page.Markup), TimeSpan.FromSeconds(10));

            // The store refuses judges in such a study (JudgeStore.AddAsync): the section says so in one sentence, no more.
            var judges = page.Find("section[aria-labelledby='judges-heading']");
            Assert.Equal(["LLM judges grade single answers and checklist studies only, not side-by-side pairs."],
                judges.QuerySelectorAll("p").Select(p => p.TextContent.Trim()));
            Assert.Empty(judges.QuerySelectorAll("table"));
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }
}
