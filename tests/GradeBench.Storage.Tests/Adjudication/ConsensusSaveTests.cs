using Dapper;
using GradeBench.Core.Studies;
using GradeBench.Storage.Adjudication;

namespace GradeBench.Storage.Tests.Adjudication;

/// <summary>One Save records every consensus value of an item, in one transaction, all or none; Mark resolved names the
/// criteria whose ratings still differ without a consensus value.</summary>
public sealed class ConsensusSaveTests : IAsyncLifetime
{
    AdjudicationWorld _world = null!;
    AdjudicationStore Store => _world.Store;
    long StudyId => _world.StudyId;

    public async Task InitializeAsync()
    {
        _world = await AdjudicationWorld.CreateAsync();
        await _world.MoveToAsync(StudyState.Adjudication);
        await Store.BuildQueueAsync(StudyId);
    }

    public async Task DisposeAsync() => await _world.DisposeAsync();

    static readonly Dictionary<string, string> Decisions = new()
    {
        ["consensus"] = "+1", ["reasoning"] = "2", ["completeness"] = "major", ["incorrect_content"] = "major", ["harm_extent"] = "severe-death",
        ["harm_likelihood"] = "medium", ["hallucination"] = "true", ["overall"] = "1",
    };

    static List<ConsensusEntry> Entries(string reason) => Decisions.Select(d => new ConsensusEntry(d.Key, d.Value, reason)).ToList();

    async Task<IReadOnlyList<(string Value, string DecidedAt)>> StoredAsync(long item)
    {
        await using var connection = await _world.Db.Database.OpenAsync();
        return (await connection.QueryAsync<(string, string)>(
            "SELECT value, CAST(decided_at AS TEXT) FROM consensus_values WHERE item_id = @Item", new { Item = item })).AsList();
    }

    [Fact]
    public async Task OneSaveRecordsEveryCriterionOfTheItemAndSettlesIt()
    {
        var item = await _world.ItemOfAsync("case-001.model-b");

        var saved = await Store.SaveConsensusAsync(StudyId, item, _world.Coordinator, Entries("discussed at the meeting"));

        Assert.Equal((AdjudicationOutcome.Done, "resolved", 8), (saved.Outcome, saved.Status, saved.Saved));
        var stored = await StoredAsync(item);
        Assert.Equal(8, stored.Count);
        Assert.Single(stored.Select(s => s.DecidedAt).Distinct());
        Assert.Contains(stored, s => s.Value == "1"); // "+1" stored canonical
    }

    [Fact]
    public async Task ASaveWithOneUnacceptableValueWritesNothingAndSaysWhichCriterion()
    {
        var item = await _world.ItemOfAsync("case-001.model-b");
        var entries = Entries("discussed");
        entries[2] = new ConsensusEntry("completeness", "grave", "discussed");
        entries[3] = new ConsensusEntry("incorrect_content", "major", " ");

        var saved = await Store.SaveConsensusAsync(StudyId, item, _world.Coordinator, entries);

        Assert.Equal((AdjudicationOutcome.Invalid, "open"), (saved.Outcome, saved.Status));
        Assert.Equal(["completeness", "incorrect_content"], saved.CriterionProblems.Keys.Order());
        Assert.Equal("\"grave\" is not one of none, minor, major", saved.CriterionProblems["completeness"].ToString());
        Assert.Empty(await StoredAsync(item));
    }

    [Fact]
    public async Task SavingTheSameValuesAgainWritesNothingNew()
    {
        var item = await _world.ItemOfAsync("case-001.model-b");
        await Store.SaveConsensusAsync(StudyId, item, _world.Coordinator, Entries("discussed").Take(2).ToList());

        var again = await Store.SaveConsensusAsync(StudyId, item, _world.Coordinator, Entries("discussed").Take(3).ToList());

        Assert.Equal((AdjudicationOutcome.Done, 1), (again.Outcome, again.Saved));
        Assert.Equal(3, (await StoredAsync(item)).Count);
    }

    [Fact]
    public async Task OnlyACoordinatorSavesConsensus()
    {
        var item = await _world.ItemOfAsync("case-001.model-b");

        var saved = await Store.SaveConsensusAsync(StudyId, item, await _world.UserAsync("rater-1"), Entries("we agreed"));

        Assert.Equal(AdjudicationOutcome.NotAllowed, saved.Outcome);
        Assert.Empty(await StoredAsync(item));
    }

    [Fact]
    public async Task MarkResolvedNamesTheCriteriaThatStillDisagreeWithoutAConsensusValue()
    {
        // reasoning 3/4/2 and consensus 4/4/3 differ; the rest of case-004.model-c is unanimous.
        var item = await _world.ItemOfAsync("case-004.model-c");
        await Store.RecordConsensusAsync(StudyId, item, _world.Coordinator, "reasoning", "3", "the median");

        var refused = await Store.MarkResolvedAsync(StudyId, item, _world.Coordinator);
        var anyway = await Store.MarkResolvedAsync(StudyId, item, _world.Coordinator, evenIfDisagreeing: true);

        Assert.Equal((AdjudicationOutcome.StillDisagrees, "open"), (refused.Outcome, refused.Status));
        Assert.Equal(["Agreement with guideline consensus"], refused.StillDisagreeing);
        Assert.Equal("Still disagreeing without a consensus value: Agreement with guideline consensus.", refused.Problem);
        Assert.Equal((AdjudicationOutcome.Done, "resolved"), (anyway.Outcome, anyway.Status));
    }
}
