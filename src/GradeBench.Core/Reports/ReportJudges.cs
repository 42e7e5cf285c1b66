using System.Globalization;
using GradeBench.Core.Agreement;
using GradeBench.Core.Judges;
using GradeBench.Core.Results;
using GradeBench.Core.Rubrics;
using static GradeBench.Core.Reports.ReportNumbers;

namespace GradeBench.Core.Reports;

/// <summary>The report's LLM judges: the methods paragraphs and provenance table, and the results section, written from
/// <see cref="StudyJudgeResults"/> as computed once for the results page and <c>judges.csv</c> (docs/judges.md). The
/// tables keep what a reader compares across judges and criteria; every other number is in <c>judges.csv</c>.</summary>
static class ReportJudges
{
    /// <summary>Characters of a SHA-256 shown in running text; the provenance table has the full digest.</summary>
    const int ShortDigest = 12;

    public static IEnumerable<string> Methods(ReportText t, ResultsInput input, StudyJudgeResults judges)
    {
        var rubric = RubricVersion.Of(input.Criteria.Select(c => c.Criterion));
        var described = judges.Judges.Select(j => t["JudgeDescription", j.Name, t.List(Provenance(t, j, rubric)),
            t.Counted("Responses", ResponsesRated(judges, j))]);
        yield return t["JudgesParagraph", t.Counted("Judges", judges.Judges.Count), string.Join(t["ItemSeparator"], described)];
        var (epsilon, q, minInstances) = AltTestSettings(t, judges);
        yield return t["JudgeStatistics", epsilon, q, minInstances, Count(Bootstrap.DefaultResamples), Bootstrap.DefaultSeed];
    }

    /// <summary>Each judge's provenance in full: the prompt's and the rubric's SHA-256 that the methods shorten.</summary>
    public static ReportTable ProvenanceTable(ReportText t, ResultsInput input, StudyJudgeResults judges)
    {
        var rubric = RubricVersion.Of(input.Criteria.Select(c => c.Criterion));
        return new ReportTable(t["JudgesCaption"],
            [t["ColJudge"], t["ColModel"], t["ColVersion"], t["ColTemperature"], t["ColPromptSha"], t["ColRubricVersion"], t["ColAdded"], t["ColResponsesRated"]],
            judges.Judges.Select(j => (IReadOnlyList<string>)
            [
                j.Name, j.Model, j.Version ?? None, j.Temperature is { } temperature ? Setting(temperature) : None, j.PromptSha256 ?? None,
                t["ValueWithNote", j.RubricSha256, t[j.RubricSha256 == rubric ? "RubricCurrent" : "RubricChanged"]],
                Day(j.Added), Count(ResponsesRated(judges, j)),
            ]).ToList());
    }

    /// <summary>The results section: per criterion a table of the judges beside the physicians, then each judge's
    /// prediction-powered means per model (or why there are none).</summary>
    public static IEnumerable<ReportBlock> Section(ReportText t, StudyJudgeResults judges)
    {
        yield return new ReportHeading(2, t["HeadingJudges"]);
        if (judges.Criteria.Count == 0)
        {
            yield return new ReportParagraph(t["NoJudgeRatings"]);
            yield break;
        }
        yield return new ReportParagraph(t["JudgesIntro"]);
        foreach (var criterion in judges.Criteria)
        {
            yield return new ReportHeading(3, criterion.Criterion.Label);
            yield return Summary(t, judges, criterion);
            foreach (var judge in InStudyOrder(judges, criterion))
                if (PredictionPowered(t, judges, criterion, judge) is { } block) yield return block;
        }
    }

    /// <summary>A criterion's judges in the order of the methods and the provenance table (the study's list).</summary>
    static IEnumerable<JudgeReport> InStudyOrder(StudyJudgeResults judges, CriterionJudges criterion)
    {
        var order = judges.Judges.Select((j, i) => (Id: j.Id.ToString(CultureInfo.InvariantCulture), i)).ToDictionary(x => x.Id, x => x.i);
        return criterion.Report.Judges.OrderBy(j => order.GetValueOrDefault(j.Judge, int.MaxValue));
    }

