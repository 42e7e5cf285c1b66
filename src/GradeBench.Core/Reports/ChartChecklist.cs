using GradeBench.Core.Results;
using static GradeBench.Core.Reports.ReportNumbers;

namespace GradeBench.Core.Reports;

/// <summary>The report's checklist against CHART, the Chatbot Assessment Reporting Tool (CHART Collaborative 2025).</summary>
static class ChartChecklist
{
    public const string Citation =
        "CHART Collaborative (Huo B, Collins G, Chartash D, et al.). Reporting guideline for chatbot health advice studies: " +
        "the Chatbot Assessment Reporting Tool (CHART) statement. BMJ Medicine 2025;4(1):e001632. doi:10.1136/bmjmed-2025-001632 " +
        "(also BMC Medicine 2025;23:447, doi:10.1186/s12916-025-04274-w; JAMA Network Open, Br J Surg, Ann Fam Med, Artif Intell Med).";

    /// <summary>CHART's items (BMJ Medicine 2025; 12 items, 39 subitems) against what GradeBench knows.</summary>
    public static ReportTable Table(StudyFacts facts, ResultsInput input, StudyResultsReport report)
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
                $"The study has {Count(input.Responses.Count)} responses to {Count(facts.Cases)} cases ({StudyReport.CaseLanguageList(facts)})."],
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
}
