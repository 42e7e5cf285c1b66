using GradeBench.Core.Judges;
using GradeBench.Core.Results;

namespace GradeBench.Core.Reports;

/// <summary>The report's checklist against the alt-test authors' advice on reporting the test (Calderon, Reichart &amp;
/// Dror 2025; the FAQ of their repository, "How should I report the alt-test results?"; docs/judges.md, "Reporting
/// checklist"), as <see cref="ChartChecklist"/> does for CHART.</summary>
static class AltTestChecklist
{
    public const string Citation =
        "Calderon N, Reichart R, Dror R. The Alternative Annotator Test for LLM-as-a-Judge: How to Statistically Justify " +
        "Replacing Human Annotators with LLMs. In: Proceedings of the 63rd Annual Meeting of the Association for Computational " +
        "Linguistics (Volume 1: Long Papers). Association for Computational Linguistics; 2025:16051–16081.";

    public static ReportTable Table(ReportText t, StudyFacts facts, ResultsInput input, StudyJudgeResults judges)
    {
        var notRecorded = t["NotRecorded"];
        var (epsilon, _, minInstances) = ReportJudges.AltTestSettings(t, judges);
        var names = t.List(judges.Judges.Select(j => j.Name));
        (string Id, string Answer)[] items =
        [
            ("1", t["AltTest1Answer", t.Counted("Physicians", input.Raters.Count), notRecorded]),
            ("2", t["AltTest2Answer", epsilon]),
            ("3", t["AltTest3Answer", minInstances, facts.HumanSubset is { } subset ? t["AltTestSubset", subset] : t["AltTestNoSubset"], notRecorded]),
            ("4", t["AltTest4Answer"]),
            ("5", judges.Judges.Count == 1 ? t["AltTest5AnswerOne", names] : t["AltTest5Answer", names]),
            ("6", t["AltTest6Answer", notRecorded]),
        ];
        return new ReportTable(t["AltTestChecklistCaption"], [t["ColAltTestItem"], t["ColAsksFor"], t["ColInThisReport"]],
            items.Select(i => (IReadOnlyList<string>)[t[$"AltTest{i.Id}Item"], t[$"AltTest{i.Id}Asks"], i.Answer]).ToList());
    }
}
