using System.Globalization;
using Bunit;
using GradeBench.Storage.Judges;
using GradeBench.Web.Features.Studies;
using Microsoft.Extensions.DependencyInjection;

namespace GradeBench.Web.Tests.Features.Studies;

public sealed class JudgesOnSetUpPageTests(GradeBenchFactory factory) : IClassFixture<GradeBenchFactory>
{
    [Fact]
    public async Task TheSetUpPageListsEachJudgeWithItsProvenanceAndProgress()
    {
        var studyId = await factory.ImportDemoCopyAsync();
        var coordinator = await factory.MemberAsync(studyId, "dr-judges", "coordinator");
        var judges = factory.Services.GetRequiredService<JudgeStore>();
        const string Prompt = "Rate as a stroke neurologist.";
        await judges.AddAsync(studyId, new NewJudge("gpt-judge", "gpt-4o", "2024-08-06", Prompt, 0.2));
        await judges.AddAsync(studyId, new NewJudge("bare", "claude-3-5-sonnet"), ["case-001.model-a", "case-002.model-a"]);
        var before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
        try
        {
            using var context = new CoordinatorPageContext(factory.Services, coordinator.Id);
            var page = context.Render<StudySetupPage>(parameters => parameters.Add(p => p.StudyId, studyId));
            page.WaitForAssertion(() => Assert.Contains("judges-heading", page.Markup), TimeSpan.FromSeconds(10));

            var rows = page.FindAll("table[aria-label='LLM judges of this study'] tbody tr")
                .Select(row => string.Join(" | ", row.Children.Select(cell => string.Join(' ', cell.TextContent.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries)))))
                .ToList();
            var sha = JudgeStore.PromptSha256(Prompt);
            Assert.Equal(2, rows.Count);
            Assert.StartsWith("bare | claude-3-5-sonnet | not recorded | not recorded | as it is now | 0 of the 2 responses chosen | ", rows[0]);
            Assert.StartsWith($"gpt-judge | gpt-4o2024-08-06 | 0.2 | {sha[..12]} show the prompt {sha} {Prompt} | as it is now | 0 of all 60 responses | ", rows[1]);
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }
}
