using Dapper;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Rubrics;
using GradeBench.Storage.Studies;

namespace GradeBench.Storage.Tests.Grading;

/// <summary>A rater grading a response whose case has a checklist: its item carries the checklist, marks are saved and
/// submitted beside the rubric's values by criterion id, every mark is required, and only the response's own case's
/// criteria are accepted.</summary>
public sealed class ChecklistGradingTests : IAsyncLifetime
{
    readonly TempFolder _temp = new();
    TestDatabase _db = null!;
    long _studyId, _rater, _withChecklist, _withoutChecklist, _notAssigned;

    GradingStore Grading => new(_db.Database, new RubricQuery(_db.Database), _db.Clock);

    static readonly Dictionary<string, string?> Marks = new()
    {
        ["abcd2-score"] = "true", ["urgent-imaging"] = "true", ["dual-antiplatelet"] = "false", ["home-untreated"] = "false",
    };

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        _studyId = (await new StudyImporter(_db.Database, _db.Clock).ImportAsync(DemoChecklist.Write(Path.Combine(_temp.Path, "bundle")))).StudyId!.Value;
        _rater = await _db.AddRaterAsync(_studyId, "dr-checklist");
        await using var connection = await _db.Database.OpenAsync();
        // The new rater's share of the unrated responses: one of case-009 (a checklist), one of a case without one.
        var assigned = (await connection.QueryAsync<(long Id, string Case)>("""
            SELECT r.id, c.slug FROM assignments a JOIN responses r ON r.id = a.response_id JOIN cases c ON c.id = r.case_id
            WHERE a.rater_id = @Rater ORDER BY r.id
            """, new { Rater = _rater })).AsList();
        _withChecklist = assigned.First(a => a.Case == "case-009").Id;
        _withoutChecklist = assigned.First(a => a.Case == "case-010").Id;
        _notAssigned = await connection.ExecuteScalarAsync<long>("""
            SELECT r.id FROM responses r JOIN cases c ON c.id = r.case_id
            WHERE c.slug = 'case-001' AND r.id NOT IN (SELECT response_id FROM assignments WHERE rater_id = @Rater) LIMIT 1
            """, new { Rater = _rater });
    }

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        _temp.Dispose();
    }

    async Task<(string Status, bool Completed)> StoredAsync(long responseId, string criterion)
    {
        await using var connection = await _db.Database.OpenAsync();
        return await connection.QuerySingleAsync<(string, bool)>("""
            SELECT g.status, a.completed_at IS NOT NULL FROM ratings g JOIN criteria k ON k.id = g.criterion_id
            JOIN assignments a ON a.response_id = g.response_id AND a.rater_id = g.rater_id
            WHERE g.response_id = @ResponseId AND g.rater_id = @Rater AND k.slug = @Criterion
            """, new { ResponseId = responseId, Rater = _rater, Criterion = criterion });
    }

    [Fact]
    public async Task TheItemCarriesItsCasesChecklistAndAMarkIsADraftBesideTheRubricsValues()
    {
        var saved = await Grading.SaveAsync(_studyId, _rater, _withChecklist,
            new Dictionary<string, string?> { ["consensus"] = "3", ["abcd2-score"] = " true " }, submit: false);

        Assert.Equal(RatingWriteOutcome.Saved, saved.Outcome);
        var item = (await Grading.LoadItemAsync(_studyId, _rater, _withChecklist))!;
        Assert.Equal(["abcd2-score", "urgent-imaging", "dual-antiplatelet", "home-untreated"], item.Checklist.Select(c => c.Id));
        Assert.Equal([5, 4, 4, -6], item.Checklist.Select(c => c.Points));
        Assert.Equal(new Dictionary<string, string> { ["consensus"] = "3", ["abcd2-score"] = "true" }, item.Values);
        Assert.Equal(("draft", false), await StoredAsync(_withChecklist, "abcd2-score"));
        Assert.Empty((await Grading.LoadItemAsync(_studyId, _rater, _withoutChecklist))!.Checklist);
    }

    [Fact]
    public async Task ARatingIsSubmittedAndItsAssignmentCompleteOnlyWithEveryMarkOfTheChecklist()
    {
        var withoutMarks = await Grading.SaveAsync(_studyId, _rater, _withChecklist, CompleteRating(), submit: true);
        var oneMarkShort = await Grading.SaveAsync(_studyId, _rater, _withChecklist,
            new Dictionary<string, string?>(CompleteRating().Concat(Marks)) { ["home-untreated"] = null }, submit: true);

        Assert.Equal(RatingWriteOutcome.Invalid, withoutMarks.Outcome);
        Assert.Equal(Marks.Keys.Order(), withoutMarks.Problems.Keys.Order());
        Assert.All(withoutMarks.Problems.Values, p => Assert.Equal("required", p.ToString()));
        Assert.Equal(["home-untreated"], oneMarkShort.Problems.Keys);
        Assert.False((await Grading.LoadItemAsync(_studyId, _rater, _withChecklist))!.Done);

        var submitted = await Grading.SaveAsync(_studyId, _rater, _withChecklist, new Dictionary<string, string?>(CompleteRating().Concat(Marks)), submit: true);

        Assert.Equal(RatingWriteOutcome.Saved, submitted.Outcome);
        Assert.True(submitted.Submitted);
        Assert.True((await Grading.LoadItemAsync(_studyId, _rater, _withChecklist))!.Done);
        Assert.Equal(("submitted", true), await StoredAsync(_withChecklist, "home-untreated"));
        // The dashboard's progress per criterion is the rubric's.
        Assert.Equal(CompleteRating().Keys.Order(), submitted.Progress!.SubmittedValues.Keys.Order());
        // A response of a case without a checklist is submitted on the rubric alone.
        Assert.Equal(RatingWriteOutcome.Saved, (await Grading.SaveAsync(_studyId, _rater, _withoutChecklist, CompleteRating(), submit: true)).Outcome);
    }

    [Fact]
    public async Task AnotherCasesCriterionOrAValueOtherThanTrueOrFalseIsRefusedAndNothingIsSaved()
    {
        var result = await Grading.SaveAsync(_studyId, _rater, _withChecklist, new Dictionary<string, string?>
        {
            ["bp-below-185"] = "true", ["dose-for-weight"] = "true", ["abcd2-score"] = "met", ["urgent-imaging"] = "true",
        }, submit: false);
        var onAResponseWithoutChecklist = await Grading.SaveAsync(_studyId, _rater, _withoutChecklist,
            new Dictionary<string, string?> { ["abcd2-score"] = "true" }, submit: false);

        Assert.Equal(RatingWriteOutcome.Invalid, result.Outcome);
        Assert.Equal(["abcd2-score", "bp-below-185", "dose-for-weight"], result.Problems.Keys.Order());
        Assert.Equal("unknown criterion", result.Problems["dose-for-weight"].ToString());
        Assert.Equal("\"met\" must be true or false", result.Problems["abcd2-score"].ToString());
        Assert.Equal(["abcd2-score"], onAResponseWithoutChecklist.Problems.Keys);
        Assert.Empty((await Grading.LoadItemAsync(_studyId, _rater, _withChecklist))!.Values);
    }

    [Fact]
    public async Task AResponseNotAssignedToTheRaterTellsNothingOfItsChecklist()
    {
        var result = await Grading.SaveAsync(_studyId, _rater, _notAssigned, new Dictionary<string, string?> { ["bp-below-185"] = "true" }, submit: false);

        Assert.NotEqual(0, _notAssigned);
        Assert.Equal(RatingWriteOutcome.Invalid, result.Outcome);
        Assert.Equal("unknown criterion", result.Problems["bp-below-185"].ToString());
        Assert.Null(await Grading.LoadItemAsync(_studyId, _rater, _notAssigned));
    }

    static Dictionary<string, string?> CompleteRating() => DemoRatings.Complete();
}
