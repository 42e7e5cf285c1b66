using GradeBench.Core.Agreement;
using GradeBench.Core.Judges;
using GradeBench.Core.Messages;

namespace GradeBench.Core.Checklists;

/// <summary>How <see cref="ChecklistAnalysis"/> computes its intervals.</summary>
public sealed record ChecklistOptions
{
    /// <summary>0: no bootstrap intervals.</summary>
    public int BootstrapResamples { get; init; } = Bootstrap.DefaultResamples;

    public int Seed { get; init; } = Bootstrap.DefaultSeed;
}

/// <summary>What the bootstrap draws: the cases (each with all its answers), or the answers themselves when the marks
/// do not say their cases.</summary>
public enum ChecklistResampling { Cases, Responses }

/// <summary>One answer's checklist score: the mean over its <see cref="Raters"/> of each rater's score, unclipped (or
/// why it has none).</summary>
public sealed record AnswerScore(string Response, string Model, string? Case, int Raters, Estimate Score);

/// <summary>A model's score on the criteria carrying one tag, clipped to [0, 1], with its 95% interval, over the
/// <see cref="Responses"/> answers that have a score for the tag.</summary>
public sealed record TagScore(string Tag, Estimate Score, int Responses);

/// <summary>A model's checklist score: the mean of its answers' scores clipped to [0, 1], with its 95% interval, over
/// the <see cref="Responses"/> answers that have a score (<see cref="ResponsesWithoutScore"/> have none); and the same
/// per tag, tags in ordinal order.</summary>
public sealed record ModelScore(string Model, Estimate Score, int Responses, int ResponsesWithoutScore, IReadOnlyList<TagScore> Tags);

/// <summary>Krippendorff's α (nominal, met / not met) on the (answer, criterion) units whose criterion carries a tag.</summary>
public sealed record TagAgreement(string Tag, int Units, int UnitsLeftOut, Estimate Alpha);

/// <summary>One rater's balanced F1 on met / not met against every other rater's marks of the same criteria.</summary>
public sealed record RaterF1(string Rater, BalancedF1Score Score);

/// <summary>Agreement on met / not met: Krippendorff's α, nominal, pooled over the (answer, criterion) units with two
/// or more raters (<see cref="Units"/>; <see cref="UnitsLeftOut"/> had one), with its 95% interval; the same per tag;
/// and each rater's balanced F1.</summary>
public sealed record ChecklistAgreement(int Units, int UnitsLeftOut, Estimate Alpha, IReadOnlyList<TagAgreement> Tags, IReadOnlyList<RaterF1> Raters);

/// <summary>The statistics of checklist marks: <see cref="Marks"/> marks of <see cref="Responses"/> answers (on
/// <see cref="Cases"/> cases; null when the marks do not say them) by <see cref="Raters"/> raters; the models from the
/// highest score down; each answer's score in the order the marks first name it; agreement; and what the bootstrap
/// resampled.</summary>
public sealed record ChecklistReport(
    int Marks,
    int Responses,
    int? Cases,
    int Raters,
    IReadOnlyList<ModelScore> Models,
    IReadOnlyList<AnswerScore> Answers,
    ChecklistAgreement Agreement,
    ChecklistResampling Resampled,
    int BootstrapResamples,
    int Seed);

/// <summary>The statistics of case-specific checklists, HealthBench's score (docs/designs.md, "Checklist studies:
/// statistics"): the one entry point for these numbers, wherever they are shown (the command line first). A rater's
/// score of an answer = the points of the criteria met (negative ones included) / the positive points of the answer's
/// criteria, unclipped; an answer's = the mean over its raters; a model's = the mean over its answers, clipped to
/// [0, 1] after averaging. The bootstrap resamples cases (answers when no case is given), with
/// <see cref="Bootstrap"/>'s seeded draws and percentile intervals; every statistic of resample b uses the same
/// weights, and resamples run in parallel, each in its own slot, so the numbers for a seed do not depend on the number
/// of threads.</summary>
public static class ChecklistAnalysis
{
    /// <summary>The categories of the agreement; "met" is the positive class of the balanced F1.</summary>
    static readonly string[] AgreementCategories = ["not met", "met"];

