using System.Globalization;
using Dapper;
using GradeBench.Core.Pairwise;
using GradeBench.Core.Spans;
using GradeBench.Core.Studies;
using GradeBench.Storage.Export;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Pairwise;
using GradeBench.Storage.Results;
using GradeBench.Storage.Rubrics;
using GradeBench.Storage.Studies;

namespace GradeBench.Storage.Tests.Results;

/// <summary>The span agreement of a study as stored, worked by hand on a tiny study: the documents are the answers two
/// raters submitted, their readers those raters, their lengths the stored text's in the offsets' unit (UTF-16 today).</summary>
public sealed class SpanAgreementQueryTests : IAsyncLifetime
{
    TestDatabase _db = null!;

    public async Task InitializeAsync() => _db = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _db.DisposeAsync();

    GradingStore Grading => new(_db.Database, new RubricQuery(_db.Database), _db.Clock);
    SpanStore Spans => new(_db.Database, _db.Clock);

    static readonly string[] Texts = ["Give aspirin 300 mg now.", "😷 Call a GP.", "Rest well."];

    /// <summary>The demo study cut down to three answers (24, 12 and 10 code points, the offsets' unit; the second starts
    /// with an emoji, two UTF-16 units and one code point, so it is 13 units long), labels drug and dose, no pilot ratings, two raters per answer.</summary>
    async Task<long> TinyStudyAsync()
    {
        var demo = BundleReader.Read(TestPaths.DemoBundle).Bundle!;
        var responses = demo.Responses.Take(3).Select((r, i) => r with { ContentMd = Texts[i] }).ToList();
        var bundle = demo with
        {
            Study = demo.Study with { Id = "tiny-spans", RatersPerResponse = 2, SpanLabels = [new("drug", "Drug", null), new("dose", "Dose", null)] },
            Cases = [.. demo.Cases.Where(c => responses.Any(r => r.CaseId == c.Id))],
            Responses = responses,
            Ratings = [],
        };
        return (await new StudyImporter(_db.Database, _db.Clock).ImportAsync(bundle, [])).StudyId!.Value;
    }

    async Task<(long Drug, long Dose)> LabelsAsync(long studyId)
    {
        var labels = await Spans.LabelsAsync(studyId);
        return (labels.Single(l => l.Slug == "drug").Id, labels.Single(l => l.Slug == "dose").Id);
    }

    async Task<IReadOnlyList<long>> AnswersAsync(long studyId, long rater) =>
        [.. (await Grading.QueueAsync(studyId, rater)).Select(q => q.ResponseId).Order()];

    /// <summary>The answers by their text, in the order of <see cref="Texts"/>.</summary>
    async Task<IReadOnlyList<long>> AnswersByTextAsync(long studyId)
    {
        await using var connection = await _db.Database.OpenAsync();
        var ids = (await connection.QueryAsync<(long Id, string Text)>("SELECT id, content_md FROM responses WHERE study_id = @StudyId",
            new { StudyId = studyId })).ToDictionary(r => r.Text, r => r.Id);
        return [.. Texts.Select(t => ids[t])];
    }

    async Task SubmitAsync(long studyId, long rater, long response, bool submit = true) =>
        Assert.Equal(RatingWriteOutcome.Saved, (await Grading.SaveAsync(studyId, rater, response, DemoRatings.Complete(), submit)).Outcome);

    async Task MarkAsync(long studyId, long rater, long response, long label, int start, int end) =>
        Assert.Equal(SpanWriteOutcome.Saved, await Spans.AddAsync(studyId, rater, response, label, start, end, null));

    static double Value(Core.Agreement.Estimate estimate) => Assert.IsType<double>(estimate.Value);

    /// <summary>Answer 1 (24 code points): a marks drug [5,12) and dose [13,19), b drug [5,12) and dose [13,16). Answer 2 (12
    /// code points): a submits it marking nothing, b marks dose [3,7). Answer 3: a submits it with a drug span, b only saves a
    /// draft with one, so it has one reader and is no document.</summary>
    async Task<long> WorkedStudyAsync()
    {
        var studyId = await TinyStudyAsync();
        var a = await _db.AddRaterAsync(studyId, "dr-a");
        var b = await _db.AddRaterAsync(studyId, "dr-b");
        var (drug, dose) = await LabelsAsync(studyId);
        var answers = await AnswersByTextAsync(studyId);
        Assert.Equal(answers.Order(), await AnswersAsync(studyId, a));
        Assert.Equal(answers.Order(), await AnswersAsync(studyId, b));
        var (first, second, third) = (answers[0], answers[1], answers[2]);

        await MarkAsync(studyId, a, first, drug, 5, 12);
        await MarkAsync(studyId, a, first, dose, 13, 19);
        await MarkAsync(studyId, b, first, drug, 5, 12);
        await MarkAsync(studyId, b, first, dose, 13, 16);
        await MarkAsync(studyId, b, second, dose, 3, 7);
        await MarkAsync(studyId, a, third, drug, 0, 4);
        await MarkAsync(studyId, b, third, drug, 0, 4);
        foreach (var answer in answers) await SubmitAsync(studyId, a, answer);
        await SubmitAsync(studyId, b, first);
        await SubmitAsync(studyId, b, second);
        await SubmitAsync(studyId, b, third, submit: false);
        return studyId;
    }

