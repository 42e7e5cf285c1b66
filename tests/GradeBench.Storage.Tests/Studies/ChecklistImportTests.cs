using Dapper;
using GradeBench.Core.Adjudication;
using GradeBench.Core.Studies;
using GradeBench.Storage.Adjudication;
using GradeBench.Storage.Migrations;
using GradeBench.Storage.Rubrics;
using GradeBench.Storage.Studies;
using GradeBench.Testing.Corpus;

namespace GradeBench.Storage.Tests.Studies;

/// <summary>An import writes each case's checklist as criteria of that case and the marks as ratings of them, into an
/// existing database (the bundle read whole) and into a new file (ratings written while ratings.csv is read) alike.</summary>
public sealed class ChecklistImportTests : IAsyncDisposable
{
    readonly TempFolder _temp = new();
    readonly List<NewDatabaseFile> _files = [];

    public async ValueTask DisposeAsync()
    {
        foreach (var file in _files) file.Dispose();
        _temp.Dispose();
        await Task.CompletedTask;
    }

    /// <summary>Criteria by bundle names, case criteria with their case, points, tags and translations.</summary>
    const string CriteriaSql = """
        SELECT COALESCE(c.slug, '(rubric)') || ' ' || k.slug || ' ' || k.position || ' ' || k.type || ' ' || CASE WHEN k.required THEN 1 ELSE 0 END || ' ' || k.label
               || ' ' || COALESCE(k.label_translations_json, '-') || ' ' || COALESCE(CAST(k.points AS TEXT), '-') || ' ' || COALESCE(k.tags_json, '-')
        FROM criteria k LEFT JOIN cases c ON c.id = k.case_id
        WHERE k.study_id = (SELECT id FROM studies WHERE slug = @Slug) ORDER BY k.id
        """;

    /// <summary>Every rating by bundle names, with the case its criterion belongs to (or "(rubric)").</summary>
    const string RatingsSql = """
        SELECT r.slug || ' ' || u.display_name || ' ' || COALESCE(c.slug, '(rubric)') || ' ' || k.slug || ' ' || g.value || ' ' || g.status
        FROM ratings g JOIN responses r ON r.id = g.response_id JOIN users u ON u.id = g.rater_id
        JOIN criteria k ON k.id = g.criterion_id LEFT JOIN cases c ON c.id = k.case_id
        WHERE r.study_id = (SELECT id FROM studies WHERE slug = @Slug) ORDER BY g.id
        """;

    static async Task<(List<string> Criteria, List<string> Ratings)> StoredAsync(Database database, string slug = TestPaths.DemoStudyId)
    {
        await using var connection = await database.OpenAsync();
        return ((await connection.QueryAsync<string>(CriteriaSql, new { Slug = slug })).AsList(),
            (await connection.QueryAsync<string>(RatingsSql, new { Slug = slug })).AsList());
    }

    [Fact]
    public async Task EachCasesChecklistBecomesCriteriaOfThatCaseAndItsMarksRatingsOfThem()
    {
        await using var db = await TestDatabase.CreateAsync();
        var bundle = DemoChecklist.Write(Path.Combine(_temp.Path, "bundle"));

        var result = await new StudyImporter(db.Database, db.Clock).ImportAsync(bundle);

        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
        var (criteria, ratings) = await StoredAsync(db.Database);
        Assert.Equal(9 + 15, criteria.Count);
        Assert.All(criteria.Take(9), c => Assert.StartsWith("(rubric) ", c));
        Assert.Equal("case-001 bp-below-185 0 binary 1 Lowers blood pressure below 185/110 mmHg before the bolus {\"zh-CN\":\"推注前将血压降至 185/110 mmHg 以下\"} 6 [\"axis:accuracy\"]",
            criteria[9]);
        Assert.Equal("case-011 aspirin-continued 3 binary 1 Keeps aspirin beside the anticoagulant - -4 [\"axis:safety\"]", criteria[^1]);
        // The id a case shares with another is each case's own criterion, and each mark names its response's.
        Assert.Equal(["case-001", "case-011"], criteria.Where(c => c.Contains(" dose-for-weight ")).Select(c => c[..8]));
        var marks = ratings.Where(r => !r.Contains(" (rubric) ")).ToList();
        Assert.Equal(DemoChecklist.Marks().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length, marks.Count);
        Assert.Equal(3 * 3 * 4 + 3 * 3 * 3, marks.Count);
        Assert.All(marks, m => Assert.Equal(m[..8], m.Split(' ')[2]));
        Assert.Equal(576, ratings.Count - marks.Count);

        var rubric = await new RubricQuery(db.Database).LoadAsync(result.StudyId!.Value);
        Assert.Equal(9, rubric.Count);
        var checklists = await new ChecklistQuery(db.Database).OfStudyAsync(result.StudyId.Value);
        Assert.Equal([4, 3, 4, 4], checklists.Values.Select(c => c.Count));
        var first = checklists.Values.First()[0].Criterion;
        Assert.Equal(("bp-below-185", 6, "axis:accuracy"), (first.Id, first.Points, string.Join(",", first.Tags)));
        Assert.Equal("推注前将血压降至 185/110 mmHg 以下", first.TextTranslations.ByLanguage["zh-CN"]);
    }

    [Fact]
    public async Task ANewDatabaseFileGetsTheChecklistsAndMarksOfTheBundleReadWhole()
    {
        var bundle = DemoChecklist.Write(Path.Combine(_temp.Path, "bundle"));
        await using var whole = await TestDatabase.CreateAsync();
        Assert.True((await new StudyImporter(whole.Database, whole.Clock).ImportAsync(bundle)).Succeeded);
        var file = NewDatabaseFile.Begin(Path.Combine(_temp.Path, "new.db"));
        _files.Add(file);
        await new Migrator(file.Building, whole.Clock).MigrateAsync();

        var staged = await new StudyImporter(file.Building, whole.Clock).ImportAsync(BundleReader.ReadStaged(bundle));

        Assert.True(staged.Succeeded, string.Join('\n', staged.Errors));
        var expected = await StoredAsync(whole.Database);
        var actual = await StoredAsync(file.Building);
        Assert.Equal(expected.Criteria, actual.Criteria);
        Assert.Equal(expected.Ratings, actual.Ratings);
    }

    [Fact]
    public async Task AStudyWhoseChecklistsAreNeverAdjudicatedKeepsThatRuleAndOthersTheDefault()
    {
        await using var db = await TestDatabase.CreateAsync();
        var importer = new StudyImporter(db.Database, db.Clock);
        var never = (await importer.ImportAsync(Corpus.Valid("checklist"))).StudyId!.Value;
        var any = (await importer.ImportAsync(DemoChecklist.Write(Path.Combine(_temp.Path, "bundle")))).StudyId!.Value;
        var store = new AdjudicationStore(db.Database, new RubricQuery(db.Database), new StudyQuery(db.Database), db.Clock);

        Assert.Equal(DisagreementRule.Never, (await store.SettingsAsync(never)).Checklist);
        Assert.Equal(DisagreementRule.Any, (await store.SettingsAsync(any)).Checklist);
        Assert.Empty(await new RubricQuery(db.Database).LoadAsync(never));
    }
}
