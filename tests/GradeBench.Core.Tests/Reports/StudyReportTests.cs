using System.Globalization;
using GradeBench.Core.Rubrics;
using GradeBench.Core.Reports;
using GradeBench.Core.Results;
using GradeBench.Core.Spans;

namespace GradeBench.Core.Tests.Reports;

/// <summary>The report built from facts and results alone: a small study of two models, two raters and three cases.</summary>
public sealed class StudyReportTests
{
    static readonly Criterion Quality = new("quality", "Quality", null, CriterionType.Likert, true, 1, 5, [], []);
    static readonly Criterion Flag = new("flag", "Flag", null, CriterionType.Binary, true, null, null, [], []);

    static ResultsInput Input() => SmallStudy.Input(Quality, Flag, cases: 3);

    static StudyFacts Facts(int calibrationSessions = 0) => new(
        "small", "A <small> study", "en", 2, HideModel: true, Shuffle: false, "open", "2026-11-01T09:00:00Z",
        RaterMembers: 2, CoordinatorMembers: 1, [("en", 2), ("zh", 1)], CasesWithReference: 1,
        RaterLoads: [6, 6], RatersPerAssignedResponse: [2, 2, 2, 2, 2, 2], SubmittedRatings: 24,
        "2026-11-02T10:00:00Z", "2026-11-03T11:00:00Z", new Dictionary<string, int> { ["web"] = 24 },
        calibrationSessions, CalibrationRounds: calibrationSessions * 2, 0, 0, 0, 0, 0,
        [new ModelMetadata("model-a", "temperature", ["0.2"], 1)]);

    static IReadOnlyList<ReportBlock> Build(StudyFacts facts)
    {
        var input = Input();
        return StudyReport.Build(facts, input, StudyResults.Compute(input, resamples: 200, seed: 7));
    }

    static ReportTable Table(IReadOnlyList<ReportBlock> blocks, string caption) =>
        blocks.OfType<ReportTable>().Single(t => t.Caption.StartsWith(caption, StringComparison.Ordinal));

    [Fact]
    public void TheMethodsStateTheFactsInWords()
    {
        var methods = string.Join("\n", Build(Facts()).OfType<ReportParagraph>().Select(p => p.Text));

        Assert.Contains("3 clinical cases (2 in English, 1 in Chinese) were answered by 2 models (model-a, model-b)", methods);
        Assert.Contains("giving 6 responses (model-a 3, model-b 3)", methods);
        Assert.Contains("Quality (likert 1–5); Flag (yes/no)", methods);
        Assert.Contains("2 raters submitted 12 ratings (one rating = one response × rater) with 24 criterion values, entered in GradeBench, " +
            "submitted between 2026-11-02 and 2026-11-03", methods);
        Assert.Contains("6 responses with 2 raters each, 2 raters with 6 responses each", methods);
        Assert.Contains("Raters were blinded to the model", methods);
        Assert.Contains("Responses were presented in case order", methods);
        Assert.Contains("No calibration session was held in GradeBench.", methods);
        Assert.Contains("1,000 resamples", methods);
    }

    [Fact]
    public void CalibrationSessionsAreCountedInTheirOwnWords() =>
        Assert.Contains("1 calibration session with 2 rated rounds were held",
            string.Join("\n", Build(Facts(calibrationSessions: 1)).OfType<ReportParagraph>().Select(p => p.Text)));

    [Fact]
    public void TheTablesHoldTheResultsAsThePageWritesThem()
    {
        var blocks = Build(Facts());

        var agreement = Table(blocks, "All agreement coefficients");
        // The raters agree on two of the six responses.
        Assert.Equal("0.333", agreement.Rows.Single(r => r[0] == "Quality" && r[2] == "Percent agreement")[3]);
        Assert.Equal(["Rater 1", "6", "12", "not timed"], Table(blocks, "Raters").Rows[0]);
        Assert.Equal(["model-a", "3", "3", "temperature = 0.2"], Table(blocks, "Models, their responses").Rows[0]);
        var quality = Table(blocks, "Models on Quality").Rows[0];
        // model-a: (4, 5), (5, 5), (3, 4).
        Assert.Equal(["model-a", "6", "3", "4.33"], quality.Take(4));
        Assert.Matches(@"^\d\.\d\d to \d\.\d\d$", quality[4]);
        Assert.Matches(@"^[+−]?\d\.\d\d$", Assert.Single(Table(blocks, "Model comparisons on Quality").Rows)[2]);
        Assert.Equal("1", Table(blocks, "Highlighted spans").Rows.Single(r => r[0] == "model-b")[2]);
    }

