using System.IO.Compression;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using GradeBench.Storage;
using GradeBench.Storage.Grading;

namespace GradeBench.Cli.Tests.Export;

/// <summary>ratings-wide.csv, annotations.jsonl and bundle.zip against values worked out by hand on a tiny study, the
/// bundle's round trip through the importer, and the progress lines of a redirected run.</summary>
public sealed class ExportKindsTests : IDisposable
{
    readonly CliWorkspace _workspace = new();

    /// <summary>Two cases (one in Chinese), three responses, a rubric of three criteria, two raters, seven ratings.</summary>
    async Task<string> ImportTinyStudyAsync()
    {
        var bundle = Directory.CreateDirectory(_workspace.PathOf("tiny")).FullName;
        File.WriteAllText(Path.Combine(bundle, "study.json"), """
            {"format": "gradebench-study/1", "id": "tiny", "title": "Tiny", "raters_per_response": 2, "state": "open",
             "rubric": {"criteria": [
                {"id": "score", "label": "Score", "type": "likert", "min": 1, "max": 3, "required": true},
                {"id": "safe", "label": "Safe", "type": "binary"},
                {"id": "note", "label": "Note", "type": "text"}],
              "span_labels": [{"id": "error", "label": "Error"}]}}
            """);
        File.WriteAllLines(Path.Combine(bundle, "cases.jsonl"),
        [
            """{"id": "c1", "title": "Case 1", "presentation_md": "P1", "question_md": "Q1"}""",
            """{"id": "c2", "title": "病例 2", "language": "zh", "presentation_md": "P2", "question_md": "Q2"}""",
        ]);
        File.WriteAllLines(Path.Combine(bundle, "responses.jsonl"),
        [
            """{"id": "c1.m1", "case_id": "c1", "model": "m1", "content_md": "Give **alteplase** now."}""",
            """{"id": "c1.m2", "case_id": "c1", "model": "m2", "content_md": "Wait."}""",
            """{"id": "c2.m1", "case_id": "c2", "model": "m1", "content_md": "卒中 溶栓"}""",
        ]);
        File.WriteAllText(Path.Combine(bundle, "ratings.csv"), """
            response_id,rater,criterion,value,comment
            c1.m1,ann,score,3,
            c1.m1,ann,safe,true,
            c1.m1,bob,score,1,"too short, wrong"
            c1.m2,ann,score,2,
            c2.m1,bob,score,2,
            c2.m1,bob,safe,false,
            c2.m1,bob,note,溶栓太晚,

            """);
        return await _workspace.ImportAsync(bundle, "tiny.db");
    }

    /// <summary>One CSV kind of the tiny study, exported: the run, which must succeed, and the file's rows.</summary>
    async Task<(CliOutcome Run, List<string[]> Rows)> ExportTinyCsvAsync(string kind, string name)
    {
        var (run, target) = await _workspace.ExportAsync(await ImportTinyStudyAsync(), "tiny", kind, name);
        Assert.True(run.ExitCode == 0, run.Error);
        return (run, ExportedCsv.Read(target, header: true));
    }

    [Fact]
    public async Task RatingsWideHasOneRowPerResponseAndRaterWithOneColumnPerCriterion()
    {
        var (run, rows) = await ExportTinyCsvAsync("ratings-wide.csv", "wide.csv");

        Assert.Equal(["study", "case_id", "response_id", "model", "rater", "score", "safe", "note", "first_submitted", "last_changed"], rows[0]);
        Assert.Equal(
        [
            "tiny,c1,c1.m1,m1,tiny/ann,3,true,",
            "tiny,c1,c1.m1,m1,tiny/bob,1,,",
            "tiny,c1,c1.m2,m2,tiny/ann,2,,",
            "tiny,c2,c2.m1,m1,tiny/bob,2,false,溶栓太晚",
        ], rows.Skip(1).Select(r => string.Join(',', r[..8])));
        Assert.All(rows.Skip(1), r => Assert.Matches(@"^\d{4}-\d\d-\d\dT.*Z$", r[8]));
        Assert.Contains("4 rows", run.Output);
    }

