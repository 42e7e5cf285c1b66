using Dapper;
using GradeBench.Storage.Studies;

namespace GradeBench.Storage.Tests.Notes;

/// <summary>The importer stores study.json's note labels and their attributes (<see cref="DemoNotes"/>), in a study of
/// single answers and a side-by-side one; a bundle whose note labels have an error imports nothing.</summary>
public sealed class NoteLabelImportTests
{
    const string Labels = """
        SELECT l.slug, l.position, l.label, COALESCE(l.label_translations_json, '-'), COALESCE(l.color, '-'),
               COALESCE(string_agg(a.position || ' ' || a.slug || ' ' || a.kind || ' ' || a.label || ' ' || COALESCE(a.label_translations_json, '-'), '; ' ORDER BY a.position), '')
        FROM note_labels l LEFT JOIN note_label_attributes a ON a.label_id = l.id
        WHERE l.study_id = @StudyId GROUP BY l.id ORDER BY l.position
        """;

    static readonly (string, long, string, string, string, string)[] Expected =
    [
        ("nihss", 0, "NIHSS item", """{"zh-CN":"NIHSS 条目"}""", "#36c",
         """0 negated flag Negated {"zh-CN":"否定"}; 1 score number Score {"zh-CN":"评分"}"""),
        ("symptom", 1, "Symptom", "-", "#d1495b", "0 negated flag Negated -; 1 uncertain flag Uncertain -; 2 historical flag Historical -; 3 onset text Onset time -"),
        ("medication", 2, "Medication", "-", "-", ""),
    ];

    [Fact]
    public async Task TheDemoWithNoteLabelsImportsThemWithTheirAttributesInOrder()
    {
        await using var db = await TestDatabase.CreateAsync();
        using var temp = new TempFolder();

        var result = await new StudyImporter(db.Database, db.Clock).ImportAsync(DemoNotes.Write(temp.Path));

        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
        await using var connection = await db.Database.OpenAsync();
        Assert.Equal(Expected, await connection.QueryAsync<(string, long, string, string, string, string)>(Labels, new { result.StudyId }));
    }

    [Fact]
    public async Task ASideBySideStudyImportsItsNoteLabelsToo()
    {
        await using var db = await TestDatabase.CreateAsync();
        using var temp = new TempFolder();

        var result = await new StudyImporter(db.Database, db.Clock).ImportAsync(DemoNotes.AddTo(DemoPairwise.Write(temp.Path)));

        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
        await using var connection = await db.Database.OpenAsync();
        Assert.Equal(Expected, await connection.QueryAsync<(string, long, string, string, string, string)>(Labels, new { result.StudyId }));
    }

    [Fact]
    public async Task ABundleWithABadNoteLabelImportsNothing()
    {
        await using var db = await TestDatabase.CreateAsync();
        await new StudyImporter(db.Database, db.Clock).ImportAsync(TestPaths.DemoBundle);
        var before = await db.DumpContentAsync();
        using var temp = new TempFolder();
        var folder = DemoNotes.Write(temp.Path);
        var study = Path.Combine(folder, "study.json");
        File.WriteAllText(study, File.ReadAllText(study).Replace("\"number\"", "\"integer\"").Replace("stroke-llm-synthetic-demo", "other-id"));

        var result = await new StudyImporter(db.Database, db.Clock).ImportAsync(folder);

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Errors);
        Assert.Equal(("study.json", "note_labels[0].attributes[1].kind"), (error.File, error.Field));
        Assert.Equal("must be one of flag, number, text, got \"integer\"", error.Message);
        Assert.Equal(before, await db.DumpContentAsync());
    }

    [Fact]
    public async Task LabelsKeepTheCriteriaTheyNameInOrder()
    {
        await using var db = await TestDatabase.CreateAsync();
        using var temp = new TempFolder();

        var result = await new StudyImporter(db.Database, db.Clock).ImportAsync(DemoNotes.LinkCriteria(DemoNotes.Write(temp.Path)));

        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
        await using var connection = await db.Database.OpenAsync();
        const string linked = """
            SELECT 'note ' || l.slug || ': ' || string_agg(c.slug, ' ' ORDER BY k.position)
            FROM note_labels l JOIN note_label_criteria k ON k.label_id = l.id JOIN criteria c ON c.id = k.criterion_id
            WHERE l.study_id = @StudyId GROUP BY l.id
            UNION ALL
            SELECT 'span ' || l.slug || ': ' || string_agg(c.slug, ' ' ORDER BY k.position)
            FROM span_labels l JOIN span_label_criteria k ON k.label_id = l.id JOIN criteria c ON c.id = k.criterion_id
            WHERE l.study_id = @StudyId GROUP BY l.id
            ORDER BY 1
            """;
        Assert.Equal(["note nihss: consensus", "note symptom: consensus harm_extent", "span factual_error: consensus", "span unsafe: harm_extent consensus"],
            await connection.QueryAsync<string>(linked, new { result.StudyId }));
    }

    [Fact]
    public async Task ALabelNamingNoCriterionOfTheRubricImportsNothing()
    {
        await using var db = await TestDatabase.CreateAsync();
        await new StudyImporter(db.Database, db.Clock).ImportAsync(TestPaths.DemoBundle);
        var before = await db.DumpContentAsync();
        using var temp = new TempFolder();
        var folder = DemoNotes.LinkCriteria(DemoNotes.Write(temp.Path));
        var study = Path.Combine(folder, "study.json");
        File.WriteAllText(study, File.ReadAllText(study).Replace("\"harm_extent\"\n", "\"harm\"\n").Replace("stroke-llm-synthetic-demo", "other-id"));

        var result = await new StudyImporter(db.Database, db.Clock).ImportAsync(folder);

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Errors);
        Assert.Equal(("study.json", "note_labels[1].criteria[1]", "\"harm\" is not a rubric criterion"), (error.File, error.Field, error.Message));
        Assert.True(error.Line > 0);
        Assert.Equal(before, await db.DumpContentAsync());
    }
}
