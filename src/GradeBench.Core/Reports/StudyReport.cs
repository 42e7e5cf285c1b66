using System.Globalization;
using GradeBench.Core.Agreement;
using GradeBench.Core.Checklists;
using GradeBench.Core.Judges;
using GradeBench.Core.Results;
using GradeBench.Core.Rubrics;
using GradeBench.Core.Spans;
using static GradeBench.Core.Reports.ReportNumbers;

namespace GradeBench.Core.Reports;

/// <summary><c>report.md</c> and <c>report.html</c> as blocks: the study's methods paragraph, rubric, agreement, model and
/// span tables (with charts in the HTML), and a checklist against the CHART reporting guideline for chatbot health advice
/// studies (<see cref="ChartChecklist"/>). The numbers are <see cref="StudyResults.Compute"/>'s on the independent ratings
/// with the default bootstrap, the very computation of the results page and <c>agreement.csv</c>. A study with LLM judges
/// also gets their methods, a results section and the alt-test authors' checklist (<see cref="ReportJudges"/>,
/// <see cref="AltTestChecklist"/>) from <see cref="StudyJudgeResults"/>, the numbers of the results page and
/// <c>judges.csv</c>; every other section stays the physicians'. A study whose cases carry checklists also gets their
/// methods and scores (<see cref="ReportChecklists"/>); one with span labels the raters' agreement on their highlights
/// (<see cref="ReportSpans"/>). The words are in the
/// language given (<see cref="ReportText.LanguageOf"/> of the study's language: English or Simplified Chinese); study
/// content, model names and references stay as written. See docs/exports.md.</summary>
public static class StudyReport
{
    /// <summary>The report of a study from its facts and results in <paramref name="language"/> (English when null; pure:
    /// the same input gives the same text).</summary>
    /// <param name="input">The physicians' ratings (judges left out).</param>
    /// <param name="judges">The study's judges and their statistics (<see cref="StudyJudges.Compute(ResultsInput, IReadOnlyList{JudgeProvenance}, int, int)"/>);
    /// null or without judges: the report of a study without judges.</param>
    /// <param name="checklists">The statistics of the cases' checklists; null for a study without checklists, whose report
    /// has no checklist parts.</param>
    /// <param name="spans">The raters' agreement on their highlights; null for a study without span labels, whose report
    /// has none of it.</param>
    /// <param name="notes">The raters' agreement on their passages of the cases' notes; null for a study without note labels.</param>
    public static IReadOnlyList<ReportBlock> Build(StudyFacts facts, ResultsInput input, StudyResultsReport report, CultureInfo? language = null,
        StudyJudgeResults? judges = null, StudyChecklistResults? checklists = null, StudySpanAgreement? spans = null, StudySpanAgreement? notes = null)
    {
        var t = new ReportText(language ?? ReportText.English);
        var l = t.Language;
        judges ??= StudyJudgeResults.None;
        var withJudges = judges.Judges.Count > 0;
        var blocks = new List<ReportBlock>
        {
            new ReportHeading(1, facts.Title),
            new ReportParagraph(t["Intro", facts.Slug, t.State(facts.State)]),
            new ReportHeading(2, t["HeadingMethods"]),
        };
        blocks.AddRange(ReportMethods.Paragraphs(t, facts, input, report).Select(p => new ReportParagraph(p)));
        if (withJudges) blocks.AddRange(ReportJudges.Methods(t, input, judges).Select(p => new ReportParagraph(p)));
        if (checklists is not null) blocks.Add(new ReportParagraph(ReportChecklists.Methods(t, checklists)));
        blocks.Add(Rubric(t, input));
        blocks.Add(Models(t, facts, input, report));
        if (withJudges) blocks.Add(ReportJudges.ProvenanceTable(t, input, judges));

        blocks.Add(new ReportHeading(2, t["HeadingAgreement"]));
        var summary = AgreementSummary.Rows(report.Agreement);
        blocks.Add(AgreementMatrix(t, summary));
        blocks.Add(ForestPlot(t, summary));
        blocks.Add(new ReportTable(t["AllCoefficientsCaption"],
            [t["ColCriterion"], t["ColLevel"], t["ColCoefficient"], t["ColValue"], t["ColInterval"], t["ColUnits"], t["ColRaters"], t["ColReading"]],
            report.AgreementRows().Select(r => (IReadOnlyList<string>)
            [
                r.Label, t.Level(r.Level), t.Metric(r.Metric), r.Value is { } v ? Coefficient(v) : "—",
                r.CiLower is { } lo && r.CiUpper is { } hi ? CoefficientInterval(lo, hi, l) : r.Value is null ? r.Reason?.ToString(l) ?? "—" : "—",
                Count(r.Units), Count(r.Raters), t.Reading(r.Reading) ?? "—",
            ]).ToList()));
        blocks.Add(new ReportParagraph(t["AgreementNote", Count(Bootstrap.DefaultResamples), Bootstrap.DefaultSeed]));

        blocks.Add(new ReportHeading(2, t["HeadingRaters"]));
        blocks.Add(new ReportTable(t["RatersCaption"],
            [t["ColRater"], t["ColRatings"], t["ColValues"], t["ColMedianTime"]],
            report.Raters.Select((r, i) => (IReadOnlyList<string>)
            [
                t["RaterNumber", i + 1], Count(r.Items), Count(r.Ratings),
                r.MedianSecondsPerItem is { } s ? t["TimedItems", Seconds(s), r.TimedItems] : t["NotTimed"],
            ]).ToList()));

        blocks.Add(new ReportHeading(2, t["HeadingModelResults"]));
        blocks.Add(new ReportParagraph(t["ModelResultsNote", Count(Bootstrap.DefaultResamples), Bootstrap.DefaultSeed]));
        foreach (var c in report.ModelResults) blocks.AddRange(ModelCriterion(t, c));

        blocks.Add(new ReportHeading(2, t["HeadingSpanLabels"]));
        blocks.Add(new ReportTable(t["SpansCaption"], [t["ColModel"], t["ColResponses"], .. report.Spans.Names],
            report.Spans.Rows.Select(r => (IReadOnlyList<string>)[r.Model, Count(r.Responses), .. r.Counts.Select(Count)]).ToList()));
        if (spans is not null) blocks.AddRange(ReportSpans.Section(t, spans, headingLevel: 3, facts.Language));
        if (notes is not null) blocks.AddRange(ReportSpans.Section(t, notes, headingLevel: 3, facts.Language, SpanSource.Note));

        if (checklists is not null) blocks.AddRange(ReportChecklists.Section(t, checklists));
        if (withJudges) blocks.AddRange(ReportJudges.Section(t, judges));

        blocks.Add(new ReportHeading(2, t["HeadingChart"]));
        blocks.Add(new ReportParagraph(t["ChartIntro"]));
        blocks.Add(ChartChecklist.Table(t, facts, input, report));
        if (withJudges)
        {
            blocks.Add(new ReportHeading(2, t["HeadingAltTestChecklist"]));
            blocks.Add(new ReportParagraph(t["AltTestChecklistIntro"]));
            blocks.Add(AltTestChecklist.Table(t, facts, input, judges));
        }
        // References keep their published (English) form, as Chinese journals print them.
        blocks.Add(new ReportHeading(2, t["HeadingReferences"]));
        blocks.Add(new ReportList(
        [
            ChartChecklist.Citation,
            "Krippendorff K. Content Analysis: An Introduction to Its Methodology. 2nd ed. Sage; 2004.",
            "Hayes AF, Krippendorff K. Answering the call for a standard reliability measure for coding data. Communication Methods and Measures 2007;1:77–89.",
            "Gwet KL. Handbook of Inter-Rater Reliability. 4th ed. Advanced Analytics; 2014.",
            "Landis JR, Koch GG. The measurement of observer agreement for categorical data. Biometrics 1977;33:159–174.",
            "Wilcoxon F. Individual comparisons by ranking methods. Biometrics Bulletin 1945;1:80–83.",
            "Holm S. A simple sequentially rejective multiple test procedure. Scandinavian Journal of Statistics 1979;6:65–70.",
            "Efron B, Tibshirani RJ. An Introduction to the Bootstrap. Chapman & Hall; 1993.",
            .. withJudges ? JudgeReferences : [],
            // HealthBench is a judges' reference too: cited once.
            .. checklists is not null && !withJudges ? [ReportChecklists.Citation] : Array.Empty<string>(),
            .. spans is not null || notes is not null ? ReportSpans.Citations : [],
        ]));
        return blocks;
    }

