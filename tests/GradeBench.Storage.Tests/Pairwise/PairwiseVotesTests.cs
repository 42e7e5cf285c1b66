using Dapper;
using GradeBench.Core.Pairwise;
using GradeBench.Storage.Export;
using GradeBench.Storage.Pairwise;
using GradeBench.Storage.Studies;

namespace GradeBench.Storage.Tests.Pairwise;

/// <summary>What leaves a side-by-side study for its statistics (<see cref="PairwiseVotesQuery"/>) and in pairwise.csv,
/// on <see cref="PairwiseFixture"/>'s study: dr-ann sees answer A on the left of the even pairs, dr-bob of the odd ones.</summary>
public sealed class PairwiseVotesTests : IAsyncLifetime
{
    TestDatabase _db = null!;
    PairwiseStudy _study = null!;
    PairwiseStore _store = null!;

    long StudyId => _study.StudyId;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        _study = await PairwiseFixture.CreateAsync(_db.Database, _db.Clock, "dr-ann", "dr-bob", "judge-x", "dr-cy");
        _store = new PairwiseStore(_db.Database, _db.Clock);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    async Task SubmitAsync(int rater, int pair, PairJudgement judgement, bool submit = true)
    {
        var result = await _store.SaveAsync(StudyId, _study.Raters[rater], _study.Pairs[pair].Id, judgement, submit);
        Assert.Equal(PairWriteOutcome.Saved, result.Outcome);
    }

    static PairJudgement Votes(PairwiseChoice consensus, PairwiseChoice harm) =>
        new() { Choices = new Dictionary<string, PairwiseChoice?> { ["consensus"] = consensus, ["harm"] = harm } };

    /// <summary>judge-x becomes one of the study's LLM judges (its votes stay stored, and are left out).</summary>
    async Task MakeJudgeAsync(int rater)
    {
        await using var connection = await _db.Database.OpenAsync();
        await connection.ExecuteAsync("""
            UPDATE study_members SET role = 'judge' WHERE user_id = @User AND study_id = @StudyId;
            INSERT INTO judges (user_id, study_id, name, model, rubric_sha256, all_responses, created_at)
            VALUES (@User, @StudyId, 'judge-x', 'gpt-x', 'sha', TRUE, '2026-11-25T09:00:00Z');
            """, new { User = _study.Raters[rater], StudyId });
    }

    [Fact]
    public async Task TheSubmittedVotesOfThePhysiciansFeedTheStatisticsAxisByAxis()
    {
        // On consensus everyone prefers the model first by name (model-a over b and c, model-b over c), whichever side
        // it was on; on harm everyone ties.
        for (var rater = 0; rater < 3; rater++)
            for (var pair = 0; pair < 6; pair++)
            {
                var preferred = PairwiseStudy.AOnLeft(rater, pair) ? PairwiseChoice.Left : PairwiseChoice.Right;
                await SubmitAsync(rater, pair, Votes(preferred, PairwiseChoice.Tie));
            }
        await MakeJudgeAsync(2);
        await SubmitAsync(3, 0, Votes(PairwiseChoice.Right, PairwiseChoice.Right), submit: false); // a draft

        var axes = await new PairwiseVotesQuery(_db.Database).LoadAsync(StudyId);

        Assert.Equal(["consensus", "harm"], axes.Select(a => a.Axis.Id));
        var consensus = axes[0].Votes;
        Assert.Equal(12, consensus.Count);
        Assert.Equal(
        [
            new PairwiseVote("case-001", "dr-ann", "model-a", "model-b", PairwiseChoice.Left),
            new PairwiseVote("case-001", "dr-bob", "model-b", "model-a", PairwiseChoice.Right),
            new PairwiseVote("case-001", "dr-ann", "model-c", "model-a", PairwiseChoice.Right),
            new PairwiseVote("case-001", "dr-bob", "model-a", "model-c", PairwiseChoice.Left),
        ], consensus.Take(4));
        Assert.Equal(["case-001", "case-002"], consensus.Select(v => v.Case).Distinct());
        var report = PairwiseAnalysis.Run(consensus, new PairwiseOptions { BootstrapResamples = 0 });
        Assert.Equal((12, 2, 2), (report.Comparisons, report.Cases, report.Raters));
        Assert.Equal(["model-a 8-0-0", "model-b 4-4-0", "model-c 0-8-0"],
            report.Models.OrderBy(m => m.Model).Select(m => $"{m.Model} {m.Wins}-{m.Losses}-{m.Ties}"));
        Assert.Equal((12, 6), (report.Position.Decisive, report.Position.LeftWins));
        var harm = PairwiseAnalysis.Run(axes[1].Votes, new PairwiseOptions { BootstrapResamples = 0 });
        Assert.Equal(["model-a 0-0-8", "model-b 0-0-8", "model-c 0-0-8"],
            harm.Models.OrderBy(m => m.Model).Select(m => $"{m.Model} {m.Wins}-{m.Losses}-{m.Ties}"));
    }

