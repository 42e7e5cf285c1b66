using System.IO.Compression;
using System.Text.Json.Nodes;
using Dapper;
using GradeBench.Core.Adjudication;
using GradeBench.Storage.Adjudication;
using GradeBench.Storage.Export;
using GradeBench.Storage.Rubrics;
using GradeBench.Storage.Studies;
using GradeBench.Testing.Corpus;

namespace GradeBench.Storage.Tests.Export;

/// <summary>The cases' checklists and their marks in the exports: bundle.zip writes them back as cases.jsonl and
/// ratings.csv gave them, so that an import of it gives the same criteria and marks; ratings.csv and history.csv carry
/// the marks as rows of their case criteria.</summary>
public sealed class ChecklistExportTests : IAsyncLifetime
{
    readonly TempFolder _temp = new();
    TestDatabase _db = null!;
    long _studyId;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        _studyId = (await new StudyImporter(_db.Database, _db.Clock).ImportAsync(DemoChecklist.Write(Path.Combine(_temp.Path, "bundle")))).StudyId!.Value;
    }

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        _temp.Dispose();
    }

    /// <summary>Every case criterion and every mark of a study by bundle names, texts and translations included.</summary>
    async Task<(List<string> Criteria, List<string> Marks)> ChecklistsAsync(long studyId)
    {
        await using var connection = await _db.Database.OpenAsync();
        var criteria = await connection.QueryAsync<string>("""
            SELECT c.slug || ' ' || k.slug || ' ' || k.position || ' ' || k.label || ' ' || COALESCE(k.label_translations_json, '-')
                   || ' ' || k.points || ' ' || k.tags_json
            FROM criteria k JOIN cases c ON c.id = k.case_id WHERE c.study_id = @StudyId ORDER BY c.position, k.position
            """, new { StudyId = studyId });
        var marks = await connection.QueryAsync<string>("""
            SELECT r.slug || ' ' || u.display_name || ' ' || k.slug || ' ' || g.value || ' ' || g.status
            FROM ratings g JOIN responses r ON r.id = g.response_id JOIN users u ON u.id = g.rater_id JOIN criteria k ON k.id = g.criterion_id
            WHERE r.study_id = @StudyId AND k.case_id IS NOT NULL ORDER BY 1
            """, new { StudyId = studyId });
        return (criteria.AsList(), marks.AsList());
    }

    async Task<string> ExportBundleAsync(long studyId, string asId)
    {
        var zip = Path.Combine(_temp.Path, $"{asId}.zip");
        await using var file = File.Create(zip);
        await new BundleExport(_db.Database).WriteAsync(studyId, file, asId);
        return zip;
    }

    /// <summary>A JSON file of the zip, or one line of a JSON Lines file.</summary>
    static JsonNode Entry(string zip, string name, int? line = null)
    {
        using var archive = ZipFile.OpenRead(zip);
        using var reader = new StreamReader(archive.GetEntry(name)!.Open());
        var text = reader.ReadToEnd();
        return JsonNode.Parse(line is { } n ? text.Split('\n')[n] : text)!;
    }

    [Fact]
    public async Task BundleZipImportedAgainGivesTheSameChecklistsAndMarks()
    {
        var zip = await ExportBundleAsync(_studyId, "copy");

        var copy = await new StudyImporter(_db.Database, _db.Clock).ImportAsync(zip);

        Assert.True(copy.Succeeded, string.Join('\n', copy.Errors));
        Assert.Empty(copy.Warnings);
        var (criteria, marks) = await ChecklistsAsync(_studyId);
        Assert.Equal(15, criteria.Count);
        Assert.Equal(63, marks.Count);
        var (copiedCriteria, copiedMarks) = await ChecklistsAsync(copy.StudyId!.Value);
        Assert.Equal(criteria, copiedCriteria);
        Assert.Equal(marks, copiedMarks);
        // Each text in the form it came in: a map where it has translations, else a string; tags only where given.
        var first = Entry(zip, "cases.jsonl", 0)["criteria"]!.AsArray();
        Assert.Equal("推注前将血压降至 185/110 mmHg 以下", first[0]!["text_md"]!["zh-CN"]!.GetValue<string>());
        Assert.Equal("Does not wait for the platelet count and INR, as she takes no anticoagulant", first[1]!["text_md"]!.GetValue<string>());
        Assert.Null(first[2]!["tags"]);
        Assert.Equal(-8, first[3]!["points"]!.GetValue<int>());
        Assert.Null(Entry(zip, "cases.jsonl", 1)["criteria"]);
        Assert.Equal("any", Entry(zip, "study.json")["adjudication"]!["checklist"]!.GetValue<string>());
    }

    [Fact]
    public async Task AStudyOfChecklistsAloneComesBackWithoutRubricCriteriaAndItsNeverRule()
    {
        var original = (await new StudyImporter(_db.Database, _db.Clock).ImportAsync(Corpus.Valid("checklist"))).StudyId!.Value;
        var zip = await ExportBundleAsync(original, "checklist-copy");

        var copy = await new StudyImporter(_db.Database, _db.Clock).ImportAsync(zip);

        Assert.True(copy.Succeeded, string.Join('\n', copy.Errors));
        var (criteria, marks) = await ChecklistsAsync(original);
        var (copiedCriteria, copiedMarks) = await ChecklistsAsync(copy.StudyId!.Value);
        Assert.Equal(5, criteria.Count);
        Assert.Equal(criteria, copiedCriteria);
        Assert.Equal(marks, copiedMarks);
        Assert.Empty(Entry(zip, "study.json")["rubric"]!["criteria"]!.AsArray());
        var store = new AdjudicationStore(_db.Database, new RubricQuery(_db.Database), new StudyQuery(_db.Database), _db.Clock);
        Assert.Equal(DisagreementRule.Never, (await store.SettingsAsync(copy.StudyId!.Value)).Checklist);
    }

    [Fact]
    public async Task RatingsCsvHasAMarkAsARowOfItsCaseCriterionAfterTheRubricsRowsOfTheRating()
    {
        var output = new StringWriter();
        var export = new TextExport(_db.Database);

        var rows = await export.WriteRatingsAsync(_studyId, output);

        Assert.Equal(576 + 63, rows);
        Assert.Equal(rows, await export.CountRatingsAsync(_studyId));
        var lines = output.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')).ToList();
        var rating = lines.Where(l => l[2] == "case-007.model-b" && l[4] == "stroke-llm-synthetic-demo/rater-1").Select(l => l[5]).ToList();
        Assert.Equal(["consensus", "reasoning", "completeness", "incorrect_content", "harm_extent", "harm_likelihood", "hallucination", "overall",
            "thrombectomy", "large-core-trials", "no-thrombolysis"], rating);
        Assert.All(lines.Where(l => l[5] == "thrombectomy"), l => Assert.Equal("case-007", l[1]));
        Assert.All(lines.Where(l => l[5] is "bp-below-185" or "thrombectomy"), l => Assert.Contains(l[6], new[] { "true", "false" }));

        var history = new StringWriter();
        await export.WriteHistoryAsync(_studyId, history);
        Assert.Equal(576 + 63 + 1, history.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
    }
}
