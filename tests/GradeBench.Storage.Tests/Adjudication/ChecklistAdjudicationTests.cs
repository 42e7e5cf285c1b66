using Dapper;
using GradeBench.Core.Studies;
using GradeBench.Storage.Adjudication;
using GradeBench.Storage.Results;
using GradeBench.Storage.Rubrics;

namespace GradeBench.Storage.Tests.Adjudication;

/// <summary>Raters who disagree on a mark of a case's checklist send the answer to adjudication (by default, as for any
/// binary criterion), where the item shows the checklist and takes consensus values of it; the study's
/// <c>adjudication.checklist: "never"</c> turns that off. Consensus on marks stays out of the results.</summary>
public sealed class ChecklistAdjudicationTests : IAsyncDisposable
{
    readonly TempFolder _temp = new();
    readonly List<AdjudicationWorld> _worlds = [];

    public async ValueTask DisposeAsync()
    {
        foreach (var world in _worlds) await world.DisposeAsync();
        _temp.Dispose();
    }

    async Task<AdjudicationWorld> InAdjudicationAsync(string bundle)
    {
        var world = await AdjudicationWorld.CreateAsync(bundle);
        _worlds.Add(world);
        await world.MoveToAsync(StudyState.Adjudication);
        await world.Store.BuildQueueAsync(world.StudyId);
        return world;
    }

    string Bundle(bool never = false)
    {
        var folder = DemoChecklist.Write(Path.Combine(_temp.Path, Guid.NewGuid().ToString("N")));
        if (never)
        {
            var study = Path.Combine(folder, "study.json");
            File.WriteAllText(study, File.ReadAllText(study).Replace("  \"rubric\": {", "  \"adjudication\": { \"checklist\": \"never\" },\n  \"rubric\": {"));
        }
        return folder;
    }

    /// <summary>Each item's response and disagreeing criteria ids, in queue order.</summary>
    static async Task<Dictionary<string, string>> ItemsAsync(AdjudicationWorld world)
    {
        await using var connection = await world.Db.Database.OpenAsync();
        return (await connection.QueryAsync<(string Slug, string Criteria)>("""
            SELECT r.slug, i.disagreeing_criteria FROM adjudication_items i JOIN responses r ON r.id = i.response_id
            """)).ToDictionary(i => i.Slug, i => i.Criteria);
    }

    /// <summary>The marks on which the pilot raters of a response differ, by response, in checklist order.</summary>
    static Dictionary<string, List<string>> DisagreeingMarks() => DemoChecklist.Marks().Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .Select(line => line.Split(','))
        .GroupBy(f => (Response: f[0], Criterion: f[2]))
        .Where(g => g.Select(f => f[3]).Distinct().Count() > 1)
        .GroupBy(g => g.Key.Response, g => g.Key.Criterion)
        .ToDictionary(g => g.Key, g => g.ToList());

    [Fact]
    public async Task DisagreeingMarksSendTheAnswerToAdjudicationAfterTheRubricsDisagreements()
    {
        var plain = await ItemsAsync(await InAdjudicationAsync(TestPaths.DemoBundle));
        var world = await InAdjudicationAsync(Bundle());
        var marks = DisagreeingMarks();

        var items = await ItemsAsync(world);

        Assert.NotEmpty(marks);
        Assert.Equal(plain.Keys.Union(marks.Keys).Order(), items.Keys.Order());
        foreach (var (response, criteria) in items)
            Assert.Equal(string.Join(",", ((plain.GetValueOrDefault(response) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
                .Concat(marks.GetValueOrDefault(response) ?? [])), criteria);
        // The queue names a disagreeing mark by its text.
        var summary = (await world.Store.ListAsync(world.StudyId, world.Coordinator))!.First(s => s.DisagreeingCriterionIds.Contains("bp-below-185"));
        Assert.Contains("Lowers blood pressure below 185/110 mmHg before the bolus", summary.DisagreeingCriteria);
    }

    [Fact]
    public async Task WhenTheStudySaysNeverMarksSendNothingToAdjudication()
    {
        var plain = await ItemsAsync(await InAdjudicationAsync(TestPaths.DemoBundle));

        var never = await ItemsAsync(await InAdjudicationAsync(Bundle(never: true)));

        Assert.Equal(plain, never);
    }

    [Fact]
    public async Task AnItemShowsItsChecklistAndIsSettledOnlyWithAConsensusOnEveryMarkWhichTheResultsLeaveOut()
    {
        var world = await InAdjudicationAsync(Bundle());
        var (response, marks) = DisagreeingMarks().First(m => m.Key.StartsWith("case-007", StringComparison.Ordinal));
        var item = await world.ItemOfAsync(response);
        var view = (await world.Store.LoadAsync(world.StudyId, item, world.Coordinator))!;
        Assert.Equal(["thrombectomy", "large-core-trials", "no-thrombolysis"], view.Criteria.Skip(9).Select(c => c.Id));
        Assert.Contains(view.Raters, r => r.Values.ContainsKey("thrombectomy"));
        var rubric = view.Criteria.Take(9).Where(c => c.Type != Core.Rubrics.CriterionType.Text)
            .Select(c => new ConsensusEntry(c.Id, c.Options.Count > 0 ? c.Options[0].Value : c.Type == Core.Rubrics.CriterionType.Binary ? "false" : "3", "agreed"))
            .ToList();

        var rubricOnly = await world.Store.SaveConsensusAsync(world.StudyId, item, world.Coordinator, rubric);
        var resolvedEarly = await world.Store.MarkResolvedAsync(world.StudyId, item, world.Coordinator);
        var another = await world.Store.SaveConsensusAsync(world.StudyId, item, world.Coordinator, [new ConsensusEntry("bp-below-185", "true", "no")]);
        var all = await world.Store.SaveConsensusAsync(world.StudyId, item, world.Coordinator,
            [.. new[] { "thrombectomy", "large-core-trials", "no-thrombolysis" }.Select(c => new ConsensusEntry(c, "true", "agreed"))]);

        Assert.Equal((AdjudicationOutcome.Done, "open"), (rubricOnly.Outcome, rubricOnly.Status));
        Assert.Equal(AdjudicationOutcome.StillDisagrees, resolvedEarly.Outcome);
        Assert.Contains(resolvedEarly.StillDisagreeing, label => marks.Any(m => view.Criteria.Single(c => c.Id == m).Label == label));
        Assert.Equal(AdjudicationOutcome.Invalid, another.Outcome);
        Assert.Equal((AdjudicationOutcome.Done, "resolved"), (all.Outcome, all.Status));
        var reported = await new ConsensusQuery(world.Db.Database).ValuesAsync(world.StudyId);
        Assert.Equal(rubric.Count, reported.Count);
        var results = await new ResultsQuery(world.Db.Database, new RubricQuery(world.Db.Database)).LoadAsync(world.StudyId);
        Assert.Equal(rubric.Count, results.Consensus.Count);
    }
}
