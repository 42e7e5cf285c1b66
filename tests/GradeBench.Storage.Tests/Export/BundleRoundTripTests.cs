using System.IO.Compression;
using System.Text.Json.Nodes;
using Dapper;
using GradeBench.Core.Rubrics;
using GradeBench.Storage.Export;
using GradeBench.Storage.Rubrics;
using GradeBench.Storage.Studies;

namespace GradeBench.Storage.Tests.Export;

/// <summary>bundle.zip, imported again, gives back each rating with its own timestamps and the rubric's texts in every
/// language; a bundle without timestamps still imports.</summary>
public sealed class BundleRoundTripTests
{
    const string Ratings = """
        SELECT r.slug, u.display_name, k.slug, g.value, g.submitted_at, g.updated_at
        FROM ratings g JOIN responses r ON r.id = g.response_id JOIN users u ON u.id = g.rater_id JOIN criteria k ON k.id = g.criterion_id
        WHERE r.study_id = @StudyId ORDER BY 1, 2, 3
        """;

    [Fact]
    public async Task ARoundTripKeepsEachRatingsFirstSubmittedAndLastChangedTimes()
    {
        await using var db = await TestDatabase.CreateAsync();
        var importer = new StudyImporter(db.Database, db.Clock);
        var original = (await importer.ImportAsync(TestPaths.DemoBundle)).StudyId!.Value;
        await using var connection = await db.Database.OpenAsync();
        // Ratings collected over days, some changed after they were submitted, as on the web.
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            var ids = await connection.QueryAsync<long>("SELECT id FROM ratings", transaction: transaction);
            await connection.ExecuteAsync("UPDATE ratings SET submitted_at = @Submitted, updated_at = @Updated WHERE id = @Id",
                ids.Select(id => new { Id = id, Submitted = start.AddMinutes(id), Updated = start.AddMinutes(id + id % 3 * 600) }), transaction);
            await transaction.CommitAsync();
        }
        using var temp = new TempFolder();
        var zip = Path.Combine(temp.Path, "bundle.zip");
        await using (var file = File.Create(zip)) await new BundleExport(db.Database).WriteAsync(original, file, asId: "copy");
        db.Clock.Now = db.Clock.Now.AddDays(30);

        var copy = await importer.ImportAsync(zip);

