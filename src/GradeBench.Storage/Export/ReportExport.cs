using System.Globalization;
using GradeBench.Core.Agreement;
using GradeBench.Core.Results;
using GradeBench.Core.Rubrics;
using GradeBench.Core.Studies;
using GradeBench.Storage.Results;
using GradeBench.Storage.Rubrics;

namespace GradeBench.Storage.Export;

/// <summary><c>report.md</c> and <c>report.html</c>: the study's methods paragraph, rubric, agreement, model and span
/// tables (with charts in the HTML), and a checklist against the CHART reporting guideline for chatbot health advice
/// studies (CHART Collaborative 2025). The numbers are <see cref="StudyResults.Compute"/>'s on the independent ratings
/// with the default bootstrap, the very computation of the results page and <c>agreement.csv</c>. See docs/exports.md.</summary>
public sealed class ReportExport(Database database)
{
    public const string ChartCitation =
        "CHART Collaborative (Huo B, Collins G, Chartash D, et al.). Reporting guideline for chatbot health advice studies: " +
        "the Chatbot Assessment Reporting Tool (CHART) statement. BMJ Medicine 2025;4(1):e001632. doi:10.1136/bmjmed-2025-001632 " +
        "(also BMC Medicine 2025;23:447, doi:10.1186/s12916-025-04274-w; JAMA Network Open, Br J Surg, Ann Fam Med, Artif Intell Med).";

    /// <summary>Writes report.md; returns the number of table rows.</summary>
    public async Task<long> WriteMarkdownAsync(long studyId, TextWriter output, CancellationToken ct = default) =>
        await MarkdownReport.WriteAsync(await BuildAsync(studyId, ct), output, ct);

    /// <summary>Writes report.html; returns the number of table rows.</summary>
    public async Task<long> WriteHtmlAsync(long studyId, TextWriter output, CancellationToken ct = default) =>
        await HtmlReport.WriteAsync(await BuildAsync(studyId, ct), output, ct);

    public async Task<IReadOnlyList<ReportBlock>> BuildAsync(long studyId, CancellationToken ct = default)
    {
        var facts = await new ReportQuery(database).LoadAsync(studyId, ct) ?? throw new InvalidOperationException($"There is no study {studyId}.");
        var input = await new ResultsQuery(database, new RubricQuery(database)).LoadAsync(studyId, ct);
        // CPU-bound (the bootstraps), as on the results page: off the caller's thread.
        var report = await Task.Run(() => StudyResults.Compute(input), ct);
        return Build(facts, input, report);
    }

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
        blocks.Add(new ReportTable("Agreement per criterion (independent submitted ratings)",
            ["Criterion", "Level", "Coefficient", "Value", "95% interval", "Units", "Raters", "Conventional reading"],
            report.AgreementRows().Select(r => (IReadOnlyList<string>)
            [
                r.Label, r.Level, MetricNames.Of(r.Metric), r.Value is { } v ? Number(v) : "—",
                r.CiLower is { } lo && r.CiUpper is { } hi ? $"{Number(lo)} to {Number(hi)}" : r.Value is null ? r.Reason ?? "—" : "—",
                Count(r.Units), Count(r.Raters), r.Reading ?? "—",
            ]).ToList()));
        blocks.Add(new ReportParagraph("Units are responses with at least two ratings. Intervals: percentile bootstrap over responses, " +
            $"{Count(Bootstrap.DefaultResamples)} resamples, seed {Bootstrap.DefaultSeed}. Readings are conventions, not tests: Krippendorff (2004) for " +
            "alpha (≥ 0.800 reliable, 0.667–0.800 tentative conclusions, below 0.667 unreliable); Landis and Koch (1977) for kappa-type coefficients."));

        blocks.Add(new ReportHeading(2, "Raters"));
        blocks.Add(new ReportTable("Raters (numbered in alphabetical order of their names, which the report leaves out)",
            ["Rater", "Responses", "Ratings", "Median time per response"],
            report.Raters.Select((r, i) => (IReadOnlyList<string>)
            [
                $"Rater {i + 1}", Count(r.Items), Count(r.Ratings),
                r.MedianSecondsPerItem is { } s ? $"{s.ToString("0", CultureInfo.InvariantCulture)} s ({r.TimedItems} timed)" : "not timed",
            ]).ToList()));