    static readonly string[] JudgeReferences =
    [
        AltTestChecklist.Citation,
        "Benjamini Y, Yekutieli D. The control of the false discovery rate in multiple testing under dependency. Annals of Statistics 2001;29:1165–1188.",
        ReportChecklists.Citation,
        "Angelopoulos AN, Bates S, Fannjiang C, Jordan MI, Zrnic T. Prediction-powered inference. Science 2023;382:669–674.",
    ];

    /// <summary>The results page's agreement matrix: the headline coefficient per criterion and the ones beside it.</summary>
    static ReportTable AgreementMatrix(ReportText t, IReadOnlyList<AgreementSummaryRow> rows)
    {
        string Tagged(Metric? m) => m?.Estimate.Value is { } v ? $"{t.MetricShort(m.Name)} {Coefficient(v)}" : "—";
        return new ReportTable(t["MatrixCaption"],
            [t["ColCriterion"], t["ColAlphaAtLevel"], t["ColInterval"], t["ColReading"], t["ColPercentAgreement"],
                t["ColGwet"], t["ColFleiss"], t["ColResponses"], t["ColRaters"]],
            rows.Select(r => (IReadOnlyList<string>)
            [
                r.Criterion.Criterion.Label, Tagged(r.Headline),
                r.Headline?.Estimate is { Ci95: { } ci } ? CoefficientInterval(ci.Lower, ci.Upper, t.Language) : r.Headline?.Estimate.Reason?.ToString(t.Language) ?? "—",
                t.Reading(r.Reading) ?? "—", r.Percent?.Estimate.Value is { } p ? Percent(p) : "—", Tagged(r.Gwet),
                r.Fleiss?.Estimate.Value is { } f ? Coefficient(f) : "—", Count(r.Units), Count(r.Raters),
            ]).ToList());
    }