        Assert.Empty(copy.Errors);
        var before = await connection.QueryAsync<(string, string, string, string, DateTimeOffset, DateTimeOffset)>(Ratings, new { StudyId = original });
        var after = await connection.QueryAsync<(string, string, string, string, DateTimeOffset, DateTimeOffset)>(Ratings, new { StudyId = copy.StudyId });
        Assert.Equal(576, after.Count());
        Assert.Equal(before, after);
        Assert.Equal(576, before.Select(r => r.Item5).Distinct().Count());
        Assert.Contains(before, r => r.Item5 != r.Item6);
    }

    [Fact]
    public async Task ABundleWithoutTimestampsStampsItsRatingsWithTheImportTime()
    {
        await using var db = await TestDatabase.CreateAsync();

        var result = await new StudyImporter(db.Database, db.Clock).ImportAsync(TestPaths.DemoBundle);

        Assert.DoesNotContain("first_submitted", File.ReadAllText(Path.Combine(TestPaths.DemoBundle, "ratings.csv")));
        await using var connection = await db.Database.OpenAsync();
        var stamps = await connection.QueryAsync<(DateTimeOffset, DateTimeOffset)>(
            "SELECT DISTINCT g.submitted_at, g.updated_at FROM ratings g JOIN responses r ON r.id = g.response_id WHERE r.study_id = @StudyId",
            new { result.StudyId });
        var now = db.Clock.GetUtcNow();
        Assert.Equal([(now, now)], stamps);
    }

    [Fact]
    public async Task ARoundTripKeepsTheRubricAndInstructionsInEveryLanguage()
    {
        await using var db = await TestDatabase.CreateAsync();
        var importer = new StudyImporter(db.Database, db.Clock);
        var original = (await importer.ImportAsync(TestPaths.DemoBundle)).StudyId!.Value;
        using var temp = new TempFolder();
        var zip = Path.Combine(temp.Path, "bundle.zip");
        await using (var file = File.Create(zip)) await new BundleExport(db.Database).WriteAsync(original, file, asId: "copy");

        var copy = await importer.ImportAsync(zip);

        Assert.Empty(copy.Errors);
        // study.json comes back with the same maps by language, field for field.
        var demo = JsonNode.Parse(File.ReadAllText(Path.Combine(TestPaths.DemoBundle, "study.json")))!;
        using (var archive = ZipFile.OpenRead(zip))
        using (var reader = new StreamReader(archive.GetEntry("study.json")!.Open()))
        {
            var exported = JsonNode.Parse(await reader.ReadToEndAsync())!;
            Assert.True(JsonNode.DeepEquals(demo["rubric"], exported["rubric"]), exported["rubric"]!.ToJsonString());
            Assert.True(JsonNode.DeepEquals(demo["instructions_md"], exported["instructions_md"]));
            Assert.Equal("总体质量", exported["rubric"]!["criteria"]![7]!["label"]!["zh-CN"]!.GetValue<string>());
        }
        var rubric = new RubricQuery(db.Database);
        var before = (await rubric.LoadAsync(original)).Select(c => Texts(c.Criterion)).ToList();
        var after = (await rubric.LoadAsync(copy.StudyId!.Value)).Select(c => Texts(c.Criterion)).ToList();
        Assert.Equal(before, after);
        Assert.Contains("none: No harm {\"zh-CN\":\"无危害\"}", after.Single(t => t.StartsWith("harm_extent", StringComparison.Ordinal)));
    }

    /// <summary>A study's note labels and their attributes, with their texts in every language.</summary>
    const string NoteLabels = """
        SELECT l.position || ' ' || l.slug || ' ' || l.label || ' ' || COALESCE(l.label_translations_json, '-') || ' ' || COALESCE(l.color, '-') || ': '
               || COALESCE(string_agg(a.slug || ' ' || a.kind || ' ' || a.label || ' ' || COALESCE(a.label_translations_json, '-'), '; ' ORDER BY a.position), '')
        FROM note_labels l LEFT JOIN note_label_attributes a ON a.label_id = l.id
        WHERE l.study_id = @StudyId GROUP BY l.id ORDER BY l.position
        """;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ARoundTripKeepsTheNoteLabelsAndTheirAttributesInEveryLanguage(bool pairwise)
    {
        await using var db = await TestDatabase.CreateAsync();
        var importer = new StudyImporter(db.Database, db.Clock);
        using var temp = new TempFolder();
        var bundle = Path.Combine(temp.Path, "bundle");
        bundle = DemoNotes.AddTo(pairwise ? DemoPairwise.Write(bundle) : TestPaths.CopyDemoBundle(bundle));
        var original = (await importer.ImportAsync(bundle)).StudyId!.Value;
        var zip = Path.Combine(temp.Path, "bundle.zip");
        await using (var file = File.Create(zip)) await new BundleExport(db.Database).WriteAsync(original, file, asId: "copy");

        var copy = await importer.ImportAsync(zip);

        Assert.Empty(copy.Errors);
        Assert.Empty(copy.Warnings);
        using (var archive = ZipFile.OpenRead(zip))
        using (var reader = new StreamReader(archive.GetEntry("study.json")!.Open()))
        {
            var given = JsonNode.Parse(File.ReadAllText(Path.Combine(bundle, "study.json")))!["note_labels"];
            var exported = JsonNode.Parse(await reader.ReadToEndAsync())!["note_labels"];
            Assert.True(JsonNode.DeepEquals(given, exported), exported?.ToJsonString());
        }
        await using var connection = await db.Database.OpenAsync();
        var before = (await connection.QueryAsync<string>(NoteLabels, new { StudyId = original })).AsList();
        Assert.Equal(3, before.Count);
        Assert.Equal(before, await connection.QueryAsync<string>(NoteLabels, new { copy.StudyId }));
    }

    [Fact]
    public async Task ARoundTripKeepsTheCriteriaOfSpanAndNoteLabels()
    {
        await using var db = await TestDatabase.CreateAsync();
        var importer = new StudyImporter(db.Database, db.Clock);
        using var temp = new TempFolder();
        var bundle = DemoNotes.LinkCriteria(DemoNotes.Write(Path.Combine(temp.Path, "bundle")));
        var original = (await importer.ImportAsync(bundle)).StudyId!.Value;
        var zip = Path.Combine(temp.Path, "bundle.zip");
        await using (var file = File.Create(zip)) await new BundleExport(db.Database).WriteAsync(original, file, asId: "copy");

        var copy = await importer.ImportAsync(zip);

        Assert.Empty(copy.Errors);
        using var archive = ZipFile.OpenRead(zip);
        using var reader = new StreamReader(archive.GetEntry("study.json")!.Open());
        var given = JsonNode.Parse(File.ReadAllText(Path.Combine(bundle, "study.json")))!;
        var exported = JsonNode.Parse(await reader.ReadToEndAsync())!;
        Assert.True(JsonNode.DeepEquals(given["note_labels"], exported["note_labels"]), exported["note_labels"]?.ToJsonString());
        Assert.True(JsonNode.DeepEquals(given["rubric"]!["span_labels"], exported["rubric"]!["span_labels"]), exported["rubric"]!["span_labels"]?.ToJsonString());
    }

    [Fact]
    public async Task AStudyWithoutNoteLabelsWritesNone()
    {
        await using var db = await TestDatabase.CreateAsync();
        var original = (await new StudyImporter(db.Database, db.Clock).ImportAsync(TestPaths.DemoBundle)).StudyId!.Value;
        using var zip = new MemoryStream();

        await new BundleExport(db.Database).WriteAsync(original, zip);

        using var archive = new ZipArchive(new MemoryStream(zip.ToArray()));
        using var reader = new StreamReader(archive.GetEntry("study.json")!.Open());
        Assert.False(JsonNode.Parse(await reader.ReadToEndAsync())!.AsObject().ContainsKey("note_labels"));
    }

    /// <summary>A criterion's texts and their translations, option by option.</summary>
    static string Texts(Criterion c) => string.Join(" | ",
        new[] { $"{c.Id}: {c.Label} {c.LabelTranslations.ToJson()}", $"{c.HelpMd} {c.HelpTranslations.ToJson()}" }
            .Concat(c.Anchors.Concat(c.Options).Select(o => $"{o.Value}: {o.Label} {o.LabelTranslations.ToJson()}")));
}