    /// <summary>ε, q and the minimum instances as the alt-tests ran (the defaults when no judge has rated yet).</summary>
    internal static (string Epsilon, string Q, string MinInstances) AltTestSettings(ReportText t, StudyJudgeResults judges)
    {
        var tests = judges.Criteria.SelectMany(c => c.Report.Judges).Select(j => j.AltTest).ToList();
        string Distinct(IEnumerable<string> values, string fallback) => values.Distinct().ToList() is { Count: > 0 } list ? t.List(list) : fallback;
        return (Distinct(tests.Select(a => Setting(a.Epsilon)), Setting(AltTest.ExpertEpsilon)),
            Distinct(tests.Select(a => Setting(a.Q)), Setting(AltTest.DefaultQ)),
            Distinct(tests.Select(a => Count(a.MinInstances)), Count(AltTest.DefaultMinInstances)));
    }

    static IEnumerable<string> Provenance(ReportText t, JudgeProvenance j, string rubric)
    {
        yield return t["JudgeModel", j.Model];
        yield return j.Version is { } version ? t["JudgeVersion", version] : t["JudgeNoVersion"];
        yield return j.Temperature is { } temperature ? t["JudgeTemperature", Setting(temperature)] : t["JudgeNoTemperature"];
        yield return j.PromptSha256 is { } prompt ? t["JudgePrompt", Short(prompt)] : t["JudgeNoPrompt"];
        yield return t["JudgeRubric", Short(j.RubricSha256), t[j.RubricSha256 == rubric ? "RubricCurrent" : "RubricChanged"]];
        yield return t["JudgeAdded", Day(j.Added)];
    }

    /// <summary>The responses a judge rated: the most it rated on any criterion. A judge's rating carries every required
    /// criterion, so this is every response it rated unless it rated only optional criteria of some.</summary>
    static int ResponsesRated(StudyJudgeResults judges, JudgeProvenance judge)
    {
        var id = judge.Id.ToString(CultureInfo.InvariantCulture);
        return judges.Criteria.SelectMany(c => c.Report.Judges).Where(r => r.Judge == id).Select(r => r.Responses).DefaultIfEmpty(0).Max();
    }

    static ReportTable Summary(ReportText t, StudyJudgeResults judges, CriterionJudges criterion)
    {
        var l = t.Language;
        var report = criterion.Report;
        var coefficient = report.HeadlineCoefficient;
        var twoCategories = report.Judges.Any(j => j.BalancedF1 is not null);
        var physicianPairs = report.PhysicianSpread.FirstOrDefault(s => s.Coefficient == coefficient);
        var metric = t.Metric(coefficient);
        IReadOnlyList<string> header =
        [
            t["ColJudge"], t["ColResponses"], t["ColWinningRate"], t["ColAdvantage"], t["ColPasses"],
            .. twoCategories ? [t["ColBalancedF1"]] : Array.Empty<string>(),
            t["ColJudgePairs", metric], t["ColPhysicianPairs", metric], t["ColLeniency"],
        ];
        var rows = InStudyOrder(judges, criterion).Select(j => (IReadOnlyList<string>)
        [
            judges.Name(j.Judge), Count(j.Responses), WinningRate(t, j.AltTest),
            j.AltTest.AdvantageProbability is { } rho ? Coefficient(rho) : None,
            j.AltTest.WinningRate is null ? j.AltTest.Reason?.ToString(l) ?? None : t[j.AltTest.Passed ? "Yes" : "No"],
            .. twoCategories ? [BalancedF1(t, j.BalancedF1)] : Array.Empty<string>(),
            j.Spread.FirstOrDefault(s => s.Coefficient == coefficient) is { Median: { } median } spread
                ? t["MedianOfPairs", Coefficient(median), Count(spread.Pairs)] : t["NoPairValue"],
            physicianPairs is { Median: { } m, Min: { } min, Max: { } max }
                ? t["MedianRange", Coefficient(m), CoefficientInterval(min, max, l), Count(physicianPairs.Pairs)] : t["NoPairValue"],
            j.Leniency is { Value: { } v } leniency
                ? leniency.Ci95 is { } ci ? t["ValueWithNote", Signed(v), SignedInterval(ci, l)] : Signed(v)
                : j.Leniency.Reason?.ToString(l) ?? None,
        ]).ToList();
        var scoring = t[report.Scoring == AltTestScoring.Accuracy ? "ScoringAccuracy" : "ScoringNegRmse"];
        return new ReportTable(t["JudgesOnCaption", criterion.Criterion.Label, t.Counted("Physicians", report.Physicians.Count), scoring], header, rows);
    }