        blocks.Add(new ReportHeading(2, "Model results"));
        blocks.Add(new ReportParagraph("On the independent submitted ratings. Intervals: percentile bootstrap over cases " +
            $"({Count(Bootstrap.DefaultResamples)} resamples, seed {Bootstrap.DefaultSeed}). Comparisons: per case, the mean of each model's ratings " +
            "(ordinal options by position, 0 = first); two-sided Wilcoxon signed-rank test over the cases both models have (exact below 50 cases " +
            "without ties, else normal approximation with continuity correction); Holm's adjustment over the pairs of models of each criterion."));
        foreach (var c in report.ModelResults) blocks.AddRange(ModelCriterion(c));

        blocks.Add(new ReportHeading(2, "Span labels"));
        blocks.Add(new ReportTable("Highlighted spans per model and label", ["Model", "Responses", .. report.Spans.Labels],
            report.Spans.Rows.Select(r => (IReadOnlyList<string>)[r.Model, Count(r.Responses), .. r.Counts.Select(Count)]).ToList()));

        blocks.Add(new ReportHeading(2, "Reporting checklist (CHART)"));
        blocks.Add(new ReportParagraph("Items of the Chatbot Assessment Reporting Tool (CHART; 12 items, 39 subitems) and where this report " +
            "answers them. The item names and subitem numbers are CHART's; the short descriptions are paraphrases, so check the published " +
            "checklist for the exact wording. \"Not recorded by GradeBench\" marks what the authors must report themselves."));
        blocks.Add(Checklist(facts, input, report));
        blocks.Add(new ReportHeading(2, "References"));
        blocks.Add(new ReportList(
        [
            ChartCitation,
            "Krippendorff K. Content Analysis: An Introduction to Its Methodology. 2nd ed. Sage; 2004.",
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
        var languages = string.Join(", ", facts.CaseLanguages.Select(l => $"{Count(l.Cases)} in {LanguageName(l.Language)}"));
        yield return $"Materials. {Count(facts.Cases)} clinical cases ({languages}) were answered by {Count(models.Count)} " +
            $"{Plural(models.Count, "model", "models")} ({string.Join(", ", models)}), giving {Count(input.Responses.Count)} responses " +
            $"({string.Join(", ", perModel)}). {Count(facts.CasesWithReference)} of the cases carry an expert reference answer. " +
            $"The responses were rated on a rubric of {Count(input.Criteria.Count)} criteria (table below): " +
            string.Join("; ", input.Criteria.Select(c => $"{c.Criterion.Label} ({ShortScale(c.Criterion)})")) + ". " +
            (report.Spans.Labels.Count > 0 ? $"Raters could also mark passages with {Count(report.Spans.Labels.Count)} span labels ({string.Join(", ", report.Spans.Labels)}). " : "");

        var sources = facts.RatingsBySource;
        var imported = sources.GetValueOrDefault("import");
        var web = sources.GetValueOrDefault("web");
        var origin = imported > 0 && web == 0
            ? $"all imported with the study bundle (ratings made outside GradeBench, such as pilot ratings; GradeBench recorded the import on {Date(facts.FirstSubmitted)}, not when they were made)"
            : imported > 0
                ? $"{Count(imported)} imported with the study bundle and {Count(web)} entered in GradeBench, submitted between {Date(facts.FirstSubmitted)} and {Date(facts.LastSubmitted)} (import dates included)"
                : $"entered in GradeBench, submitted between {Date(facts.FirstSubmitted)} and {Date(facts.LastSubmitted)}";
        yield return $"Raters and design. {Count(input.Raters.Count)} {Plural(input.Raters.Count, "rater", "raters")} submitted " +
            $"{Count(facts.SubmittedRatings)} ratings, {origin}; the study has {Count(facts.RaterMembers)} rater {Plural(facts.RaterMembers, "member", "members")}. " +
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
            $"each. 95% intervals are percentile bootstraps with {Count(Bootstrap.DefaultResamples)} resamples and seed {Bootstrap.DefaultSeed} " +
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

    static ReportTable Rubric(ResultsInput input) => new("Rubric",
        ["Criterion", "Id", "Type", "Scale", "Required"],
        input.Criteria.Select(c => (IReadOnlyList<string>)[c.Criterion.Label, c.Criterion.Id, c.Criterion.TypeName, Scale(c.Criterion), c.Criterion.Required ? "yes" : "no"]).ToList());

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
                ["Model", "Ratings", "Cases", .. categories.Select(v => OptionLabel(c.Criterion, v))],
                c.Models.Select(m => (IReadOnlyList<string>)
                [
                    m.Model, Count(m.Ratings), Count(m.Cases),
                    .. m.Shares.Select(s => $"{Percent(s.Proportion.Value)} ({Count(s.Count)}); {(s.Proportion.Ci95 is { } ci ? $"{Percent(ci.Lower)} to {Percent(ci.Upper)}" : "—")}"),
                ]).ToList());
            yield return new ReportChart($"Share of each {c.Criterion.Label} value per model with 95% intervals",
                "Share of ratings with 95% bootstrap interval; the values are in the table above.", 0, 1,
                c.Models.SelectMany(m => m.Shares.Select(s => new ReportBar($"{m.Model}: {OptionLabel(c.Criterion, s.Category)}",
                    s.Proportion.Value ?? 0, s.Proportion.Ci95?.Lower, s.Proportion.Ci95?.Upper))).ToList());
        }
        if (c.Comparisons.Count > 0)
            yield return new ReportTable($"Model comparisons on {c.Criterion.Label}",
                ["Models", "Cases", "Mean difference", "V", "p", "p (Holm)"],
                c.Comparisons.Select(p => (IReadOnlyList<string>)
                [
                    $"{p.ModelA} − {p.ModelB}", Count(p.Cases), p.MeanDifference is { } d ? Signed(d) : "—",
                    p.Test is { } t ? t.V.ToString("0.#", CultureInfo.InvariantCulture) : "—",
                    p.Test is { } t2 ? PValue(t2.PValue) + (t2.Exact ? " (exact)" : "") : "no case differs",
                    p.HolmP is { } h ? PValue(h) : "—",
                ]).ToList());
    }

