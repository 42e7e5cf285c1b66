using GradeBench.Core.Pairwise;
using static GradeBench.Core.Reports.ReportNumbers;

namespace GradeBench.Core.Reports;

/// <summary>The methods paragraphs of a side-by-side study's report (materials, design, statistics) in the report's
/// language; the statistics as docs/designs.md, "Side-by-side (pairwise) studies: statistics", defines them.</summary>
static class PairwiseMethods
{
    public static IEnumerable<string> Paragraphs(ReportText t, StudyFacts facts, PairwiseDesign design,
        IReadOnlyList<(PairwiseAxis Axis, PairwiseReport Report)> axes)
    {
        // The models compared on any axis: a model nobody voted on is in no report.
        var models = axes.SelectMany(a => a.Report.Models.Select(m => m.Model)).Distinct().Order(StringComparer.Ordinal).ToList();
        yield return t["PairwiseMaterials", t.Counted("Cases", facts.Cases), ReportMethods.CaseLanguageList(t, facts),
            t.Counted("Models", models.Count), t.List(models), t.Counted("Axes", design.Axes.Count)];

        yield return t["PairwiseDesign"] +
            t[facts.HideModel ? "Blinded" : "NotBlinded"] +
            t["PairwiseSides"] +
            (design.PairsPerCase is { } perCase ? t["PairwisePairsPerCase", t.Counted("AnswerPairs", perCase)]
                : design.ListedPairs is { } listed ? t["PairwiseSomePairs", t.Counted("AnswerPairs", listed.Count)]
                : t["PairwiseAllPairs"]) +
            t["PairwiseRatersPerPair", t.Counted("Raters", design.RatersPerPair)] +
            (facts.FirstSubmitted is { } first && facts.LastSubmitted is { } last ? t["PairwiseSubmitted", Date(first), Date(last)] : "");

        // Every axis is analysed with the same settings; a study without votes has no report to take them from.
        var settings = axes.Count > 0 ? axes[0].Report : null;
        yield return t["PairwiseStatistics"] +
            settings switch
            {
                null => "",
                { BootstrapResamples: > 0 } => t["PairwiseBootstrap", Count(settings.BootstrapResamples), settings.Seed],
                _ => t["PairwiseNoBootstrap"],
            } +
            t["PairwisePositionAndAgreement"];
    }

    static string Date(string stored) => stored.Length >= 10 ? stored[..10] : stored;
}
