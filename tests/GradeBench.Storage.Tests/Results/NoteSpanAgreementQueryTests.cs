using Dapper;
using GradeBench.Core.Spans;
using GradeBench.Core.Studies;
using GradeBench.Storage.Export;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Notes;
using GradeBench.Storage.Results;
using GradeBench.Storage.Rubrics;
using GradeBench.Storage.Studies;

namespace GradeBench.Storage.Tests.Results;

/// <summary>Agreement on the passages of the cases' notes (<see cref="SpanAgreementQuery"/> with
/// <see cref="SpanSource.Note"/>): a case is a document, its note's code points the continuum, its readers those who
/// finished their work on it and annotate notes (<see cref="NoteReaders"/>); per criterion over the note labels
/// linked to it (<see cref="DemoNotes.LinkCriteria"/>).</summary>
public sealed class NoteSpanAgreementQueryTests : IAsyncLifetime
{
    TestDatabase _db = null!;

    public async Task InitializeAsync() => _db = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _db.DisposeAsync();

    GradingStore Grading => new(_db.Database, new RubricQuery(_db.Database), _db.Clock);
    NoteSpanStore Notes => new(_db.Database, _db.Clock);

    /// <summary>The demo with note labels linked to criteria, without its imported ratings unless asked.</summary>
    async Task<long> StudyAsync(bool link = true, bool ratings = false)
    {
        using var temp = new TempFolder();
        var folder = DemoNotes.Write(temp.Path);
        if (link) DemoNotes.LinkCriteria(folder);
        var bundle = BundleReader.Read(folder).Bundle!;
        return (await new StudyImporter(_db.Database, _db.Clock).ImportAsync(ratings ? bundle : bundle with { Ratings = [] }, [])).StudyId!.Value;
    }

    async Task<(long Case, long Answer, int Length)> CaseAsync(long studyId, string slug)
    {
        await using var connection = await _db.Database.OpenAsync();
        var (caseId, answer, text) = await connection.QuerySingleAsync<(long, long, string)>("""
            SELECT c.id, MIN(r.id), c.presentation_md FROM cases c JOIN responses r ON r.case_id = c.id
            WHERE c.study_id = @StudyId AND c.slug = @Slug GROUP BY c.id
            """, new { StudyId = studyId, Slug = slug });
        return (caseId, answer, CodePoints.Length(text));
    }