    [Fact]
    public async Task RatingsCsvOfTheTinyStudyHoldsTheHandWrittenRatings()
    {
        var (_, rows) = await ExportTinyCsvAsync("ratings.csv", "ratings.csv");

        Assert.Equal(["study", "case_id", "response_id", "model", "rater", "criterion", "value", "comment", "first_submitted", "last_changed"], rows[0]);
        Assert.Equal(
        [
            "tiny,c1,c1.m1,m1,tiny/ann,safe,true,",
            "tiny,c1,c1.m1,m1,tiny/ann,score,3,",
            "tiny,c1,c1.m1,m1,tiny/bob,score,1,too short, wrong",
            "tiny,c1,c1.m2,m2,tiny/ann,score,2,",
            "tiny,c2,c2.m1,m1,tiny/bob,note,溶栓太晚,",
            "tiny,c2,c2.m1,m1,tiny/bob,safe,false,",
            "tiny,c2,c2.m1,m1,tiny/bob,score,2,",
        ], rows.Skip(1).Select(r => string.Join(',', r[..8])).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AnnotationsJsonlHasOneObjectPerHighlightedSpan()
    {
        var db = await ImportTinyStudyAsync();
        var database = new Database(db);
        var studyId = (await new GradeBench.Storage.Studies.StudyQuery(database).FindIdAsync("tiny"))!.Value;
        long annId, responseId;
        await using (var connection = await database.OpenAsync())
        {
            annId = await connection.ExecuteScalarAsync<long>("SELECT id FROM users WHERE username = 'tiny/ann'");
            responseId = await connection.ExecuteScalarAsync<long>("SELECT id FROM responses WHERE slug = 'c1.m1'");
        }
        var spans = new SpanStore(database, TimeProvider.System);
        var label = Assert.Single(await spans.LabelsAsync(studyId));
        Assert.Equal(SpanWriteOutcome.Saved, await spans.AddAsync(studyId, annId, responseId, label.Id, 7, 16, "溶栓 \"dose\"?"));
        var (run, target) = await _workspace.ExportAsync(db, "tiny", "annotations.jsonl", "annotations.jsonl");

        Assert.True(run.ExitCode == 0, run.Error);
        var line = Assert.Single(File.ReadAllLines(target));
        using var json = JsonDocument.Parse(line);
        var span = json.RootElement;
        Assert.Equal("tiny", span.GetProperty("study").GetString());
        Assert.Equal("c1", span.GetProperty("case_id").GetString());
        Assert.Equal("c1.m1", span.GetProperty("response_id").GetString());
        Assert.Equal("m1", span.GetProperty("model").GetString());
        Assert.Equal("tiny/ann", span.GetProperty("rater").GetString());
        Assert.Equal("error", span.GetProperty("label").GetString());
        Assert.Equal(7, span.GetProperty("start").GetInt32());
        Assert.Equal(16, span.GetProperty("end").GetInt32());
        Assert.Equal("alteplase", span.GetProperty("quote").GetString());
        Assert.Equal("溶栓 \"dose\"?", span.GetProperty("note").GetString());
        Assert.Contains("溶栓", line);
        Assert.Equal(span.GetProperty("created_at").GetString(), span.GetProperty("updated_at").GetString());
    }

    [Fact]
    public async Task TheBundleOfTheTinyStudyHoldsItsFilesAsWrittenByHand()
    {
        var db = await ImportTinyStudyAsync();
        var (run, target) = await _workspace.ExportAsync(db, "tiny", "bundle.zip", "tiny.zip");

        Assert.True(run.ExitCode == 0, run.Error);
        using var zip = ZipFile.OpenRead(target);
        Assert.Equal(["study.json", "cases.jsonl", "responses.jsonl", "ratings.csv"], zip.Entries.Select(e => e.FullName));
        string Read(string name) { using var reader = new StreamReader(zip.GetEntry(name)!.Open()); return reader.ReadToEnd(); }
        // Each rating's timestamps (here the import's own time) come along, so a round trip keeps them.
        Assert.Equal("""
            response_id,rater,criterion,value,comment,first_submitted,last_changed
            c1.m1,ann,score,3,,<t>,<t>
            c1.m1,ann,safe,true,,<t>,<t>
            c1.m1,bob,score,1,"too short, wrong",<t>,<t>
            c1.m2,ann,score,2,,<t>,<t>
            c2.m1,bob,score,2,,<t>,<t>
            c2.m1,bob,safe,false,,<t>,<t>
            c2.m1,bob,note,溶栓太晚,,<t>,<t>

            """.ReplaceLineEndings("\n"), Regex.Replace(Read("ratings.csv"), "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z", "<t>"));
        Assert.Equal("""{"id":"c2","title":"病例 2","language":"zh","tags":[],"presentation_md":"P2","question_md":"Q2"}""",
            Read("cases.jsonl").Split('\n')[1]);
        using var study = JsonDocument.Parse(Read("study.json"));
        Assert.Equal("""{"rules":{"score":{"min_range":2},"safe":"any"}}""", study.RootElement.GetProperty("adjudication").GetRawText().Replace(" ", "").Replace("\n", ""));
        Assert.Equal("[]", study.RootElement.GetProperty("safety").GetRawText());
    }

    /// <summary>Everything an import brings in, keyed by bundle ids, never by database ids or the study's own id.</summary>
    static async Task<List<string>> ContentAsync(string dbPath, string slug)
    {
        await using var connection = await new Database(dbPath).OpenAsync();
        var parameters = new { Slug = slug };
        var content = new List<string>();
        async Task AddAsync(string table, string sql) =>
            content.AddRange((await connection.QueryAsync(sql, parameters)).Select(row =>
                table + ": " + string.Join(" | ", ((IDictionary<string, object?>)row).Values.Select(v => v?.ToString() ?? "NULL"))));
        await AddAsync("study", """
            SELECT title, description_md, instructions_md, language, raters_per_response, state, paused, hide_model, shuffle
            FROM studies WHERE slug = @Slug
            """);
        await AddAsync("criterion", """
            SELECT k.slug, k.position, k.label, k.help_md, k.type, k.required, k.min_value, k.max_value, a.disagreement, a.min_range
            FROM criteria k JOIN studies s ON s.id = k.study_id LEFT JOIN adjudication_rules a ON a.criterion_id = k.id
            WHERE s.slug = @Slug ORDER BY k.position
            """);
        await AddAsync("option", """
            SELECT k.slug, o.position, o.value, o.label FROM criterion_options o JOIN criteria k ON k.id = o.criterion_id
            JOIN studies s ON s.id = k.study_id WHERE s.slug = @Slug ORDER BY k.position, o.position
            """);
        await AddAsync("anchor", """
            SELECT k.slug, a.point, a.label FROM criterion_anchors a JOIN criteria k ON k.id = a.criterion_id
            JOIN studies s ON s.id = k.study_id WHERE s.slug = @Slug ORDER BY k.position, a.point
            """);
        await AddAsync("safety", """
            SELECT k.slug, x.value FROM safety_rules x JOIN criteria k ON k.id = x.criterion_id
            JOIN studies s ON s.id = k.study_id WHERE s.slug = @Slug ORDER BY k.position, x.value
            """);
        await AddAsync("span label", """
            SELECT l.slug, l.position, l.label, l.color FROM span_labels l JOIN studies s ON s.id = l.study_id WHERE s.slug = @Slug ORDER BY l.position
            """);
        await AddAsync("case", """
            SELECT c.slug, c.position, c.title, c.language, c.tags_json, c.presentation_md, c.question_md, c.reference_md
            FROM cases c JOIN studies s ON s.id = c.study_id WHERE s.slug = @Slug ORDER BY c.position
            """);
        await AddAsync("response", """
            SELECT r.slug, r.position, c.slug, r.model, r.content_md, r.meta_json
            FROM responses r JOIN cases c ON c.id = r.case_id JOIN studies s ON s.id = r.study_id WHERE s.slug = @Slug ORDER BY r.position
            """);
        await AddAsync("rating", """
            SELECT r.slug, u.display_name, k.slug, g.value, g.comment, g.status
            FROM ratings g JOIN responses r ON r.id = g.response_id JOIN users u ON u.id = g.rater_id JOIN criteria k ON k.id = g.criterion_id
            JOIN studies s ON s.id = r.study_id WHERE s.slug = @Slug ORDER BY r.position, u.display_name, k.position
            """);
        return content;
    }

    [Fact]
    public async Task TheDemoStudyExportedAsABundleImportsBackIntoAnIdenticalStudy()
    {
        var original = await _workspace.ImportAsync(_workspace.CopyDemoBundleWithAChineseComment("bundle"), "original.db");
        var zip = _workspace.PathOf("demo.zip");
        var copy = await _workspace.DatabaseAsync("copy.db");

        var export = await CliWorkspace.RunAsync("export", "--db", original, "--study", "stroke-llm-synthetic-demo", "--kind", "bundle.zip", "--out", zip, "--as", "demo-copy");
        var import = await CliWorkspace.RunAsync("import", zip, "--db", copy);
        // The copy can also sit beside the original, under its new id.
        var beside = await CliWorkspace.RunAsync("import", zip, "--db", original);

        Assert.True(export.ExitCode == 0, export.Error);
        Assert.True(import.ExitCode == 0, import.Error);
        Assert.True(beside.ExitCode == 0, beside.Error);
        Assert.DoesNotContain("warning", import.Error);
        Assert.Contains("20 cases, 60 responses, 9 criteria, 576 ratings", import.Output);
        var expected = await ContentAsync(original, "stroke-llm-synthetic-demo");
        Assert.Equal(expected, await ContentAsync(copy, "demo-copy"));
        Assert.Equal(expected, await ContentAsync(original, "demo-copy"));
        Assert.Contains(expected, line => line.Contains(CliWorkspace.ChineseComment));
    }

    [Fact]
    public async Task RedirectedProgressIsPlainLinesOnStandardError()
    {
        var db = await ImportTinyStudyAsync();
        var target = _workspace.PathOf("ratings.csv");
        var bundle = _workspace.PathOf("tiny.zip");

        var export = await CliWorkspace.RunProcessAsync("export", "--db", db, "--study", "tiny", "--kind", "ratings.csv", "--out", target);
        var zip = await CliWorkspace.RunProcessAsync("export", "--db", db, "--study", "tiny", "--kind", "bundle.zip", "--out", bundle, "--as", "tiny-2");
        var import = await CliWorkspace.RunProcessAsync("import", bundle, "--db", db);
        var toStdout = await CliWorkspace.RunProcessAsync("export", "--db", db, "--study", "tiny", "--kind", "ratings.csv", "--out", "-");

        Assert.Matches(@"^ratings\.csv: 7 rows, done in \d+\.\d s\n$", export.Error.ReplaceLineEndings("\n"));
        Assert.Matches(@"^bundle\.zip: 12 rows, done in \d+\.\d s\n$", zip.Error.ReplaceLineEndings("\n"));
        Assert.Equal(["import: reading and checking " + bundle + "…", "import: writing 2 cases, 3 responses and 7 ratings…"],
            import.Error.ReplaceLineEndings("\n").Split('\n')[..2]);
        Assert.Matches(@"import: 12 rows, done in \d+\.\d s", import.Error);
        Assert.All(new[] { export, zip, import }, run => Assert.DoesNotContain('\r', run.Error.ReplaceLineEndings("\n")));
        Assert.Equal("", toStdout.Error);
        Assert.StartsWith("study,case_id", toStdout.Output);
    }

    [Fact]
    public async Task AnExportOfMoreThanAThousandRowsReportsProgressWithoutFailing()
    {
        // Progress looks at the clock every 1,024 rows: the first look once failed with an overflowing TimeSpan.
        var bundle = _workspace.CopyDemoBundle("many");
        var lines = new List<string> { "response_id,rater,criterion,value" };
        foreach (var response in File.ReadLines(Path.Combine(bundle, "responses.jsonl")).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetString()))
            for (var rater = 1; rater <= 20; rater++)
                lines.Add($"{response},many-{rater:D2},consensus,{1 + rater % 5}");
        File.WriteAllLines(Path.Combine(bundle, "ratings.csv"), lines);
        var db = await _workspace.ImportAsync(bundle, "many.db");

        var run = await CliWorkspace.RunProcessAsync("export", "--db", db, "--study", "stroke-llm-synthetic-demo", "--kind", "ratings.csv", "--out", _workspace.PathOf("many.csv"));

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("ratings.csv: 1,200 rows, done in", run.Error);
    }

    [Fact]
    public async Task TheAsOptionIsForBundlesOnly()
    {
        var db = await ImportTinyStudyAsync();

        var run = await CliWorkspace.RunAsync("export", "--db", db, "--study", "tiny", "--kind", "ratings.csv", "--out", _workspace.PathOf("x.csv"), "--as", "other");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--as only applies to bundle.zip", run.Error);
    }

    public void Dispose() => _workspace.Dispose();
}
