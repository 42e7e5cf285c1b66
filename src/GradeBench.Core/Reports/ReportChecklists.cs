using GradeBench.Core.Agreement;
using GradeBench.Core.Checklists;
using static GradeBench.Core.Reports.ReportNumbers;

namespace GradeBench.Core.Reports;

/// <summary>The single answers' report on a study's case checklists, HealthBench's score (docs/designs.md, "Checklist
/// studies: statistics"; docs/exports.md): a methods paragraph, then each model's score with its 95% interval and the
/// answers counted (with a chart in the HTML), the scores per tag, and the raters' agreement on met / not met, pooled
/// and per tag. The numbers are <see cref="ChecklistAnalysis.Run(IReadOnlyList{ChecklistMark}, ChecklistOptions?)"/>'s,
/// those of the results page, rounded as the page rounds them: scores and α to three decimals.</summary>
static class ReportChecklists
{
    public const string Citation = "Arora RK, et al. HealthBench: Evaluating Large Language Models Towards Improved Human Health. arXiv:2505.08775; 2025.";

    public static string Methods(ReportText t, StudyChecklistResults checklists)
    {
        var report = checklists.Report;
        // Each sentence ends in a space for the next: the last one's is trimmed.
        return (t["ChecklistMethods"] +
            (report is null
                ? t["ChecklistNoMarks"]
                : t["ChecklistMarksAnalysed", t.Counted("Marks", report.Marks), t.Counted("Responses", report.Responses), t.Counted("Cases", report.Cases ?? 0),
                    t.Counted("Raters", report.Raters)] +
                  (report.BootstrapResamples > 0 ? t["ChecklistBootstrap", Count(report.BootstrapResamples), report.Seed] : "")) +
            (checklists.IncompleteRatings > 0 ? t["ChecklistIncomplete", t.Counted("Ratings", checklists.IncompleteRatings)] : "")).TrimEnd();
    }

    public static IEnumerable<ReportBlock> Section(ReportText t, StudyChecklistResults checklists)
    {
        var l = t.Language;
        yield return new ReportHeading(2, t["HeadingChecklists"]);
        if (checklists.Report is not { } report)
        {
            yield return new ReportParagraph(t["ChecklistNoMarksYet"]);
            yield break;
        }
        yield return new ReportTable(t["ChecklistScoresCaption"], [t["ColModel"], t["ColScore"], t["ColInterval"], t["ColResponses"]],
            report.Models.Select(m => (IReadOnlyList<string>)[m.Model, Score(m.Score), ScoreInterval(t, m.Score), Count(m.Responses)]).ToList());
        var scored = report.Models.Where(m => m.Score.Value is not null).ToList();
        if (scored.Count > 0)
            yield return new ReportChart(t["ChecklistChartTitle"], t["ChecklistChartCaption"], 0, 1,
                scored.Select(m => new ReportBar(m.Model, m.Score.Value!.Value, m.Score.Ci95?.Lower, m.Score.Ci95?.Upper)).ToList(), Decimals: 3);
        var unscored = report.Models.Where(m => m.ResponsesWithoutScore > 0).ToList();
        if (unscored.Count > 0)
            yield return new ReportParagraph(t["ChecklistUnscored", t.List(unscored.Select(m => $"{m.Model} {Count(m.ResponsesWithoutScore)}"))]);

        var tags = report.Models.SelectMany(m => m.Tags.Select(tag => (m.Model, Tag: tag))).OrderBy(x => x.Tag.Tag, StringComparer.Ordinal).ToList();
        if (tags.Count > 0)
            yield return new ReportTable(t["ChecklistTagsCaption"], [t["ColTag"], t["ColModel"], t["ColScore"], t["ColInterval"], t["ColResponses"]],
                tags.Select(x => (IReadOnlyList<string>)[x.Tag.Tag, x.Model, Score(x.Tag.Score), ScoreInterval(t, x.Tag.Score), Count(x.Tag.Responses)]).ToList());

        var agreement = report.Agreement;
        yield return new ReportParagraph(Sentence(t, t["ChecklistAgreement", Count(agreement.Units), Count(agreement.UnitsLeftOut)] + Alpha(t, agreement.Alpha)));
        if (agreement.Tags.Count > 0)
            yield return new ReportTable(t["ChecklistTagAgreementCaption"], [t["ColTag"], t["ColValue"], t["ColInterval"], t["ColUnits"]],
                agreement.Tags.Select(a => (IReadOnlyList<string>)
                [
                    a.Tag, a.Alpha.Value is { } v ? Coefficient(v) : None,
                    a.Alpha.Ci95 is { } ci ? CoefficientInterval(ci.Lower, ci.Upper, l) : a.Alpha.Reason?.ToString(l) ?? None, Count(a.Units),
                ]).ToList());
    }

    /// <summary>A score in [0, 1] to three decimals, as the results page shows it.</summary>
    static string Score(Estimate score) => score.Value is { } v ? Coefficient(v) : None;

    /// <summary>The score's interval, or why it has no score.</summary>
    static string ScoreInterval(ReportText t, Estimate score) => score.Ci95 is { } ci
        ? CoefficientInterval(ci.Lower, ci.Upper, t.Language)
        : score.Reason?.ToString(t.Language) ?? None;

    static string Alpha(ReportText t, Estimate alpha) => alpha.Value is { } a
        ? Coefficient(a) + (alpha.Ci95 is { } ci ? t["IntervalInProse", Coefficient(ci.Lower), Coefficient(ci.Upper)] : "")
        : t["NoValueBecause", alpha.Reason?.ToString(t.Language)];

    /// <summary><paramref name="text"/> ended by a full stop, unless the reason it ends with has one.</summary>
    static string Sentence(ReportText t, string text) => text.EndsWith('.') || text.EndsWith('。') ? text : text + t["FullStop"];
}