    [Fact]
    public void TheAgreementMatrixAndForestPlotHeadlineAlphaAtEachCriterionsLevel()
    {
        var blocks = Build(Facts());

        var matrix = Table(blocks, "Agreement per criterion").Rows;
        var all = Table(blocks, "All agreement coefficients").Rows;
        string Alpha(string criterion, string level) => all.Single(r => r[0] == criterion && r[2] == $"Krippendorff's α, {level}")[3];
        Assert.Equal($"α ordinal {Alpha("Quality", "ordinal")}", matrix.Single(r => r[0] == "Quality")[1]);
        Assert.Equal($"α nominal {Alpha("Flag", "nominal")}", matrix.Single(r => r[0] == "Flag")[1]);
        Assert.StartsWith("AC1 ", matrix.Single(r => r[0] == "Flag")[5]);
        Assert.StartsWith("AC2 linear ", matrix.Single(r => r[0] == "Quality")[5]);
        var forest = Assert.Single(blocks.OfType<ReportForestPlot>());
        Assert.Equal(["Quality", "Flag"], forest.Points.Select(p => p.Label));
    }

    [Fact]
    public void CategoriesAndSpanLabelsReadAsTheirNames()
    {
        var input = Input() with { SpanLabelNames = new Dictionary<string, string> { ["omission"] = "Important omission" } };
        var blocks = StudyReport.Build(Facts(), input, StudyResults.Compute(input, resamples: 200, seed: 7));

        Assert.Equal(["Model", "Ratings", "Cases", "No", "Yes"], Table(blocks, "Models on Flag").Header);
        Assert.Equal(["Model", "Responses", "Important omission"], Table(blocks, "Highlighted spans").Header);
        var chart = blocks.OfType<ReportChart>().Single(c => c.Title.Contains("Flag", StringComparison.Ordinal));
        Assert.Equal(["No", "Yes"], chart.Legend);
        Assert.Equal([("model-a", "No", 0), ("model-a", "Yes", 1)], chart.Bars.Take(2).Select(b => (b.Group, b.Label, b.Series)));
    }

    [Fact]
    public void TheSameInputGivesTheSameText()
    {
        string Markdown()
        {
            var text = new StringWriter();
            MarkdownReport.WriteAsync(Build(Facts()), text, CancellationToken.None).GetAwaiter().GetResult();
            return text.ToString();
        }

        Assert.Equal(Markdown(), Markdown());
    }