    const int Met = 1;

    /// <exception cref="ArgumentException">Marks that contradict each other: an answer by two models or of two cases,
    /// a criterion of an answer with two different points or sets of tags, points of 0, a rater marking the same
    /// criterion of an answer twice or only some of its criteria, or cases given for some marks only.</exception>
    public static ChecklistReport Run(IReadOnlyList<ChecklistMark> marks, ChecklistOptions? options = null) =>
        Run(marks, options ?? new ChecklistOptions(), maxThreads: -1);

    /// <param name="maxThreads">-1: as many as the machine offers.</param>
    internal static ChecklistReport Run(IReadOnlyList<ChecklistMark> marks, ChecklistOptions options, int maxThreads)
    {
        ArgumentNullException.ThrowIfNull(marks);
        if (options.BootstrapResamples < 0) throw new ArgumentOutOfRangeException(nameof(options), "BootstrapResamples must be 0 or more.");
        var data = Tabulate(marks);

        var answers = new AnswerScore[data.Answers.Length];
        // Each model's series, its tags' right after it.
        var scored = new List<(string Model, string? Tag, Series Series)>();
        foreach (var model in data.Answers.Select(a => a.Model).Distinct())
        {
            var own = data.Answers.Where(a => a.Model == model).ToList();
            scored.Add((model, null, SeriesOf(own, null)));
            foreach (var tag in own.SelectMany(a => a.Criteria).SelectMany(c => c.Tags).Distinct().Order(StringComparer.Ordinal))
                scored.Add((model, tag, SeriesOf(own, tag)));
        }
        for (var a = 0; a < answers.Length; a++)
        {
            var answer = data.Answers[a];
            answers[a] = new AnswerScore(answer.Id, answer.Model, answer.Case, answer.Raters.Count,
                AnswerMean(answer, null) is { } score ? Estimate.Of(score) : Estimate.Absent(ChecklistReason.NoPositivePoints));
        }

        var agreement = new List<(string? Tag, Agreeing Units)> { (null, AgreementUnits(data, null)) };
        foreach (var tag in data.Answers.SelectMany(a => a.Criteria).SelectMany(c => c.Tags).Distinct().Order(StringComparer.Ordinal))
            agreement.Add((tag, AgreementUnits(data, tag)));
        var alphas = agreement.Select(g => KrippendorffAlpha.Compute(g.Units.Ratings, MeasurementLevel.Nominal)).ToArray();

        var resamples = options.BootstrapResamples;
        var scoreIntervals = new ConfidenceInterval?[scored.Count];
        var alphaIntervals = new ConfidenceInterval?[agreement.Count];
        if (resamples > 0 && data.ResampledUnits > 0)
        {
            var scoreValues = new double[scored.Count * resamples]; // [series * resamples + b]
            var alphaValues = new double[agreement.Count * resamples];
            Parallel.For(0, resamples, new ParallelOptions { MaxDegreeOfParallelism = maxThreads },
                () => new Workspace(data.ResampledUnits, agreement.Select(g => g.Units.UnitAnswer.Length)),
                (b, _, work) =>
                {
                    Bootstrap.DrawUnitWeights(options.Seed, b, work.Weights);
                    for (var s = 0; s < scored.Count; s++) scoreValues[s * resamples + b] = scored[s].Series.ClippedMean(work.Weights);
                    for (var g = 0; g < agreement.Count; g++)
                    {
                        var (unitAnswer, unitWeights) = (agreement[g].Units.UnitAnswer, work.UnitWeights[g]);
                        for (var u = 0; u < unitWeights.Length; u++) unitWeights[u] = work.Weights[data.Answers[unitAnswer[u]].ResampledUnit];
                        alphaValues[g * resamples + b] = KrippendorffAlpha.Compute(agreement[g].Units.Ratings, MeasurementLevel.Nominal, unitWeights).Value ?? double.NaN;
                    }
                    return work;
                },
                _ => { });
            for (var s = 0; s < scored.Count; s++) scoreIntervals[s] = Bootstrap.Interval(scoreValues.AsSpan(s * resamples, resamples));
            for (var g = 0; g < agreement.Count; g++) alphaIntervals[g] = Bootstrap.Interval(alphaValues.AsSpan(g * resamples, resamples));
        }

        var ones = new int[data.ResampledUnits];
        Array.Fill(ones, 1);
        var models = new List<ModelScore>();
        for (var s = 0; s < scored.Count; s++)
        {
            if (scored[s].Tag is not null) continue;
            var (model, _, series) = scored[s];
            var tags = new List<TagScore>();
            for (var t = s + 1; t < scored.Count && scored[t].Tag is { } tag; t++)
                tags.Add(new TagScore(tag, ModelEstimate(scored[t].Series, ones, scoreIntervals[t], ChecklistReason.TagNoPositivePoints(tag)), scored[t].Series.Count));
            var responses = data.Answers.Count(a => a.Model == model);
            models.Add(new ModelScore(model, ModelEstimate(series, ones, scoreIntervals[s], ChecklistReason.NoScoredAnswer), series.Count, responses - series.Count, tags));
        }

        var overall = agreement[0].Units.Ratings;
        var usage = KrippendorffAlpha.PairableUnits(overall);
        var everyRater = Enumerable.Range(0, overall.RaterCount).ToArray();
        var raterF1 = everyRater.Select(r => new RaterF1(overall.RaterIds[r],
            BalancedF1.Of(JudgeAgreement.Pairs(overall, r, everyRater, Met), AgreementCategories[Met], AgreementCategories[1 - Met]))).ToList();
        var tagAgreement = agreement.Skip(1).Select((g, i) =>
        {
            var used = KrippendorffAlpha.PairableUnits(g.Units.Ratings);
            return new TagAgreement(g.Tag!, used.Used, used.LeftOut, WithInterval(alphas[i + 1], alphaIntervals[i + 1]));
        }).ToList();

        return new ChecklistReport(
            marks.Count, data.Answers.Length, data.CaseCount, overall.RaterCount,
            [.. models.OrderByDescending(m => m.Score.Value ?? double.NegativeInfinity).ThenBy(m => m.Model, StringComparer.Ordinal)],
            answers,
            new ChecklistAgreement(usage.Used, usage.LeftOut, WithInterval(alphas[0], alphaIntervals[0]), tagAgreement, raterF1),
            data.CaseCount is null ? ChecklistResampling.Responses : ChecklistResampling.Cases,
            resamples, options.Seed);
    }