    static ReportForestPlot ForestPlot(ReportText t, IReadOnlyList<AgreementSummaryRow> rows)
    {
        var points = rows.Select(r => r.Headline?.Estimate is { } e
            ? new ReportPoint(r.Criterion.Criterion.Label, e.Value, e.Ci95?.Lower, e.Ci95?.Upper, e.Reason?.ToString(t.Language))
            : new ReportPoint(r.Criterion.Criterion.Label, null, null, null, t["NotComputed"])).ToList();
        var lowest = points.Select(p => p.Lower ?? p.Value).Where(v => v is not null).DefaultIfEmpty(0).Min()!.Value;
        return new ReportForestPlot(ChartText.ForestTitle(t.Language), ChartText.ForestCaption(t.Language),
            Math.Max(-1, Math.Min(0, Math.Floor(lowest * 4) / 4)), [0.667, 0.800], points);
    }

    static ReportTable Rubric(ReportText t, ResultsInput input) => new(t["RubricCaption"],
        [t["ColCriterion"], t["ColId"], t["ColType"], t["ColScale"], t["ColRequired"]],
        input.Criteria.Select(c => (IReadOnlyList<string>)
            [c.Criterion.Label, c.Criterion.Id, t.TypeName(c.Criterion), t.Scale(c.Criterion), t[c.Criterion.Required ? "Yes" : "No"]]).ToList());

