using System.Text;
using Dapper;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Rubrics;
using GradeBench.Storage.Studies;

namespace GradeBench.Storage.Tests.Studies;

public sealed class StudySetupStoreTests
{
    sealed record World(TestDatabase Db, StudySetupStore Store, long StudyId, long Admin, long Coordinator, long Rater) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Db.DisposeAsync();
    }

    /// <summary>The demo study (open; 4 pilot raters, 3 raters per response), an administrator, a coordinator and a
    /// new rater; <paramref name="draft"/> puts the study back into draft.</summary>
    static async Task<World> DemoAsync(bool draft = false)
    {
        var db = await TestDatabase.CreateAsync();
        var studyId = (await new StudyImporter(db.Database, db.Clock).ImportAsync(TestPaths.DemoBundle)).StudyId!.Value;
        var users = new UserStore(db.Database, db.Clock);
        var admin = (await users.CreateAsync("the-admin", "The Admin", isAdmin: true))!.Id;
        var coordinator = (await users.CreateAsync("dr-coord", "Dr Coord", isAdmin: false))!.Id;
        await users.AddMembershipAsync(studyId, coordinator, "coordinator");
        var rater = await db.AddRaterAsync(studyId, "dr-new");
        if (draft)
        {
            await using var connection = await db.Database.OpenAsync();
            await connection.ExecuteAsync("UPDATE studies SET state = 'draft' WHERE id = @StudyId", new { StudyId = studyId });
        }
        var store = new StudySetupStore(db.Database, new StudyQuery(db.Database), new RubricQuery(db.Database), db.Clock);
        return new World(db, store, studyId, admin, coordinator, rater);
    }

    static CriterionEdit ConsensusEdit(string label = "Agrees with the guidelines", IReadOnlyDictionary<int, string>? anchors = null) =>
        new("consensus", label, "New help", Required: false, new Dictionary<string, string>(), anchors ?? new Dictionary<int, string> { [1] = "Contradicts the guidelines" });

    static CriterionEdit CompletenessEdit(string middle = "Yes, but it matters little") =>
        new("completeness", "Leaves out what matters", "Think of **the specialist**.", Required: true,
            new Dictionary<string, string> { ["none"] = "Nothing missing", ["minor"] = middle }, new Dictionary<int, string>());

    static RubricEdit Rubric(string instructions, params CriterionEdit[] criteria) => new(instructions, criteria);

    static byte[] Jsonl(params string[] lines) => Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n");

    static string Response(string id, string caseId = "case-001", string model = "model-d") =>
        $$"""{"id": "{{id}}", "case_id": "{{caseId}}", "model": "{{model}}", "content_md": "An answer."}""";

    [Fact]
    public async Task RubricSavesAreRefusedToRatersAndOutsideDraft()
    {
        await using var world = await DemoAsync();
        var before = await world.Db.DumpContentAsync();

        Assert.Equal(StudySetupStore.NotCoordinator, (await world.Store.SaveRubricAsync(world.StudyId, world.Rater, Rubric("# Mine"))).Refusal);
        Assert.Contains("only while the study is a draft", (await world.Store.SaveRubricAsync(world.StudyId, world.Coordinator, Rubric("# Mine"))).Refusal?.ToString());
        Assert.Contains("only while the study is a draft", (await world.Store.SaveRubricAsync(world.StudyId, world.Admin, Rubric("# Mine", ConsensusEdit()))).Refusal?.ToString());
        Assert.Null(await world.Store.LoadAsync(world.StudyId, world.Rater));
        Assert.Equal(before, await world.Db.DumpContentAsync());
    }

    [Fact]
    public async Task OneSaveStoresTheInstructionsAndEveryCriterionsTextsOfADraft()
    {
        await using var world = await DemoAsync(draft: true);

        var result = await world.Store.SaveRubricAsync(world.StudyId, world.Coordinator,
            Rubric("# New rules\r\nBe kind.", ConsensusEdit(), CompletenessEdit()));

        Assert.True(result.Saved, string.Join("\n", result.Errors));
        var setup = (await world.Store.LoadAsync(world.StudyId, world.Coordinator))!;
        Assert.Equal("# New rules\nBe kind.", setup.InstructionsMd);
        var consensus = setup.Criteria.Single(c => c.Id == "consensus");
        Assert.Equal(("Agrees with the guidelines", "New help", false), (consensus.Label, consensus.HelpMd, consensus.Required));
        Assert.Equal("Contradicts the guidelines", consensus.Anchors.Single(a => a.Value == "1").Label);
        Assert.Equal("Fully aligned", consensus.Anchors.Single(a => a.Value == "5").Label);
        Assert.Equal((1.0, 5.0), (consensus.Min, consensus.Max));
        var completeness = setup.Criteria.Single(c => c.Id == "completeness");
        Assert.Equal(("Leaves out what matters", "Think of **the specialist**."), (completeness.Label, completeness.HelpMd));
        Assert.Equal(["Nothing missing", "Yes, but it matters little", "Yes, of great clinical significance"], completeness.Options.Select(o => o.Label));
        Assert.Equal(["none", "minor", "major"], completeness.Options.Select(o => o.Value));
        Assert.Equal("Overall quality", setup.Criteria.Single(c => c.Id == "overall").Label);
    }

    [Fact]
    public async Task EveryInvalidFieldIsNamedByItsCriterionsLabelAndNothingIsSaved()
    {
        await using var world = await DemoAsync(draft: true);
        var before = await world.Db.DumpContentAsync();

        var result = await world.Store.SaveRubricAsync(world.StudyId, world.Coordinator, Rubric("# Valid instructions",
            ConsensusEdit(label: " ", anchors: new Dictionary<int, string> { [2] = "", [7] = "Beyond the scale" }),
            CompletenessEdit(middle: "  "),
            new CriterionEdit("no-such", "A new one", null, false, new Dictionary<string, string>(), new Dictionary<int, string>())));

        Assert.False(result.Saved);
        Assert.Null(result.Refusal);
        Assert.Equal(
        [
            "Agreement with guideline consensus, Label: cannot be empty",
            "Agreement with guideline consensus, Anchor 2: cannot be empty",
            "Agreement with guideline consensus, Anchor 7: is not a point of the scale; anchors cannot be added here",
            "Missing important content, Option 2: cannot be empty",
            "\"no-such\", Criterion: the study has no such criterion; criteria cannot be added here",
        ], result.Errors.Select(e => e.ToString()));
        Assert.Equal(before, await world.Db.DumpContentAsync());
    }

    [Fact]
    public async Task AFailureWhileWritingTheLastCriterionUndoesTheWholeSave()
    {
        await using var world = await DemoAsync(draft: true);
        await FailingTrigger.CreateAsync(world.Db.Database, "refuse_boom", "BEFORE UPDATE OF label ON criteria", "NEW.label = 'Boom'", "boom");
        var before = await world.Db.DumpContentAsync();

        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => world.Store.SaveRubricAsync(world.StudyId, world.Coordinator,
            Rubric("# Saved only with the rest", ConsensusEdit(), CompletenessEdit() with { Label = "Boom" })));

        Assert.Equal(before, await world.Db.DumpContentAsync());
    }

    [Fact]
    public async Task AddedResponsesAreAllOrNothingWithEveryErrorAtItsLine()
    {
        await using var world = await DemoAsync();
        var before = await world.Db.DumpContentAsync();

        var result = await world.Store.AddResponsesAsync(world.StudyId, world.Coordinator, Jsonl(
            Response("case-001.model-d"),
            Response("case-002.model-d", caseId: "case-999"),
            Response("case-001.model-a"),
            "{not json"));

        Assert.False(result.Succeeded);
        Assert.Equal(
        [
            "responses.jsonl:2: case_id: unknown case \"case-999\"",
            "responses.jsonl:3: id: the study already has a response \"case-001.model-a\"",
        ], result.Errors.Take(2).Select(e => e.ToString()));
        Assert.StartsWith("responses.jsonl:4: json: malformed JSON", result.Errors[2].ToString());
        Assert.Equal(3, result.Errors.Count);
        Assert.Equal(before, await world.Db.DumpContentAsync());
    }

    [Fact]
    public async Task AddingResponsesIsRefusedToRatersAndOnceAdjudicationBegins()
    {
        await using var world = await DemoAsync();
        Assert.Equal(StudySetupStore.NotCoordinator, (await world.Store.AddResponsesAsync(world.StudyId, world.Rater, Jsonl(Response("x")))).Refusal);
        await using (var connection = await world.Db.Database.OpenAsync())
            await connection.ExecuteAsync("UPDATE studies SET state = 'adjudication' WHERE id = @StudyId", new { world.StudyId });
        Assert.Contains("draft or open", (await world.Store.AddResponsesAsync(world.StudyId, world.Coordinator, Jsonl(Response("x")))).Refusal?.ToString());
    }

    /// <summary>Runs a change while another connection holds the write lock with the study moved to
    /// <paramref name="state"/>, commits that, and returns the change's answer. The change must wait for the lock, so it
    /// sees the new state only if it checks inside its own transaction.</summary>
    static async Task<string?> BehindAStateChangeAsync(World world, string state, Func<Task<string?>> change)
    {
        await using var connection = await world.Db.Database.OpenAsync();
        var before = await connection.ExecuteScalarAsync<string>("SELECT state FROM studies WHERE id = @StudyId", new { world.StudyId });
        Task<string?> answer;
        await using (var transaction = await connection.BeginWriteAsync())
        {
            await connection.ExecuteAsync("UPDATE studies SET state = @State WHERE id = @StudyId", new { State = state, world.StudyId }, transaction);
            answer = Task.Run(change);
            await Task.Delay(1000); // time for the change to reach its BEGIN; the lock holds it there (busy timeout 10 s)
            Assert.False(answer.IsCompleted, "the change did not wait for the write lock");
            await transaction.CommitAsync();
        }
        var refusal = await answer;
        await connection.ExecuteAsync("UPDATE studies SET state = @State WHERE id = @StudyId", new { State = before, world.StudyId });
        return refusal;
    }

    [Fact]
    public async Task AChangeWaitingBehindTheStartOfAdjudicationIsRefusedAndChangesNothing()
    {
        await using var world = await DemoAsync();
        var target = await world.Db.AddRaterAsync(world.StudyId, "dr-target");
        var before = await world.Db.DumpContentAsync();

        Assert.Contains("draft or open; it is adjudication", await BehindAStateChangeAsync(world, "adjudication",
            async () => (await world.Store.AddResponsesAsync(world.StudyId, world.Coordinator, Jsonl(Response("late")))).Refusal?.ToString()));
        Assert.Contains("draft or open; it is adjudication", await BehindAStateChangeAsync(world, "adjudication",
            async () => (await world.Store.ReassignAsync(world.StudyId, world.Coordinator, world.Rater, target)).Refusal?.ToString()));

        Assert.Equal(before, await world.Db.DumpContentAsync());
    }

    [Fact]
    public async Task ARubricSaveWaitingBehindTheOpeningOfTheStudyIsRefusedAndChangesNothing()
    {
        await using var world = await DemoAsync(draft: true);
        var before = await world.Db.DumpContentAsync();

        Assert.Contains("only while the study is a draft; it is open", await BehindAStateChangeAsync(world, "open",
            async () => (await world.Store.SaveRubricAsync(world.StudyId, world.Coordinator, Rubric("# Too late", ConsensusEdit("Too late")))).Refusal?.ToString()));

        Assert.Equal(before, await world.Db.DumpContentAsync());
    }

    [Fact]
    public async Task EachAddedResponseGetsItsRatersAndStartedWorkStays()
    {
        await using var world = await DemoAsync();
        await using var connection = await world.Db.Database.OpenAsync();
        const string done = "SELECT response_id || '/' || rater_id FROM assignments WHERE completed_at IS NOT NULL ORDER BY 1";
        var doneBefore = (await connection.QueryAsync<string>(done)).ToList();

        var result = await world.Store.AddResponsesAsync(world.StudyId, world.Admin, Jsonl(
            Response("case-001.model-d"), Response("case-002.model-d", caseId: "case-002"), Response("case-003.model-d", caseId: "case-003")));

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal(3, result.Added);
        Assert.Equal(63, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM responses WHERE study_id = @StudyId", new { world.StudyId }));
        var perNew = await connection.QueryAsync<long>("""
            SELECT COUNT(DISTINCT a.rater_id) FROM responses r LEFT JOIN assignments a ON a.response_id = r.id
            WHERE r.study_id = @StudyId AND r.model = 'model-d' GROUP BY r.id
            """, new { world.StudyId });
        Assert.Equal([3L, 3L, 3L], perNew);
        Assert.Equal([3L], await connection.QueryAsync<long>("SELECT DISTINCT COUNT(*) FROM assignments GROUP BY response_id"));
        Assert.Equal(doneBefore, (await connection.QueryAsync<string>(done)).ToList());
        Assert.Equal([60L, 61L, 62L], (await connection.QueryAsync<long>(
            "SELECT position FROM responses WHERE model = 'model-d' ORDER BY position")).ToList());
    }

    [Fact]
    public async Task ReassignMovesOnlyUnstartedWorkAndKeepsEachResponsesRatersDistinct()
    {
        await using var world = await DemoAsync();
        var target = await world.Db.AddRaterAsync(world.StudyId, "dr-target");
        var grading = new GradingStore(world.Db.Database, new RubricQuery(world.Db.Database), world.Db.Clock);
        var queue = await grading.QueueAsync(world.StudyId, world.Rater);
        var begun = queue[0].ResponseId;
        await grading.SaveAsync(world.StudyId, world.Rater, begun, new Dictionary<string, string?> { ["consensus"] = "2" }, submit: false);
        await using var connection = await world.Db.Database.OpenAsync();
        const string perResponse = "SELECT response_id || ':' || COUNT(*) FROM assignments WHERE study_id = @StudyId GROUP BY response_id ORDER BY response_id";
        var coverageBefore = (await connection.QueryAsync<string>(perResponse, new { world.StudyId })).ToList();
        var sourceItems = (await connection.QueryAsync<long>("SELECT response_id FROM assignments WHERE rater_id = @Rater", new { world.Rater })).ToList();
        var targetItems = (await connection.QueryAsync<long>("SELECT response_id FROM assignments WHERE rater_id = @Target", new { Target = target })).ToHashSet();
        var shared = sourceItems.Count(r => r != begun && targetItems.Contains(r));
        Assert.True(shared > 0, "the demo gives both raters some responses in common");

        var result = await world.Store.ReassignAsync(world.StudyId, world.Coordinator, world.Rater, target);

        Assert.Null(result.Refusal);
        Assert.Equal((sourceItems.Count - 1 - shared, shared), (result.Moved, result.NotMoved));
        var left = (await connection.QueryAsync<long>("SELECT response_id FROM assignments WHERE rater_id = @Rater", new { world.Rater })).Order().ToList();
        Assert.Equal(sourceItems.Where(r => r == begun || targetItems.Contains(r)).Order().ToList(), left);
        Assert.Equal(coverageBefore, (await connection.QueryAsync<string>(perResponse, new { world.StudyId })).ToList());
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM (SELECT response_id, rater_id FROM assignments GROUP BY response_id, rater_id HAVING COUNT(*) > 1) duplicates"));
    }

    [Fact]
    public async Task ReassignIsRefusedToRatersAndToSomeoneOutsideTheStudy()
    {
        await using var world = await DemoAsync();
        var before = await world.Db.DumpContentAsync();

        Assert.Equal(StudySetupStore.NotCoordinator, (await world.Store.ReassignAsync(world.StudyId, world.Rater, world.Rater, world.Coordinator)).Refusal);
        Assert.Equal("Both must be raters of this study.", (await world.Store.ReassignAsync(world.StudyId, world.Coordinator, world.Rater, world.Coordinator)).Refusal?.ToString());
        Assert.Equal(before, await world.Db.DumpContentAsync());
    }
}