    /// <summary>CHART's items (BMJ Medicine 2025; 12 items, 39 subitems) against what GradeBench knows.</summary>
    static ReportTable Checklist(StudyFacts facts, ResultsInput input, StudyResultsReport report)
    {
        const string NotRecorded = "Not recorded by GradeBench: the authors report this.";
        var meta = facts.ModelMetadata.Select(m => m.Key).Distinct().ToList();
        var metaText = meta.Count > 0 ? $"The responses' metadata records: {string.Join(", ", meta)} (Models table)." : "The study bundle gave no model metadata.";
        string Has(params string[] keys) => meta.Any(k => keys.Any(x => k.Contains(x, StringComparison.OrdinalIgnoreCase)))
            ? "Partly in the responses' metadata (Models table); check it is complete."
            : "Not recorded by GradeBench";
        string[][] items =
        [
            ["1a Title", "Identify the study as evaluating a chatbot's health advice.", NotRecorded],
            ["1b Abstract/summary", "Structured summary of design, models, evaluation and results.", NotRecorded + " Methods and the tables above give its numbers."],
            ["2a–b Background", "Rationale and objectives.", NotRecorded],
            ["3a–b Model identifiers", "Name and version of each model, and when it was accessed.",
                $"Model names as given in the bundle: {string.Join(", ", report.Models)} (Models table). Versions and access dates: " +
                Has("version", "date", "snapshot", "release") + "."],
            ["4a–c Model details", "Settings and configuration (e.g. temperature, other parameters, retrieval or tools).", metaText + " Anything else: " + NotRecorded],
            ["5a–b Prompt engineering", "How prompts were developed, and the prompts themselves.",
                "Each case's presentation and question are stored (cases.jsonl, bundle.zip); whether they were the prompt verbatim, system prompts and prompt development: " + Has("prompt", "system") + "."],
            ["6a–d Query strategy", "How, where and when the models were queried (dates, sessions, repetitions).",
                "Query dates, location, sessions and repetitions: " + Has("date", "time", "session", "run", "location") + ". " +
                $"The study has {Count(input.Responses.Count)} responses to {Count(facts.Cases)} cases ({CaseLanguageList(facts)})."],
            ["7a–b Performance evaluation", "The evaluation framework and the evaluators (number, expertise, blinding, reference standard).",
                $"Methods (rubric and scales, {Count(input.Raters.Count)} raters, {facts.RatersPerResponse} per response, " +
                $"{(facts.HideModel ? "blinded" : "not blinded")}, {(facts.Shuffle ? "randomized order" : "fixed order")}, calibration, adjudication); Rubric table. " +
                $"{Count(facts.CasesWithReference)} of {Count(facts.Cases)} cases carry an expert reference answer. Raters' expertise: {NotRecorded}"],
            ["8 Sample size", "How the number of cases and queries was determined.", $"Counts in Methods ({Count(facts.Cases)} cases, {Count(input.Responses.Count)} responses). Justification: {NotRecorded}"],
            ["9a Data analysis", "Statistical methods.", "Methods (statistics), notes under the Agreement and Model results tables."],
            ["10a–c Results", "The results, with the measures of uncertainty.", "Agreement, Raters, Model results and Span labels tables, 95% intervals; charts in report.html."],
            ["11a–c Discussion", "Interpretation, limitations, implications.", NotRecorded],
            ["12a Disclosures", "Conflicts of interest.", NotRecorded],
            ["12b Funding", "Sources of funding.", NotRecorded],
            ["12c Ethics", "Ethical approval and consent where needed.", NotRecorded],
            ["12d Protocol", "Where the protocol can be found.", NotRecorded],
            ["12e Data availability", "Availability of prompts, responses and ratings.",
                "GradeBench exports the full study as bundle.zip (cases, responses, rubric, ratings) and ratings.csv; where they are shared: " + NotRecorded],
        ];
        return new ReportTable("CHART items and where this report answers them", ["CHART item", "Asks for (paraphrased)", "In this report"],
            items.Select(i => (IReadOnlyList<string>)i).ToList());
    }