    async Task AssignAsync(long studyId, long rater, long response)
    {
        await using var connection = await _db.Database.OpenAsync();
        await connection.ExecuteAsync("""
            INSERT INTO assignments (study_id, response_id, rater_id, queue_position, assigned_at)
            VALUES (@StudyId, @Response, @Rater, 0, @At)
            ON CONFLICT DO NOTHING
            """, new { StudyId = studyId, Response = response, Rater = rater, At = new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero) });
    }

    async Task SubmitAsync(long studyId, long rater, long response) =>
        Assert.Equal(RatingWriteOutcome.Saved, (await Grading.SaveAsync(studyId, rater, response, DemoRatings.Complete(), submit: true)).Outcome);

    async Task MarkAsync(long rater, long caseId, long label, int start, int end) =>
        Assert.Equal(NoteSpanOutcome.Saved, (await Notes.AddAsync(rater, caseId, label, start, end, null, null)).Outcome);

    static double Value(Core.Agreement.Estimate estimate) => Assert.IsType<double>(estimate.Value);

    /// <summary>The astral case: a and b submit a rating of its answer and mark nihss [3,10); c holds the answer, marks
    /// symptom [0,5) and submits nothing (still at work: no reader, the passage a draft); d submits marking nothing there
    /// but marks case-002's note (a reader who found nothing); e submits and marks no note of the study (a pilot rater: no
    /// reader). Case-002: only a submits, so it is no document. F1 exact overall: pairs (a,b) 1 match of 2 spans, (a,d),
    /// (b,d) 0 of 1: 2·1/4.</summary>
    [Fact]
    public async Task ACaseIsADocumentReadByThoseWhoFinishedItAndAnnotateNotes()
    {
        var studyId = await StudyAsync();
        var (astral, answer, length) = await CaseAsync(studyId, DemoNotes.AstralCase);
        var (other, otherAnswer, _) = await CaseAsync(studyId, "case-002");
        var labels = await Notes.LabelsAsync(studyId);
        var (nihss, symptom) = (labels[0].Id, labels[1].Id);
        var (a, b, c, d) = (await _db.AddRaterAsync(studyId, "dr-a"), await _db.AddRaterAsync(studyId, "dr-b"), await _db.AddRaterAsync(studyId, "dr-c"),
            await _db.AddRaterAsync(studyId, "dr-d"));
        var e = await _db.AddRaterAsync(studyId, "dr-e");
        foreach (var rater in new[] { a, b, c, d, e }) await AssignAsync(studyId, rater, answer);
        await AssignAsync(studyId, a, otherAnswer);
        await AssignAsync(studyId, d, otherAnswer);
        await MarkAsync(a, astral, nihss, 3, 10);
        await MarkAsync(b, astral, nihss, 3, 10);
        await MarkAsync(c, astral, symptom, 0, 5);
        await MarkAsync(a, other, nihss, 0, 4);
        await MarkAsync(d, other, symptom, 0, 4);
        foreach (var rater in new[] { a, b, d, e }) await SubmitAsync(studyId, rater, answer);
        await SubmitAsync(studyId, a, otherAnswer);

        var query = new SpanAgreementQuery(_db.Database);
        var result = Assert.IsType<StudySpanAgreement>(await query.ComputeAsync(studyId, SpanSource.Note));

        var report = result.Report;
        Assert.Equal((1, 1, 3, 2), (report.Documents, report.PairedDocuments, report.Raters, report.Spans));
        Assert.Equal(2.0 / 4, Value(report.Overall.F1Exact), 12);
        Assert.Equal(DemoNotes.Labels, result.Labels.Select(l => l.Id));
        Assert.Equal([(1, 2, 2), (0, 0, 0), (0, 0, 0)], result.Labels.Select(l => (l.Documents, l.Raters, l.Spans)));
        var expected = SpanAgreement.Run([new SpanDocument("case", length, ["a", "b", "d"],
            [new("case", "a", "nihss", 3, 10), new("case", "b", "nihss", 3, 10)])],
            new SpanAgreementOptions { Labels = DemoNotes.Labels });
        Assert.Equal(expected.Overall, report.Overall);
        // consensus: nihss and symptom, all the spans; harm_extent: symptom alone, which no reader marked here.
        Assert.Equal(["consensus", "harm_extent"], result.Criteria.Select(k => k.Id));
        Assert.Equal(expected.Overall, result.Criteria[0].Figures);
        Assert.Equal([(1, 2, 2), (0, 0, 0)], result.Criteria.Select(k => (k.Documents, k.Raters, k.Spans)));
        Assert.Null(result.Criteria[1].Figures.F1Exact.Value);
        // The answers' highlights are another source: no note passage is among them.
        Assert.Equal(0, (await query.ComputeAsync(studyId))!.Report.Spans);
    }

    [Fact]
    public async Task AStudyWithoutNoteLabelsHasNoNoteAgreement()
    {
        var studyId = (await new StudyImporter(_db.Database, _db.Clock).ImportAsync(TestPaths.DemoBundle)).StudyId!.Value;
        var query = new SpanAgreementQuery(_db.Database);

        Assert.Null(await query.ComputeAsync(studyId, SpanSource.Note));
        Assert.False(await query.HasLabelsAsync(studyId, SpanSource.Note));
        Assert.True(await query.HasLabelsAsync(studyId, SpanSource.Answers));
    }

    /// <summary>The answers' agreement too is reported per criterion, over the span labels linked to it.</summary>
    [Fact]
    public async Task TheAnswersAgreementHasItsLinkedCriteria()
    {
        var studyId = await StudyAsync();

        var result = (await new SpanAgreementQuery(_db.Database).ComputeAsync(studyId))!;

        Assert.Equal(["consensus", "harm_extent"], result.Criteria.Select(k => k.Id));
        Assert.Equal("Agreement with guideline consensus", result.Criteria[0].Name);
    }

    /// <summary>span-agreement.csv: the answers' rows, then the notes', each source overall, per label and per linked
    /// criterion (scope criterion, the criterion's id as label), the figures of <see cref="SpanAgreementQuery"/>.</summary>
    [Fact]
    public async Task SpanAgreementCsvHasTheAnswersRowsThenTheNotesWithTheirCriteria()
    {
        var studyId = await StudyAsync();
        var output = new StringWriter();

        await new TextExport(_db.Database).WriteSpanAgreementAsync(studyId, output);

        var rows = output.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')).ToList();
        string[] figures = ["f1_exact", "f1_overlap", "alpha_u"];
        var spanLabels = BundleReader.Read(TestPaths.DemoBundle).Bundle!.Study.SpanLabels.Select(l => l.Id);
        string[] Group(string source, IEnumerable<string> labels) =>
        [
            .. figures.Select(f => $"{source} overall  {f}"),
            .. labels.SelectMany(l => figures.Select(f => $"{source} label {l} {f}")),
            .. new[] { "consensus", "harm_extent" }.SelectMany(c => figures.Select(f => $"{source} criterion {c} {f}")),
        ];
        Assert.Equal([.. Group("answers", spanLabels), .. Group("note", DemoNotes.Labels)], rows.Select(r => string.Join(' ', r[..4])));
        // Nobody has read anything yet: no value, and why.
        var notes = (await new SpanAgreementQuery(_db.Database).ComputeAsync(studyId, SpanSource.Note))!;
        var harm = output.ToString().Split("\r\n").Single(l => l.StartsWith("note,criterion,harm_extent,f1_exact,", StringComparison.Ordinal));
        Assert.StartsWith("note,criterion,harm_extent,f1_exact,,,,0,0,0,", harm);
        Assert.Contains(notes.Criteria[1].Figures.F1Exact.Reason!.ToString(), harm);
    }

    /// <summary>report.md and report.html carry the notes' section after the highlights', each with its criteria.</summary>
    [Fact]
    public async Task TheReportHasTheNotesSectionWithItsCriteria()
    {
        // Two pilot raters who rated an answer to one case mark its note: that case is a document read by two.
        var studyId = await StudyAsync(ratings: true);
        await using (var connection = await _db.Database.OpenAsync())
        {
            var finished = (await connection.QueryAsync<(long Case, long Rater)>("""
                SELECT r.case_id, a.rater_id FROM assignments a JOIN responses r ON r.id = a.response_id
                WHERE a.study_id = @StudyId AND a.completed_at IS NOT NULL ORDER BY r.case_id, a.rater_id
                """, new { StudyId = studyId })).Distinct().GroupBy(f => f.Case).First(g => g.Count() >= 2).Take(2).ToList();
            var nihss = (await Notes.LabelsAsync(studyId))[0].Id;
            foreach (var (caseId, rater) in finished) await MarkAsync(rater, caseId, nihss, 0, 4);
        }
        var markdown = new StringWriter();
        var html = new StringWriter();

        await new ReportExport(_db.Database).WriteMarkdownAsync(studyId, markdown);
        await new ReportExport(_db.Database).WriteHtmlAsync(studyId, html);

        var text = markdown.ToString();
        Assert.True(text.IndexOf("Agreement on highlighted spans", StringComparison.Ordinal) < text.IndexOf("Agreement on note passages", StringComparison.Ordinal));
        Assert.Contains("Agreement on note passages per rubric criterion", text);
        Assert.Contains("Agreement on highlighted spans per rubric criterion", text);
        Assert.Contains("Agreement on note passages", html.ToString());
    }
}