    static Estimate ModelEstimate(Series series, int[] ones, ConfidenceInterval? interval, Message whyNone) =>
        series.Count == 0 ? Estimate.Absent(whyNone) : Estimate.Of(series.ClippedMean(ones), interval);

    static Estimate WithInterval(Estimate alpha, ConfidenceInterval? interval) => alpha with { Ci95 = alpha.HasValue ? interval : null };

    /// <summary>A rater's score of an answer on its criteria (those carrying <paramref name="tag"/>; all when null):
    /// the points of the criteria met over the positive points; null when no criterion has positive points.</summary>
    static double? RaterScore(Answer answer, int rater, string? tag)
    {
        long achieved = 0, possible = 0;
        var met = answer.Raters[rater];
        for (var c = 0; c < answer.Criteria.Count; c++)
        {
            var criterion = answer.Criteria[c];
            if (tag is not null && !criterion.Tags.Contains(tag)) continue;
            if (criterion.Points > 0) possible += criterion.Points;
            if (met[c]) achieved += criterion.Points;
        }
        return possible == 0 ? null : (double)achieved / possible;
    }

    /// <summary>An answer's score: the mean of its raters' scores; null when it has none.</summary>
    static double? AnswerMean(Answer answer, string? tag)
    {
        double sum = 0;
        foreach (var rater in answer.Raters.Keys)
        {
            // Every rater marks every criterion, so one rater's score is undefined exactly when all are.
            if (RaterScore(answer, rater, tag) is not { } score) return null;
            sum += score;
        }
        return sum / answer.Raters.Count;
    }