    static ReportTable Models(ReportText t, StudyFacts facts, ResultsInput input, StudyResultsReport report) => new(
        t["ModelsCaption"],
        [t["ColModel"], t["ColResponses"], t["ColCases"], t["ColMetadata"]],
        report.Models.Select(m => (IReadOnlyList<string>)
        [
            m, Count(input.Responses.Count(r => r.Model == m)), Count(input.Responses.Where(r => r.Model == m).Select(r => r.CaseId).Distinct().Count()),
            facts.ModelMetadata.Where(x => x.Model == m) is var meta && meta.Any()
                ? string.Join(t["ItemSeparator"], meta.Select(x => $"{x.Key} = {t.List(x.Values)}" +
                    (x.DistinctValues > x.Values.Count ? t["DistinctValues", Count(x.DistinctValues)] : "")))
                : t["NoneRecorded"],
        ]).ToList());

    static IEnumerable<ReportBlock> ModelCriterion(ReportText t, CriterionModels c)
    {
        var l = t.Language;
        var label = c.Criterion.Label;
        yield return new ReportHeading(3, label);
        if (c.Criterion.Type is CriterionType.Likert or CriterionType.Numeric)
        {
            yield return new ReportTable(t["ModelsOnCaption", label],
                [t["ColModel"], t["ColRatings"], t["ColCases"], t["ColMean"], t["ColInterval"], t["ColMedian"], t["ColInterval"]],
                c.Models.Select(m => (IReadOnlyList<string>)
                    [m.Model, Count(m.Ratings), Count(m.Cases), Value(m.Mean), Interval(m.Mean, l), Value(m.Median), Interval(m.Median, l)]).ToList());
            var max = c.Criterion.Max ?? c.Models.Select(m => m.Mean?.Ci95?.Upper ?? m.Mean?.Value ?? 1).DefaultIfEmpty(1).Max();
            yield return new ReportChart(t["MeanChartTitle", label], t["MeanChartCaption"], c.Criterion.Min ?? 0, max,
                c.Models.Where(m => m.Mean?.Value is not null).Select(m => new ReportBar(m.Model, m.Mean!.Value!.Value, m.Mean.Ci95?.Lower, m.Mean.Ci95?.Upper)).ToList());
        }
        else
        {
            var categories = c.Models.FirstOrDefault(m => m.Shares.Count > 0)?.Shares.Select(s => s.Category).ToList() ?? [];
            yield return new ReportTable(t["SharesCaption", label],
                [t["ColModel"], t["ColRatings"], t["ColCases"], .. categories.Select(v => t.Category(c.Criterion, v))],
                c.Models.Select(m => (IReadOnlyList<string>)
                [
                    m.Model, Count(m.Ratings), Count(m.Cases),
                    .. m.Shares.Select(s => t["ShareCell", Percent(s.Proportion.Value), Count(s.Count), s.Proportion.Ci95 is { } ci ? PercentInterval(ci, l) : "—"]),
                ]).ToList());
            yield return new ReportChart(t["SharesChartTitle", label], t["SharesChartCaption"], 0, 1,
                c.Models.SelectMany(m => m.Shares.Select(s => new ReportBar(t.Category(c.Criterion, s.Category),
                    s.Proportion.Value ?? 0, s.Proportion.Ci95?.Lower, s.Proportion.Ci95?.Upper, m.Model, categories.IndexOf(s.Category)))).ToList(),
                categories.Select(v => t.Category(c.Criterion, v)).ToList());
        }
        if (c.Comparisons.Count > 0)
            yield return new ReportTable(t["ComparisonsCaption", label],
                [t["ColModels"], t["ColCases"], t["ColMeanDifference"], "V", t["ColP"], t["ColPHolm"]],
                c.Comparisons.Select(p => (IReadOnlyList<string>)
                [
                    $"{p.ModelA} − {p.ModelB}", Count(p.Cases), p.MeanDifference is { } d ? Signed(d) : "—",
                    p.Test is { } test ? Statistic(test.V) : "—",
                    p.Test is { } t2 ? PValue(t2.PValue) + (t2.Exact ? t["Exact"] : "") : t["NoCaseDiffers"],
                    p.HolmP is { } h ? PValue(h) : "—",
                ]).ToList());
    }
}