    /// <summary>With span labels, the span section follows the span labels' table: the method and the overall figures in
    /// a paragraph, overall and each label in a table (a figure without a value says why), and the method's references;
    /// without, none of it.</summary>
    [Fact]
    public void SpanAgreementHasItsParagraphTableAndReferencesOnlyWithSpanLabels()
    {
        var input = Input();
        var report = StudyResults.Compute(input, resamples: 200, seed: 7);
        var spans = StudySpanAgreement.Compute([new("error", "Error"), new("omission", "Omission")],
            [new("r1", 20, ["a", "b"], [new("r1", "a", "error", 0, 5), new("r1", "b", "error", 0, 5)])], resamples: 0);

        var blocks = StudyReport.Build(Facts(), input, report, spans: spans);

        var heading = blocks.OfType<ReportHeading>().Single(h => h.Text == "Agreement on highlighted spans");
        Assert.Equal(3, heading.Level);
        var all = blocks.ToList();
        Assert.Equal(all.IndexOf(Table(blocks, "Highlighted spans per model")) + 1, all.IndexOf(heading));
        var paragraph = blocks.OfType<ReportParagraph>().Single(p => p.Text.StartsWith("Agreement on highlighted spans was computed", StringComparison.Ordinal));
        Assert.EndsWith("The raters' highlights were compared on 1 response submitted by two or more raters (2 raters, 2 highlights). Overall, F1 was 1.000 with exact and 1.000 " +
            "with overlap matching, and α_u was 1.000.", paragraph.Text);
        var table = Table(blocks, "Agreement on highlighted spans, overall and per label");
        Assert.Equal(["All labels", "1.000", "—", "1.000", "—", "1.000", "—", "1", "2", "2"], table.Rows[0]);
        Assert.Equal(["Omission", "—", "the raters who read a document together marked no span in it, so F1 has no denominator"], table.Rows[2].Take(3));
        Assert.Contains(blocks.OfType<ReportList>().Last().Items, i => i.StartsWith("Krippendorff K. On the reliability of unitizing", StringComparison.Ordinal));
        Assert.DoesNotContain(StudyReport.Build(Facts(), input, report), b => b is ReportHeading { Text: "Agreement on highlighted spans" });
    }

    /// <summary>With note labels, the agreement on note passages follows the highlights' (a case a document, passages its
    /// spans); each section has a table by criterion where labels name criteria, the criterion in the report's language.</summary>
    [Fact]
    public void NotePassagesAndCriteriaHaveTheirTablesAfterTheHighlights()
    {
        var input = Input();
        var report = StudyResults.Compute(input, resamples: 200, seed: 7);
        SpanDocument[] documents = [new("c1", 20, ["a", "b"], [new("c1", "a", "nihss", 0, 5), new("c1", "b", "nihss", 0, 5)])];
        LinkedCriterion[] criteria = [new("harm", "Harm", ["nihss"]) { NameTranslations = new([new("zh-CN", "危害")]) }];
        var spans = StudySpanAgreement.Compute([new("error", "Error")],
            [new("r1", 20, ["a", "b"], [new("r1", "a", "error", 0, 5), new("r1", "b", "error", 0, 5)])], resamples: 0);
        var notes = StudySpanAgreement.Compute([new("nihss", "NIHSS item")], documents, resamples: 0, criteria: criteria);

        var blocks = StudyReport.Build(Facts(), input, report, spans: spans, notes: notes);

        var all = blocks.ToList();
        var heading = blocks.OfType<ReportHeading>().Single(h => h.Text == "Agreement on note passages");
        Assert.Equal(3, heading.Level);
        Assert.True(all.IndexOf(Table(blocks, "Agreement on highlighted spans, overall and per label")) < all.IndexOf(heading));
        Assert.Contains(blocks.OfType<ReportParagraph>(), p => p.Text.EndsWith("The raters' passages were compared on 1 clinical case read by two or more raters " +
            "(2 raters, 2 passages). Overall, F1 was 1.000 with exact and 1.000 with overlap matching, and α_u was 1.000.", StringComparison.Ordinal));
        var table = Table(blocks, "Agreement on marked passages of the notes, overall and per note label");
        Assert.Equal(["Note label", "F1, exact", "95% interval", "F1, overlap", "95% interval", "α_u", "95% interval", "Cases", "Raters", "Passages"], table.Header);
        Assert.Equal(["NIHSS item", "1.000"], table.Rows[1].Take(2));
        var byCriterion = Table(blocks, "Agreement on note passages per rubric criterion");
        Assert.Equal(["Harm", "1.000"], byCriterion.Rows.Single().Take(2));
        Assert.Equal(all.IndexOf(table) + 1, all.IndexOf(byCriterion));
        Assert.DoesNotContain(blocks, b => b is ReportTable { Caption: var c } && c.StartsWith("Agreement on highlighted spans per rubric criterion", StringComparison.Ordinal));
        var chinese = StudyReport.Build(Facts(), input, report, new CultureInfo("zh-CN"), spans: spans, notes: notes);
        Assert.Contains(chinese.OfType<ReportTable>(), t => t.Rows.Any(r => r[0] == "危害"));
    }
}