    static Series SeriesOf(IEnumerable<Answer> answers, string? tag)
    {
        var units = new List<int>();
        var values = new List<double>();
        foreach (var answer in answers)
            if (AnswerMean(answer, tag) is { } score)
            {
                units.Add(answer.ResampledUnit);
                values.Add(score);
            }
        return new Series([.. units], [.. values]);
    }

    /// <summary>Answers' scores with each answer's resampled unit (its case, or itself).</summary>
    internal sealed class Series(int[] units, double[] values)
    {
        public int Count => values.Length;

        /// <summary>The mean of the scores, each counted as often as its unit's weight, clipped to [0, 1]; NaN when no
        /// unit of these answers was drawn.</summary>
        public double ClippedMean(ReadOnlySpan<int> weights)
        {
            double sum = 0;
            long count = 0;
            for (var i = 0; i < values.Length; i++)
            {
                var weight = weights[units[i]];
                sum += weight * values[i];
                count += weight;
            }
            return count == 0 ? double.NaN : Math.Clamp(sum / count, 0, 1);
        }
    }

    /// <summary>The agreement's (answer, criterion) units × raters matrix of met / not met, with each unit's answer.</summary>
    sealed record Agreeing(RatingMatrix Ratings, int[] UnitAnswer);

    /// <summary>The units of the criteria carrying <paramref name="tag"/> (all when null).</summary>
    static Agreeing AgreementUnits(Tabulated data, string? tag)
    {
        var raters = data.RaterIds.Length;
        var cells = new List<int>();
        var unitAnswer = new List<int>();
        for (var a = 0; a < data.Answers.Length; a++)
        {
            var answer = data.Answers[a];
            for (var c = 0; c < answer.Criteria.Count; c++)
            {
                if (tag is not null && !answer.Criteria[c].Tags.Contains(tag)) continue;
                unitAnswer.Add(a);
                var row = new int[raters];
                Array.Fill(row, RatingMatrix.Missing);
                foreach (var (rater, met) in answer.Raters) row[rater] = met[c] ? Met : 1 - Met;
                cells.AddRange(row);
            }
        }
        return new Agreeing(RatingMatrix.FromCells(unitAnswer.Count, raters, AgreementCategories, [.. cells], raterIds: data.RaterIds), [.. unitAnswer]);
    }

    /// <summary>One thread's buffers for its resamples.</summary>
    sealed class Workspace(int resampledUnits, IEnumerable<int> agreementUnits)
    {
        public readonly int[] Weights = new int[resampledUnits];
        public readonly int[][] UnitWeights = [.. agreementUnits.Select(n => new int[n])];
    }

    sealed record Criterion(string Id, int Points, IReadOnlySet<string> Tags);

    /// <summary>An answer: its criteria in the order the marks first name them, and each rater's marks of them by rater
    /// index, in the criteria's order: <see cref="Marks"/> as read (null where not marked yet), <see cref="Raters"/>
    /// once every rater is known to have marked every criterion; <see cref="ResampledUnit"/> is its case's index, or
    /// its own without cases.</summary>
    sealed class Answer(string id, string model, string? @case)
    {
        public string Id => id;
        public string Model => model;
        public string? Case => @case;
        public int ResampledUnit { get; set; }
        public List<Criterion> Criteria { get; } = [];
        public Dictionary<string, int> CriterionIndex { get; } = new(StringComparer.Ordinal);
        public Dictionary<int, List<bool?>> Marks { get; } = [];
        public Dictionary<int, bool[]> Raters { get; } = [];
    }