    [Fact]
    public async Task PairwiseCsvHasOneRowPerSubmittedVoteWithTheSidesTheRaterSaw()
    {
        // dr-ann: pair 0 (A on the left) with reasons and a comment, its harm vote changed an hour later; pair 1 (B on
        // the left, so "left" is model-c). dr-bob's draft and the judge's submission are left out.
        await SubmitAsync(0, 0, Votes(PairwiseChoice.Left, PairwiseChoice.Tie) with { Reasons = ["safety", "accuracy"], Comment = "Too long, \"unsafe\"" });
        _db.Clock.Now = _db.Clock.Now.AddHours(1);
        await SubmitAsync(0, 0, new PairJudgement { Choices = new Dictionary<string, PairwiseChoice?> { ["harm"] = PairwiseChoice.BothBad } });
        await SubmitAsync(0, 1, Votes(PairwiseChoice.Left, PairwiseChoice.Right));
        await SubmitAsync(1, 0, Votes(PairwiseChoice.Left, PairwiseChoice.Left), submit: false);
        await SubmitAsync(2, 0, Votes(PairwiseChoice.Left, PairwiseChoice.Left));
        await MakeJudgeAsync(2);
        var output = new StringWriter();

        var rows = await new TextExport(_db.Database).WritePairwiseAsync(StudyId, output);

        const string t0 = "2026-11-25T09:00:00.0000000Z", t1 = "2026-11-25T10:00:00.0000000Z";
        Assert.Equal(4, rows);
        Assert.Equal($""""
            case,rater,axis,left_response,right_response,left_model,right_model,choice,reasons,comment,first_submitted,last_changed
            case-001,dr-ann,consensus,case-001.model-a,case-001.model-b,model-a,model-b,left,accuracy;safety,"Too long, ""unsafe""",{t0},{t0}
            case-001,dr-ann,harm,case-001.model-a,case-001.model-b,model-a,model-b,both_bad,accuracy;safety,"Too long, ""unsafe""",{t0},{t1}
            case-001,dr-ann,consensus,case-001.model-c,case-001.model-a,model-c,model-a,left,,,{t1},{t1}
            case-001,dr-ann,harm,case-001.model-c,case-001.model-a,model-c,model-a,right,,,{t1},{t1}

            """".ReplaceLineEndings("\r\n"), output.ToString());
    }

    [Fact]
    public async Task EachReasonCountsOncePerPhysiciansSubmittedJudgementOfAPair()
    {
        // dr-ann ticks both reasons on pair 0 and safety on pair 1; dr-bob's draft and the judge's submission are left out.
        await SubmitAsync(0, 0, Votes(PairwiseChoice.Left, PairwiseChoice.Tie) with { Reasons = ["safety", "accuracy"] });
        await SubmitAsync(0, 1, Votes(PairwiseChoice.Left, PairwiseChoice.Right) with { Reasons = ["safety"] });
        await SubmitAsync(1, 0, Votes(PairwiseChoice.Left, PairwiseChoice.Left) with { Reasons = ["accuracy"] }, submit: false);
        await SubmitAsync(2, 0, Votes(PairwiseChoice.Left, PairwiseChoice.Left) with { Reasons = ["accuracy"] });
        await MakeJudgeAsync(2);

        var results = await new PairwiseResultsQuery(_db.Database).ComputeAsync(StudyId);

        Assert.Equal(["accuracy 1", "safety 2"], results!.ReasonCounts.Select(r => $"{r.Key} {r.Value}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AStudyOfSingleAnswersHasNoPairwiseVotes()
    {
        await using var db = await TestDatabase.CreateAsync();
        var studyId = (await new StudyImporter(db.Database, db.Clock).ImportAsync(TestPaths.DemoBundle)).StudyId!.Value;
        var output = new StringWriter();

        var rows = await new TextExport(db.Database).WritePairwiseAsync(studyId, output);

        Assert.Equal(0, rows);
        Assert.Equal("case,rater,axis,left_response,right_response,left_model,right_model,choice,reasons,comment,first_submitted,last_changed\r\n", output.ToString());
        Assert.Empty(await new PairwiseVotesQuery(db.Database).LoadAsync(studyId));
        Assert.False(await new PairwiseStore(db.Database, db.Clock).IsPairwiseAsync(studyId));
    }
}