    /// <summary>The study of <see cref="WorkedStudyAsync"/>, by hand.
    /// F1: drug exact 2·1/2, overlap 1; dose exact 0 of 3 spans, overlap 2·1/3; overall exact 2·1/5, overlap 2·2/5.
    /// α_u (L = 36, M = 72): drug D_o = 0, so α 1; D_e = (2/36)(364 + 2352)/5028. Dose D_o = (2·9 + 2·16)/(72·36),
    /// D_e = (2/36)(296 + 1949)/5064; overall 1 − ΣD_o/ΣD_e (docs/spans.md; the sums worked in the comments).</summary>
    [Fact]
    public async Task TheFiguresOfATinyStudyAreThoseWorkedByHand()
    {
        var studyId = await WorkedStudyAsync();

        var result = Assert.IsType<StudySpanAgreement>(await new SpanAgreementQuery(_db.Database).ComputeAsync(studyId));

        var report = result.Report;
        Assert.Equal((2, 2, 2, 5), (report.Documents, report.PairedDocuments, report.Raters, report.Spans));
        Assert.Equal(0.4, Value(report.Overall.F1Exact), 12);
        Assert.Equal(0.8, Value(report.Overall.F1Overlap), 12);
        // Drug: 7-unit units in both tracks of answer 1; gaps 5, 12, 5, 12 there and 12, 12 in answer 2.
        var drugExpected = 2.0 / 36 * (364 + 2352) / 5028;
        // Dose: units 6, 3 (answer 1) and 4 (answer 2); gaps 13, 5, 13, 8, 12, 3, 5.
        var (doseObserved, doseExpected) = (50.0 / 2592, 2.0 / 36 * (296 + 1949) / 5064);
        Assert.Equal(["drug", "dose"], result.Labels.Select(l => l.Id));
        Assert.Equal(["Drug", "Dose"], result.Labels.Select(l => l.Name));
        var (drugFigures, doseFigures) = (result.Labels[0], result.Labels[1]);
        Assert.Equal((1.0, 1.0, 1.0), (Value(drugFigures.Figures.F1Exact), Value(drugFigures.Figures.F1Overlap), Value(drugFigures.Figures.AlphaU)));
        Assert.Equal(0.0, Value(doseFigures.Figures.F1Exact), 12);
        Assert.Equal(2.0 / 3, Value(doseFigures.Figures.F1Overlap), 12);
        Assert.Equal(1 - doseObserved / doseExpected, Value(doseFigures.Figures.AlphaU), 12);
        Assert.Equal(1 - doseObserved / (drugExpected + doseExpected), Value(report.Overall.AlphaU), 12);
        Assert.Equal((1, 2, 2), (drugFigures.Documents, drugFigures.Raters, drugFigures.Spans));
        Assert.Equal((2, 2, 3), (doseFigures.Documents, doseFigures.Raters, doseFigures.Spans));
        Assert.NotNull(report.Overall.F1Overlap.Ci95);
    }