    sealed record Tabulated(Answer[] Answers, string[] RaterIds, int? CaseCount, int ResampledUnits);

    static Tabulated Tabulate(IReadOnlyList<ChecklistMark> marks)
    {
        var answers = new Dictionary<string, Answer>(StringComparer.Ordinal);
        var inOrder = new List<Answer>();
        var raterIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var withCase = 0;
        foreach (var mark in marks)
        {
            ArgumentNullException.ThrowIfNull(mark);
            if (mark.Points == 0) throw new ArgumentException($"criterion \"{mark.Criterion}\" of response \"{mark.Response}\" is worth 0 points", nameof(marks));
            if (mark.Case is not null) withCase++;
            if (!answers.TryGetValue(mark.Response, out var answer))
            {
                answers[mark.Response] = answer = new Answer(mark.Response, mark.Model, mark.Case);
                inOrder.Add(answer);
            }
            if (answer.Model != mark.Model) throw new ArgumentException($"response \"{mark.Response}\" is by \"{answer.Model}\" and by \"{mark.Model}\"", nameof(marks));
            if (answer.Case != mark.Case) throw new ArgumentException($"response \"{mark.Response}\" is of case \"{answer.Case}\" and of case \"{mark.Case}\"", nameof(marks));
            var tags = mark.Tags.ToHashSet(StringComparer.Ordinal);
            if (!answer.CriterionIndex.TryGetValue(mark.Criterion, out var c))
            {
                c = answer.CriterionIndex[mark.Criterion] = answer.Criteria.Count;
                answer.Criteria.Add(new Criterion(mark.Criterion, mark.Points, tags));
            }
            var criterion = answer.Criteria[c];
            if (criterion.Points != mark.Points)
                throw new ArgumentException($"criterion \"{mark.Criterion}\" of response \"{mark.Response}\" is worth {criterion.Points} and {mark.Points} points", nameof(marks));
            if (!criterion.Tags.SetEquals(tags))
                throw new ArgumentException($"criterion \"{mark.Criterion}\" of response \"{mark.Response}\" has two different sets of tags", nameof(marks));
            if (!raterIndex.TryGetValue(mark.Rater, out var rater)) rater = raterIndex[mark.Rater] = raterIndex.Count;
            if (!answer.Marks.TryGetValue(rater, out var own)) answer.Marks[rater] = own = [];
            while (own.Count <= c) own.Add(null);
            if (own[c] is not null)
                throw new ArgumentException($"rater \"{mark.Rater}\" marked criterion \"{mark.Criterion}\" of response \"{mark.Response}\" twice", nameof(marks));
            own[c] = mark.Met;
        }
        if (withCase != 0 && withCase != marks.Count) throw new ArgumentException("some marks give their answer's case and others do not", nameof(marks));

        var raterIds = new string[raterIndex.Count];
        foreach (var (id, i) in raterIndex) raterIds[i] = id;
        var caseIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var list = inOrder.ToArray();
        for (var a = 0; a < list.Length; a++)
        {
            var answer = list[a];
            foreach (var (rater, own) in answer.Marks)
            {
                var met = new bool[answer.Criteria.Count];
                for (var c = 0; c < met.Length; c++)
                    met[c] = c < own.Count && own[c] is { } value ? value
                        : throw new ArgumentException($"rater \"{raterIds[rater]}\" marked response \"{answer.Id}\" but not its criterion \"{answer.Criteria[c].Id}\"", nameof(marks));
                answer.Raters[rater] = met;
            }
            answer.ResampledUnit = answer.Case is { } id
                ? caseIndex.TryGetValue(id, out var known) ? known : caseIndex[id] = caseIndex.Count
                : a;
        }
        return withCase == 0
            ? new Tabulated(list, raterIds, null, list.Length)
            : new Tabulated(list, raterIds, caseIndex.Count, caseIndex.Count);
    }
}