    /// <summary>ω with the wins, the physicians tested and the range of their instances.</summary>
    static string WinningRate(ReportText t, AltTestResult test)
    {
        if (test.WinningRate is not { } omega) return None;
        var instances = test.Humans.Where(h => h.PValue is not null).Select(h => h.Instances).ToList();
        var range = instances.Min() == instances.Max() ? Count(instances.Min()) : $"{Count(instances.Min())}–{Count(instances.Max())}";
        return t["WinsCell", Coefficient(omega), Count(test.Rejections), Count(test.HumansTested), range];
    }

    static string BalancedF1(ReportText t, JudgeBalancedF1? f1)
    {
        if (f1 is null) return None;
        if (f1.Judge.Value.Value is not { } value) return f1.Judge.Value.Reason?.ToString(t.Language) ?? None;
        return t["ValueWithNote", Coefficient(value), f1.Percentile.Value is { } p ? Percent(p) : f1.Percentile.Reason?.ToString(t.Language) ?? None];
    }

    /// <summary>A judge's prediction-powered means per model on one criterion, or one sentence saying why there are none
    /// (nothing for a judge whose responses have no model). On a nominal criterion a mean is the share of the positive
    /// category, written as a percentage as the report writes shares.</summary>
    static ReportBlock? PredictionPowered(ReportText t, StudyJudgeResults judges, CriterionJudges criterion, JudgeReport judge)
    {
        var l = t.Language;
        var name = judges.Name(judge.Judge);
        var label = criterion.Criterion.Label;
        if (!judge.Models.Any(m => m.PredictionPoweredMean.HasValue))
        {
            var reasons = judge.Models.Select(m => m.PredictionPoweredMean.Reason?.ToString(l)).OfType<string>().Distinct().ToList();
            return reasons.Count == 0 ? null : new ReportParagraph(t["NoPredictionPowered", name, label, string.Join(t["ItemSeparator"], reasons)]);
        }
        var share = criterion.Report.Level == MeasurementLevel.Nominal;
        string Mean(Estimate e) => e.Value is { } v ? share ? Percent(v) : Value(v) : e.Reason?.ToString(l) ?? None;
        string Interval(Estimate e) => e.Ci95 is { } ci ? share ? PercentInterval(ci, l) : ReportNumbers.Interval(e, l) : None;
        var caption = share
            ? t["PredictionPoweredShareCaption", label, name, t.Category(criterion.Criterion, criterion.Report.Positive)]
            : t["PredictionPoweredCaption", label, name];
        return new ReportTable(caption,
            [t["ColModel"], t["ColPhysicianRated"], t["ColPhysiciansOnly"], t["ColInterval"], t["ColPredictionPowered"], t["ColInterval"], t["ColGain"]],
            // In the report's model order (StudyResults' ordinal order), not the order the responses first name them.
            judge.Models.OrderBy(m => m.Model, StringComparer.Ordinal).Select(m => (IReadOnlyList<string>)
            [
                m.Model, Count(m.PhysicianRated), Mean(m.PhysicianMean), Interval(m.PhysicianMean),
                Mean(m.PredictionPoweredMean), Interval(m.PredictionPoweredMean),
                m.Gain.Value is { } gain ? Value(gain) : m.PredictionPoweredMean.HasValue ? m.Gain.Reason?.ToString(l) ?? None : None,
            ]).ToList());
    }

    static string Short(string digest) => digest.Length > ShortDigest ? digest[..ShortDigest] : digest;

    /// <summary>A setting as it was given (a temperature, ε, q): the shortest text that reads back as the same number.</summary>
    static string Setting(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
