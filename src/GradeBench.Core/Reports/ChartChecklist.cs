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

    /// <summary>CHART's items (BMJ Medicine 2025; 12 items, 39 subitems) against what GradeBench knows, in the report's language.</summary>
    public static ReportTable Table(ReportText t, StudyFacts facts, ResultsInput input, StudyResultsReport report)
    {
        var notRecorded = t["NotRecorded"];
        var meta = facts.ModelMetadata.Select(m => m.Key).Distinct().ToList();
        var metaText = meta.Count > 0 ? t["MetadataRecords", t.List(meta)] : t["NoMetadata"];
        string Has(params string[] keys) => t[meta.Any(k => keys.Any(x => k.Contains(x, StringComparison.OrdinalIgnoreCase))) ? "PartlyInMetadata" : "NotRecordedShort"];
        (string Id, string Answer)[] items =
        [
            ("1a", notRecorded),
            ("1b", t["Chart1bAnswer", notRecorded]),
            ("2", notRecorded),
            ("3", t["Chart3Answer", t.List(report.Models), Has("version", "date", "snapshot", "release")]),
            ("4", t["Chart4Answer", metaText, notRecorded]),
            ("5", t["Chart5Answer", Has("prompt", "system")]),
            ("6", t["Chart6Answer", Has("date", "time", "session", "run", "location"), Count(input.Responses.Count), Count(facts.Cases),
                ReportMethods.CaseLanguageList(t, facts)]),
            ("7", t["Chart7Answer", Count(input.Raters.Count), facts.RatersPerResponse, t[facts.HideModel ? "BlindedShort" : "NotBlindedShort"],
                t[facts.Shuffle ? "RandomOrder" : "FixedOrder"], Count(facts.CasesWithReference), Count(facts.Cases), notRecorded]),
            ("8", t["Chart8Answer", Count(facts.Cases), Count(input.Responses.Count), notRecorded]),
            ("9", t["Chart9Answer"]),
            ("10", t["Chart10Answer"]),
            ("11", notRecorded),
            ("12a", notRecorded),
            ("12b", notRecorded),
            ("12c", notRecorded),
            ("12d", notRecorded),
            ("12e", t["Chart12eAnswer", notRecorded]),
        ];
        return new ReportTable(t["ChartCaption"], [t["ColChartItem"], t["ColAsksFor"], t["ColInThisReport"]],
            items.Select(i => (IReadOnlyList<string>)[t[$"Chart{i.Id}Item"], t[$"Chart{i.Id}Asks"], i.Answer]).ToList());
    }
}
