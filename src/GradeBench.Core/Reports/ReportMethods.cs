using GradeBench.Core.Agreement;
using GradeBench.Core.Grading;
using GradeBench.Core.Results;
using static GradeBench.Core.Reports.ReportNumbers;

namespace GradeBench.Core.Reports;

/// <summary>The report's methods paragraphs (materials, raters and design, statistics) in the report's language.</summary>
static class ReportMethods
{
    public static IEnumerable<string> Paragraphs(ReportText t, StudyFacts facts, ResultsInput input, StudyResultsReport report)
    {
        var models = report.Models;
        var perModel = models.Select(m => t["ModelResponses", m, Count(input.Responses.Count(r => r.Model == m))]);
        yield return t["Materials", Count(facts.Cases), CaseLanguageList(t, facts), t.Counted("Models", models.Count), t.List(models),
                Count(input.Responses.Count), t.List(perModel), Count(facts.CasesWithReference), Count(input.Criteria.Count),
                string.Join(t["ItemSeparator"], input.Criteria.Select(c => t["CriterionWithScale", c.Criterion.Label, t.ShortScale(c.Criterion)]))] +
            (report.Spans.Labels.Count > 0 ? t["SpanLabelsSentence", Count(report.Spans.Labels.Count), t.List(report.Spans.Names)] : "");

        var sources = facts.RatingsBySource;
        var imported = sources.GetValueOrDefault("import");
        var web = sources.GetValueOrDefault("web");
        var origin = imported > 0 && web == 0
            ? t["OriginImported", Date(facts.FirstSubmitted)]
            : imported > 0
                ? t["OriginMixed", Count(imported), Count(web), Date(facts.FirstSubmitted), Date(facts.LastSubmitted)]
                : t["OriginWeb", Date(facts.FirstSubmitted), Date(facts.LastSubmitted)];
        // A rating is one response × rater, a value one criterion's score in it (docs/results.md, "Words").
        var ratings = input.Ratings.Select(r => (r.ResponseId, r.RaterId)).Distinct().Count();
        yield return t["RatersAndDesign", t.Counted("Raters", input.Raters.Count), t.Counted("Ratings", ratings), Count(facts.SubmittedRatings),
                origin, t.Counted("RaterMembers", facts.RaterMembers)] +
            t["Design", facts.RatersPerResponse] +
            Subset(t, facts, input) +
            Assigned(t, facts) +
            t[facts.HideModel ? "Blinded" : "NotBlinded"] +
            t[facts.Shuffle ? "Shuffled" : "CaseOrder"] +
            (imported > 0 ? t["ImportedConditions"] : "") +
            t["Independent"] +
            (facts.CalibrationSessions > 0
                ? t["Calibration", t.Counted("CalibrationSessions", facts.CalibrationSessions), t.Counted("CalibrationRounds", facts.CalibrationRounds)]
                : t["NoCalibration"]) +
            (facts.AdjudicationItems > 0
                ? t["Adjudication", t.Counted("Responses", facts.AdjudicationItems), Count(facts.AdjudicationForDisagreement),
                    Count(facts.AdjudicationForSafety), Count(facts.AdjudicationResolved), Count(facts.ConsensusValues)]
                : t["NoAdjudication"]);

        var levels = report.Agreement.Select(a => t.Level(a.Level.ToString().ToLowerInvariant())).Distinct();
        yield return t["Statistics", t.List(levels), Count(Bootstrap.DefaultResamples), Bootstrap.DefaultSeed];
    }

    /// <summary>Physicians on a seeded random subset of each model's responses (study.json's <c>human_subset</c>), said
    /// once, where the design is; nothing when they were planned on every response.</summary>
    static string Subset(ReportText t, StudyFacts facts, ResultsInput input)
    {
        if (facts.HumanSubset is not { } given || HumanSubset.Parse(given) is not { } rule) return "";
        var share = rule.Count is { } count ? t["SubsetCount", Count(count)] : t["SubsetFraction", Percent((double)rule.Fraction!.Value)];
        return t["HumanSubset", given, share, Count(facts.PhysicianResponses), Count(input.Responses.Count)];
    }

    static string Assigned(ReportText t, StudyFacts facts)
    {
        if (facts.RatersPerAssignedResponse.Count == 0) return t["NoneAssigned"];
        var per = facts.RatersPerAssignedResponse;
        var loads = facts.RaterLoads;
        return t["Assigned", Count(per.Sum()), Count(per.Count), Range(per.Min(), per.Max()), Count(loads.Count), Range(loads.Min(), loads.Max())];
    }

    /// <summary>"16 in English, 4 in Chinese" (英文 16 个、中文 4 个).</summary>
    internal static string CaseLanguageList(ReportText t, StudyFacts facts) =>
        t.List(facts.CaseLanguages.Select(l => t["CasesInLanguage", Count(l.Cases), t.LanguageName(l.Language)]));

    static string Range(int min, int max) => min == max ? Count(min) : $"{Count(min)}–{Count(max)}";

    static string Date(string? stored) => stored is null ? "—" : stored.Length >= 10 ? stored[..10] : stored;
}