    /// <summary>span-agreement.csv: a row per figure, overall then the labels in the study's order, in full precision,
    /// with what each rests on; the interval where there is one, else the reason.</summary>
    [Fact]
    public async Task SpanAgreementCsvHoldsEveryFigureInFullWithWhatItRestsOn()
    {
        var studyId = await WorkedStudyAsync();
        var output = new StringWriter();

        await new TextExport(_db.Database).WriteSpanAgreementAsync(studyId, output);

        var lines = output.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("source,scope,label,statistic,value,ci_lower,ci_upper,documents,raters,spans,reason", lines[0]);
        // The answers' rows, without the source column: the study has no note labels.
        Assert.All(lines.Skip(1), l => Assert.StartsWith("answers,", l));
        var rows = lines.Skip(1).Select(l => l.Split(',')[1..]).ToList();
        Assert.Equal(["overall f1_exact", "overall f1_overlap", "overall alpha_u", "label drug f1_exact", "label drug f1_overlap", "label drug alpha_u",
            "label dose f1_exact", "label dose f1_overlap", "label dose alpha_u"], rows.Select(r => string.Join(' ', r[..3].Where(c => c != ""))));
        Assert.Equal(["0.4", "0.8"], rows[..2].Select(r => r[3]));
        Assert.Equal(2.0 / 3, double.Parse(rows[7][3], CultureInfo.InvariantCulture), 15);
        Assert.All(rows[..3], r => Assert.Equal(["2", "2", "5"], r[6..9]));
        Assert.Equal(["1", "2", "2"], rows[3][6..9]);
        Assert.Equal(["2", "2", "3"], rows[6][6..9]);
        Assert.All(rows, r => Assert.Equal((10, ""), (r.Length, r[9])));
        Assert.True(double.Parse(rows[1][4], CultureInfo.InvariantCulture) <= 0.8 && 0.8 <= double.Parse(rows[1][5], CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task SpanAgreementCsvOfAStudyWithoutSpanLabelsIsItsHeader()
    {
        var demo = BundleReader.Read(TestPaths.DemoBundle).Bundle!;
        var studyId = (await new StudyImporter(_db.Database, _db.Clock).ImportAsync(
            demo with { Study = demo.Study with { Id = "no-labels", SpanLabels = [] } }, [])).StudyId!.Value;
        var output = new StringWriter();

        Assert.Equal(0, await new TextExport(_db.Database).WriteSpanAgreementAsync(studyId, output));
        Assert.Equal("source,scope,label,statistic,value,ci_lower,ci_upper,documents,raters,spans,reason\r\n", output.ToString());
    }

    /// <summary>report.md says the method with its references and the overall figures, then the table per label.</summary>
    [Fact]
    public async Task TheReportSaysTheSpanFiguresAndTheirMethod()
    {
        var studyId = await WorkedStudyAsync();
        var output = new StringWriter();

        await new ReportExport(_db.Database).WriteMarkdownAsync(studyId, output);

        var report = output.ToString();
        Assert.Contains("### Agreement on highlighted spans", report);
        Assert.Matches(@"The raters' highlights were compared on 2 responses submitted by two or more raters \(2 raters, 5 highlights\)\. Overall, F1 was 0\.400 \(95% interval " +
            @"\d\.\d{3} to \d\.\d{3}\) with exact and 0\.800 \(95% interval \d\.\d{3} to \d\.\d{3}\) with overlap matching, and α\\_u was 0\.647 ", report);
        Assert.Contains("| Drug | 1.000 |", report);
        Assert.Contains("Krippendorff K. On the reliability of unitizing contiguous data.", report);
    }

    [Fact]
    public async Task AStudyWithoutSpanLabelsHasNoSpanAgreement()
    {
        var demo = BundleReader.Read(TestPaths.DemoBundle).Bundle!;
        var studyId = (await new StudyImporter(_db.Database, _db.Clock).ImportAsync(
            demo with { Study = demo.Study with { Id = "no-labels", SpanLabels = [] } }, [])).StudyId!.Value;
        var query = new SpanAgreementQuery(_db.Database);

        Assert.Null(await query.ComputeAsync(studyId));
        Assert.False(await query.HasLabelsAsync(studyId));
    }

    /// <summary>Labels but no answer submitted by two raters: every label is there, every figure says why it has none.</summary>
    [Fact]
    public async Task WithoutAnAnswerReadByTwoEveryFigureSaysWhy()
    {
        var studyId = await TinyStudyAsync();
        var a = await _db.AddRaterAsync(studyId, "dr-a");
        var (drug, _) = await LabelsAsync(studyId);
        var first = (await AnswersByTextAsync(studyId))[0];
        await MarkAsync(studyId, a, first, drug, 0, 4);
        await SubmitAsync(studyId, a, first);

        var result = (await new SpanAgreementQuery(_db.Database).ComputeAsync(studyId))!;

        Assert.Equal((0, 0, 0), (result.Report.PairedDocuments, result.Report.Raters, result.Report.Spans));
        Assert.Equal(["drug", "dose"], result.Labels.Select(l => l.Id));
        Assert.All(result.Labels.Select(l => l.Figures).Prepend(result.Report.Overall).SelectMany(f => new[] { f.F1Exact, f.F1Overlap, f.AlphaU }),
            e => Assert.Equal("Span_NoPairedDocument", e.Reason?.Key));
    }

    /// <summary>In a side-by-side study an answer's readers are the raters who submitted a pair it is in: answer A of
    /// pairs 0 and 1 is read by both raters (pair 0), answer B (pair 0) too, answer C only by the first (the second's
    /// judgement of pair 1 is a draft).</summary>
    [Fact]
    public async Task InASideBySideStudyTheReadersOfAnAnswerAreTheRatersWhoSubmittedAPairOfIt()
    {
        var study = await PairwiseFixture.CreateAsync(_db.Database, _db.Clock, "dr-left", "dr-right");
        var pairs = new PairwiseStore(_db.Database, _db.Clock);
        var label = (await Spans.LabelsAsync(study.StudyId))[0].Id;
        var (pair0, pair1) = (study.Pairs[0], study.Pairs[1]);
        Assert.Equal(pair0.A.Id, pair1.A.Id);
        async Task JudgeAsync(int rater, FixturePair pair, bool submit) =>
            Assert.Equal(PairWriteOutcome.Saved, (await pairs.SaveAsync(study.StudyId, study.Raters[rater], pair.Id, new PairJudgement
            {
                Choices = new Dictionary<string, PairwiseChoice?> { ["consensus"] = PairwiseChoice.Left, ["harm"] = PairwiseChoice.Tie },
            }, submit)).Outcome);
        await MarkAsync(study.StudyId, study.Raters[0], pair0.A.Id, label, 0, 10);
        await MarkAsync(study.StudyId, study.Raters[1], pair0.A.Id, label, 0, 10);
        await MarkAsync(study.StudyId, study.Raters[1], pair1.B.Id, label, 0, 5);
        await JudgeAsync(0, pair0, submit: true);
        await JudgeAsync(0, pair1, submit: true);
        await JudgeAsync(1, pair0, submit: true);
        await JudgeAsync(1, pair1, submit: false);

        var result = (await new SpanAgreementQuery(_db.Database).ComputeAsync(study.StudyId))!;

        Assert.Equal((2, 2, 2), (result.Report.PairedDocuments, result.Report.Raters, result.Report.Spans));
        Assert.Equal((1.0, 1.0), (Value(result.Report.Overall.F1Exact), Value(result.Report.Overall.AlphaU)));
    }

    /// <summary>span-agreement.csv of the demo's first 12 answers, two raters marking each the same way by its place in the
    /// bundle, in a database of its own.</summary>
    static async Task<string> SpanAgreementOfAFreshStudyAsync()
    {
        await using var db = await TestDatabase.CreateAsync();
        var demo = BundleReader.Read(TestPaths.DemoBundle).Bundle!;
        var responses = demo.Responses.Take(12).ToList();
        var bundle = demo with
        {
            Study = demo.Study with { Id = "spans-twice", RatersPerResponse = 2, SpanLabels = [new("drug", "Drug", null)] },
            Cases = [.. demo.Cases.Where(c => responses.Any(r => r.CaseId == c.Id))],
            Responses = responses,
            Ratings = [],
        };
        var studyId = (await new StudyImporter(db.Database, db.Clock).ImportAsync(bundle, [])).StudyId!.Value;
        var (a, b) = (await db.AddRaterAsync(studyId, "dr-a"), await db.AddRaterAsync(studyId, "dr-b"));
        var spans = new SpanStore(db.Database, db.Clock);
        var drug = (await spans.LabelsAsync(studyId)).Single().Id;
        await using var connection = await db.Database.OpenAsync();
        var ids = (await connection.QueryAsync<(string Slug, long Id)>("SELECT slug, id FROM responses WHERE study_id = @StudyId",
            new { StudyId = studyId })).ToDictionary(r => r.Slug, r => r.Id);
        var grading = new GradingStore(db.Database, new RubricQuery(db.Database), db.Clock);
        for (var i = 0; i < responses.Count; i++)
        {
            var answer = ids[responses[i].Id];
            Assert.Equal(SpanWriteOutcome.Saved, await spans.AddAsync(studyId, a, answer, drug, 0, 4 + i % 5, null));
            Assert.Equal(SpanWriteOutcome.Saved, await spans.AddAsync(studyId, b, answer, drug, i % 3, 4 + i * 7 % 5, null));
            foreach (var rater in new[] { a, b })
                Assert.Equal(RatingWriteOutcome.Saved, (await grading.SaveAsync(studyId, rater, answer, DemoRatings.Complete(), submit: true)).Outcome);
        }
        var output = new StringWriter();
        await new TextExport(db.Database).WriteSpanAgreementAsync(studyId, output);
        return output.ToString();
    }

    /// <summary>The bootstrap numbers the answers in the bundle's order, not by the database's ids, which the import
    /// draws at random for blinding: the same study gives the same intervals in any installation (docs/spans.md).</summary>
    [Fact]
    public async Task TheSameStudyGivesTheSameIntervalsInAnotherDatabase()
    {
        var first = await SpanAgreementOfAFreshStudyAsync();

        Assert.Contains("answers,overall,", first);
        Assert.Equal(first, await SpanAgreementOfAFreshStudyAsync());
    }
}
