using GradeBench.Core.Agreement;
using GradeBench.Core.Results;
using GradeBench.Core.Rubrics;
using static GradeBench.Core.Reports.ReportNumbers;

namespace GradeBench.Core.Reports;

/// <summary><c>report.md</c> and <c>report.html</c> as blocks: the study's methods paragraph, rubric, agreement, model and
/// span tables (with charts in the HTML), and a checklist against the CHART reporting guideline for chatbot health advice
/// studies (<see cref="ChartChecklist"/>). The numbers are <see cref="StudyResults.Compute"/>'s on the independent ratings
/// with the default bootstrap, the very computation of the results page and <c>agreement.csv</c>. See docs/exports.md.</summary>
public static class StudyReport
{
    /// <summary>The report of a study from its facts and results (pure: the same input gives the same text).</summary>
    public static IReadOnlyList<ReportBlock> Build(StudyFacts facts, ResultsInput input, StudyResultsReport report)
    {
        var blocks = new List<ReportBlock>
        {
            new ReportHeading(1, facts.Title),
            new ReportParagraph($"Study report of \"{facts.Slug}\" (state: {facts.State}), exported by GradeBench. The tables hold the same " +
                "numbers as the study's results page and agreement.csv."),
            new ReportHeading(2, "Methods"),
        };
        blocks.AddRange(Methods(facts, input, report).Select(p => new ReportParagraph(p)));
        blocks.Add(Rubric(input));
        blocks.Add(Models(facts, input, report));

        blocks.Add(new ReportHeading(2, "Agreement"));
        var summary = AgreementSummary.Rows(report.Agreement);
        blocks.Add(AgreementMatrix(summary));
        blocks.Add(ForestPlot(summary));
        blocks.Add(new ReportTable("All agreement coefficients (independent submitted ratings)",
            ["Criterion", "Level", "Coefficient", "Value", "95% interval", "Units", "Raters", "Conventional reading"],
            report.AgreementRows().Select(r => (IReadOnlyList<string>)
            [
                r.Label, r.Level, MetricNames.Of(r.Metric), r.Value is { } v ? Coefficient(v) : "—",
                r.CiLower is { } lo && r.CiUpper is { } hi ? CoefficientInterval(lo, hi) : r.Value is null ? r.Reason ?? "—" : "—",
                Count(r.Units), Count(r.Raters), r.Reading ?? "—",
            ]).ToList()));
        blocks.Add(new ReportParagraph("Units are responses with at least two ratings. Intervals: percentile bootstrap over responses, " +
            $"{Count(Bootstrap.DefaultResamples)} resamples, seed {Bootstrap.DefaultSeed}. Readings are conventions, not tests: Krippendorff (2004) for " +
            "alpha (≥ 0.800 reliable, 0.667–0.800 tentative conclusions, below 0.667 unreliable); Landis and Koch (1977) for kappa-type coefficients."));

        blocks.Add(new ReportHeading(2, "Raters"));
        blocks.Add(new ReportTable("Raters (numbered in alphabetical order of their names, which the report leaves out)",
            ["Rater", "Ratings", "Values", "Median time per response"],
            report.Raters.Select((r, i) => (IReadOnlyList<string>)
            [
                $"Rater {i + 1}", Count(r.Items), Count(r.Ratings),
                r.MedianSecondsPerItem is { } s ? $"{Seconds(s)} ({r.TimedItems} timed)" : "not timed",
            ]).ToList()));

        blocks.Add(new ReportHeading(2, "Model results"));
        blocks.Add(new ReportParagraph("On the independent submitted ratings. Intervals: percentile bootstrap over cases " +
            $"({Count(Bootstrap.DefaultResamples)} resamples, seed {Bootstrap.DefaultSeed}). Comparisons: per case, the mean of each model's ratings " +
            "(ordinal options by position, 0 = first); two-sided Wilcoxon signed-rank test over the cases both models have (exact below 50 cases " +
            "without ties, else normal approximation with continuity correction); Holm's adjustment over the pairs of models of each criterion."));
        foreach (var c in report.ModelResults) blocks.AddRange(ModelCriterion(c));

        blocks.Add(new ReportHeading(2, "Span labels"));
        blocks.Add(new ReportTable("Highlighted spans per model and label", ["Model", "Responses", .. report.Spans.Names],
            report.Spans.Rows.Select(r => (IReadOnlyList<string>)[r.Model, Count(r.Responses), .. r.Counts.Select(Count)]).ToList()));

        blocks.Add(new ReportHeading(2, "Reporting checklist (CHART)"));
        blocks.Add(new ReportParagraph("Items of the Chatbot Assessment Reporting Tool (CHART; 12 items, 39 subitems) and where this report " +
            "answers them. The item names and subitem numbers are CHART's; the short descriptions are paraphrases, so check the published " +
            "checklist for the exact wording. \"Not recorded by GradeBench\" marks what the authors must report themselves."));
        blocks.Add(ChartChecklist.Table(facts, input, report));
        blocks.Add(new ReportHeading(2, "References"));
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
        ]));
        return blocks;
    }

    static IEnumerable<string> Methods(StudyFacts facts, ResultsInput input, StudyResultsReport report)
    {
        var models = report.Models;
        var perModel = models.Select(m => $"{m} {Count(input.Responses.Count(r => r.Model == m))}");
        yield return $"Materials. {Count(facts.Cases)} clinical cases ({CaseLanguageList(facts)}) were answered by {Count(models.Count)} " +
            $"{Plural(models.Count, "model", "models")} ({string.Join(", ", models)}), giving {Count(input.Responses.Count)} responses " +
            $"({string.Join(", ", perModel)}). {Count(facts.CasesWithReference)} of the cases carry an expert reference answer. " +
            $"The responses were rated on a rubric of {Count(input.Criteria.Count)} criteria (table below): " +
            string.Join("; ", input.Criteria.Select(c => $"{c.Criterion.Label} ({RubricScale.ShortSummary(c.Criterion)})")) + ". " +
            (report.Spans.Labels.Count > 0 ? $"Raters could also mark passages with {Count(report.Spans.Labels.Count)} span labels ({string.Join(", ", report.Spans.Names)}). " : "");

        var sources = facts.RatingsBySource;
        var imported = sources.GetValueOrDefault("import");
        var web = sources.GetValueOrDefault("web");
        var origin = imported > 0 && web == 0
            ? $"all imported with the study bundle (ratings made outside GradeBench, such as pilot ratings; GradeBench recorded the import on {Date(facts.FirstSubmitted)}, not when they were made)"
            : imported > 0
                ? $"{Count(imported)} of their values imported with the study bundle and {Count(web)} entered in GradeBench, submitted between {Date(facts.FirstSubmitted)} and {Date(facts.LastSubmitted)} (import dates included)"
                : $"entered in GradeBench, submitted between {Date(facts.FirstSubmitted)} and {Date(facts.LastSubmitted)}";
        // A rating is one response × rater, a value one criterion's score in it (docs/results.md, "Words").
        var ratings = input.Ratings.Select(r => (r.ResponseId, r.RaterId)).Distinct().Count();
        yield return $"Raters and design. {Count(input.Raters.Count)} {Plural(input.Raters.Count, "rater", "raters")} submitted " +
            $"{Count(ratings)} {Plural(ratings, "rating", "ratings")} (one rating = one response × rater) with {Count(facts.SubmittedRatings)} criterion values, {origin}; the study has {Count(facts.RaterMembers)} rater {Plural(facts.RaterMembers, "member", "members")}. " +
            $"The design asks for {facts.RatersPerResponse} raters per response: each response is assigned to {facts.RatersPerResponse} distinct raters " +
            "(or all raters if there are fewer) and the raters' loads differ by at most one (a greedy balanced incomplete block design, GradeBench docs/assignment.md). " +
            Assigned(facts) +
            (facts.HideModel
                ? "Raters were blinded to the model: model names were hidden from them while rating. "
                : "Raters were not blinded: model names were shown to them while rating. ") +
            (facts.Shuffle
                ? "The order of each rater's queue was randomized (a shuffle seeded per rater), so raters met the responses in different orders. "
                : "Responses were presented in case order (not randomized). ") +
            (imported > 0 ? "Blinding and queue order apply to ratings made in GradeBench; imported ratings were made under conditions the authors report. " : "") +
            "Raters rated independently; adjudication never changes the independent ratings. " +
            (facts.CalibrationSessions > 0
                ? $"Before or during rating, {Count(facts.CalibrationSessions)} calibration {Plural(facts.CalibrationSessions, "session", "sessions")} " +
                  $"with {Count(facts.CalibrationRounds)} rated {Plural(facts.CalibrationRounds, "round", "rounds")} were held (calibration ratings are kept apart from the study's ratings). "
                : "No calibration session was held in GradeBench. ") +
            (facts.AdjudicationItems > 0
                ? $"{Count(facts.AdjudicationItems)} {Plural(facts.AdjudicationItems, "response", "responses")} entered adjudication " +
                  $"({Count(facts.AdjudicationForDisagreement)} for disagreement, {Count(facts.AdjudicationForSafety)} for a safety alert; " +
                  $"{Count(facts.AdjudicationResolved)} resolved), giving {Count(facts.ConsensusValues)} consensus values; the tables below use the independent ratings."
                : "No response went to adjudication; there are no consensus values.");

        var levels = report.Agreement.Select(a => a.Level.ToString().ToLowerInvariant()).Distinct();
        yield return "Statistics. Inter-rater agreement was computed per criterion on the independent submitted ratings at the criterion's level of " +
            $"measurement ({string.Join(", ", levels)}): percent agreement, Krippendorff's alpha at that level and below, and the kappa-type " +
            "coefficients (Cohen's, weighted, Fleiss', Randolph's kappa; Gwet's AC1/AC2), Kendall's W and ICC where they apply; the agreement table names " +
            "each. The headline coefficient is Krippendorff's alpha at the criterion's level, which allows any number of raters and missing ratings " +
            $"(Hayes and Krippendorff 2007). 95% intervals are percentile bootstraps with {Count(Bootstrap.DefaultResamples)} resamples and seed {Bootstrap.DefaultSeed} " +
            "(responses resampled for agreement, cases for model summaries), so the same ratings always give the same numbers. Models are summarized per " +
            "criterion by mean and median (likert, numeric) or the share of each category (ordinal, binary, nominal), and compared in pairs by the " +
            "Wilcoxon signed-rank test on per-case means with Holm's adjustment. Free-text criteria are not analyzed.";
    }

    static string Assigned(StudyFacts facts)
    {
        if (facts.RatersPerAssignedResponse.Count == 0) return "No responses were assigned in GradeBench (the ratings came with the bundle). ";
        var per = facts.RatersPerAssignedResponse;
        var loads = facts.RaterLoads;
        return $"GradeBench holds {Count(per.Sum())} assignments: {Count(per.Count)} responses with {Range(per.Min(), per.Max())} raters each, " +
               $"{Count(loads.Count)} raters with {Range(loads.Min(), loads.Max())} responses each. ";
    }

    /// <summary>The results page's agreement matrix: the headline coefficient per criterion and the ones beside it.</summary>
    static ReportTable AgreementMatrix(IReadOnlyList<AgreementSummaryRow> rows)
    {
        static string Tagged(Metric? m) => m?.Estimate.Value is { } v ? $"{MetricNames.Short(m.Name)} {Coefficient(v)}" : "—";
        return new ReportTable("Agreement per criterion: Krippendorff's alpha at the criterion's level (headline) and the coefficients beside it",
            ["Criterion", "Krippendorff's α at the criterion's level", "95% interval", "Conventional reading", "Percent agreement",
                "Gwet's AC1 or AC2", "Fleiss' kappa", "Responses", "Raters"],
            rows.Select(r => (IReadOnlyList<string>)
            [
                r.Criterion.Criterion.Label, Tagged(r.Headline),
                r.Headline?.Estimate is { Ci95: { } ci } ? CoefficientInterval(ci.Lower, ci.Upper) : r.Headline?.Estimate.Reason ?? "—",
                r.Reading ?? "—", r.Percent?.Estimate.Value is { } p ? Percent(p) : "—", Tagged(r.Gwet),
                r.Fleiss?.Estimate.Value is { } f ? Coefficient(f) : "—", Count(r.Units), Count(r.Raters),
            ]).ToList());
    }

    static ReportForestPlot ForestPlot(IReadOnlyList<AgreementSummaryRow> rows)
    {
        var points = rows.Select(r => r.Headline?.Estimate is { } e
            ? new ReportPoint(r.Criterion.Criterion.Label, e.Value, e.Ci95?.Lower, e.Ci95?.Upper, e.Reason)
            : new ReportPoint(r.Criterion.Criterion.Label, null, null, null, "not computed")).ToList();
        var lowest = points.Select(p => p.Lower ?? p.Value).Where(v => v is not null).DefaultIfEmpty(0).Min()!.Value;
        return new ReportForestPlot("Krippendorff's α per criterion with 95% intervals",
            "Square: the value; whiskers: the 95% bootstrap interval; dashed lines: Krippendorff's thresholds (0.667 tentative, 0.800 reliable). " +
            "The numbers are in the table above.", Math.Max(-1, Math.Min(0, Math.Floor(lowest * 4) / 4)), [0.667, 0.800], points);
    }

    static ReportTable Rubric(ResultsInput input) => new("Rubric",
        ["Criterion", "Id", "Type", "Scale", "Required"],
        input.Criteria.Select(c => (IReadOnlyList<string>)[c.Criterion.Label, c.Criterion.Id, c.Criterion.TypeName, RubricScale.Summary(c.Criterion), c.Criterion.Required ? "yes" : "no"]).ToList());

    static ReportTable Models(StudyFacts facts, ResultsInput input, StudyResultsReport report) => new(
        "Models, their responses and the metadata the study bundle gave them (responses' meta)",
        ["Model", "Responses", "Cases", "Metadata"],
        report.Models.Select(m => (IReadOnlyList<string>)
        [
            m, Count(input.Responses.Count(r => r.Model == m)), Count(input.Responses.Where(r => r.Model == m).Select(r => r.CaseId).Distinct().Count()),
            facts.ModelMetadata.Where(x => x.Model == m) is var meta && meta.Any()
                ? string.Join("; ", meta.Select(x => $"{x.Key} = {string.Join(", ", x.Values)}" +
                    (x.DistinctValues > x.Values.Count ? $" … ({Count(x.DistinctValues)} distinct values)" : "")))
                : "none recorded",
        ]).ToList());

    static IEnumerable<ReportBlock> ModelCriterion(CriterionModels c)
    {
        yield return new ReportHeading(3, c.Criterion.Label);
        if (c.Criterion.Type is CriterionType.Likert or CriterionType.Numeric)
        {
            yield return new ReportTable($"Models on {c.Criterion.Label}",
                ["Model", "Ratings", "Cases", "Mean", "95% interval", "Median", "95% interval"],
                c.Models.Select(m => (IReadOnlyList<string>)[m.Model, Count(m.Ratings), Count(m.Cases), Value(m.Mean), Interval(m.Mean), Value(m.Median), Interval(m.Median)]).ToList());
            var max = c.Criterion.Max ?? c.Models.Select(m => m.Mean?.Ci95?.Upper ?? m.Mean?.Value ?? 1).DefaultIfEmpty(1).Max();
            yield return new ReportChart($"Mean {c.Criterion.Label} per model with 95% intervals",
                "Mean with 95% bootstrap interval; the values are in the table above.", c.Criterion.Min ?? 0, max,
                c.Models.Where(m => m.Mean?.Value is not null).Select(m => new ReportBar(m.Model, m.Mean!.Value!.Value, m.Mean.Ci95?.Lower, m.Mean.Ci95?.Upper)).ToList());
        }
        else
        {
            var categories = c.Models.FirstOrDefault(m => m.Shares.Count > 0)?.Shares.Select(s => s.Category).ToList() ?? [];
            yield return new ReportTable($"Models on {c.Criterion.Label}: share of ratings (count) and 95% interval",
                ["Model", "Ratings", "Cases", .. categories.Select(v => RubricScale.Describe(c.Criterion, v))],
                c.Models.Select(m => (IReadOnlyList<string>)
                [
                    m.Model, Count(m.Ratings), Count(m.Cases),
                    .. m.Shares.Select(s => $"{Percent(s.Proportion.Value)} ({Count(s.Count)}); {(s.Proportion.Ci95 is { } ci ? PercentInterval(ci) : "—")}"),
                ]).ToList());
            yield return new ReportChart($"Share of each {c.Criterion.Label} value per model with 95% intervals",
                "Share of ratings with 95% bootstrap interval, grouped by model; the values are in the table above.", 0, 1,
                c.Models.SelectMany(m => m.Shares.Select(s => new ReportBar(RubricScale.Describe(c.Criterion, s.Category),
                    s.Proportion.Value ?? 0, s.Proportion.Ci95?.Lower, s.Proportion.Ci95?.Upper, m.Model, categories.IndexOf(s.Category)))).ToList(),
                categories.Select(v => RubricScale.Describe(c.Criterion, v)).ToList());
        }
        if (c.Comparisons.Count > 0)
            yield return new ReportTable($"Model comparisons on {c.Criterion.Label}",
                ["Models", "Cases", "Mean difference", "V", "p", "p (Holm)"],
                c.Comparisons.Select(p => (IReadOnlyList<string>)
                [
                    $"{p.ModelA} − {p.ModelB}", Count(p.Cases), p.MeanDifference is { } d ? Signed(d) : "—",
                    p.Test is { } t ? Statistic(t.V) : "—",
                    p.Test is { } t2 ? PValue(t2.PValue) + (t2.Exact ? " (exact)" : "") : "no case differs",
                    p.HolmP is { } h ? PValue(h) : "—",
                ]).ToList());
    }

    // The command line runs with invariant globalization (no culture names): the languages a study is likely to use.
    static readonly Dictionary<string, string> Languages = new(StringComparer.OrdinalIgnoreCase)
    {
        ["en"] = "English", ["zh"] = "Chinese", ["zh-Hans"] = "Simplified Chinese", ["zh-CN"] = "Chinese", ["zh-Hant"] = "Traditional Chinese",
        ["de"] = "German", ["fr"] = "French", ["es"] = "Spanish", ["it"] = "Italian", ["pt"] = "Portuguese", ["nl"] = "Dutch",
        ["ja"] = "Japanese", ["ko"] = "Korean", ["ar"] = "Arabic", ["ru"] = "Russian", ["hi"] = "Hindi", ["tr"] = "Turkish",
        ["pl"] = "Polish", ["sv"] = "Swedish", ["da"] = "Danish", ["no"] = "Norwegian", ["fi"] = "Finnish",
    };

    static string LanguageName(string code) => Languages.GetValueOrDefault(code) ?? code;

    /// <summary>"16 in English, 4 in Chinese".</summary>
    internal static string CaseLanguageList(StudyFacts facts) =>
        string.Join(", ", facts.CaseLanguages.Select(l => $"{Count(l.Cases)} in {LanguageName(l.Language)}"));

    static string Plural(int n, string one, string many) => n == 1 ? one : many;

    static string Range(int min, int max) => min == max ? Count(min) : $"{Count(min)}–{Count(max)}";

    static string Date(string? stored) => stored is null ? "—" : stored.Length >= 10 ? stored[..10] : stored;
}