    static string CaseLanguageList(StudyFacts facts) => string.Join(", ", facts.CaseLanguages.Select(l => $"{Count(l.Cases)} in {LanguageName(l.Language)}"));

    static string Scale(Criterion c) => c.Type switch
    {
        CriterionType.Likert => $"likert {Num(c.Min)}–{Num(c.Max)}" +
            (c.Anchors.Count > 0 ? $": {string.Join(", ", c.Anchors.Select(a => $"{a.Value} = {a.Label}"))}" : ""),
        CriterionType.Numeric => $"numeric{(c.Min is null && c.Max is null ? "" : $" {Num(c.Min)}–{Num(c.Max)}")}",
        CriterionType.Ordinal => $"ordinal: {string.Join(" < ", c.Options.Select(o => o.Label))}",
        CriterionType.Nominal => $"nominal: {string.Join(", ", c.Options.Select(o => o.Label))}",
        CriterionType.Binary => "yes/no",
        _ => "free text",
    };

    static string ShortScale(Criterion c) => c.Type switch
    {
        CriterionType.Likert => $"likert {Num(c.Min)}–{Num(c.Max)}",
        CriterionType.Ordinal => $"ordinal, {c.Options.Count} levels",
        CriterionType.Nominal => $"nominal, {c.Options.Count} categories",
        _ => Scale(c),
    };

    static string Num(double? value) => value is { } v ? v.ToString("0.###", CultureInfo.InvariantCulture) : "…";

    // The command line runs with invariant globalization (no culture names): the languages a study is likely to use.
    static readonly Dictionary<string, string> Languages = new(StringComparer.OrdinalIgnoreCase)
    {
        ["en"] = "English", ["zh"] = "Chinese", ["zh-Hans"] = "Simplified Chinese", ["zh-CN"] = "Chinese", ["zh-Hant"] = "Traditional Chinese",
        ["de"] = "German", ["fr"] = "French", ["es"] = "Spanish", ["it"] = "Italian", ["pt"] = "Portuguese", ["nl"] = "Dutch",
        ["ja"] = "Japanese", ["ko"] = "Korean", ["ar"] = "Arabic", ["ru"] = "Russian", ["hi"] = "Hindi", ["tr"] = "Turkish",
        ["pl"] = "Polish", ["sv"] = "Swedish", ["da"] = "Danish", ["no"] = "Norwegian", ["fi"] = "Finnish",
    };

    static string LanguageName(string code) => Languages.GetValueOrDefault(code) ?? code;

    static string OptionLabel(Criterion criterion, string value) => criterion.Options.FirstOrDefault(o => o.Value == value)?.Label ?? value;

    static string Plural(int n, string one, string many) => n == 1 ? one : many;

    static string Range(int min, int max) => min == max ? Count(min) : $"{Count(min)}–{Count(max)}";

    static string Date(string? stored) => stored is null ? "—" : stored.Length >= 10 ? stored[..10] : stored;

    static string Count(int n) => n.ToString("N0", CultureInfo.InvariantCulture);

    static string Number(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);

    static string Signed(double value) => value.ToString("+0.00;−0.00;0.00", CultureInfo.InvariantCulture);

    static string Value(Estimate? e) => e?.Value is { } v ? v.ToString("0.00", CultureInfo.InvariantCulture) : "—";

    static string Interval(Estimate? e) => e?.Ci95 is { } ci
        ? $"{ci.Lower.ToString("0.00", CultureInfo.InvariantCulture)} to {ci.Upper.ToString("0.00", CultureInfo.InvariantCulture)}"
        : "—";

    static string Percent(double? share) => share is { } s ? (100 * s).ToString("0", CultureInfo.InvariantCulture) + "%" : "—";

    static string PValue(double p) => p < 0.001 ? "< 0.001" : p.ToString("0.000", CultureInfo.InvariantCulture);
}
