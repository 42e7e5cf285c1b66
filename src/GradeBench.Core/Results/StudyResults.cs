using System.Globalization;
using GradeBench.Core.Agreement;
using GradeBench.Core.Rubrics;

namespace GradeBench.Core.Results;

/// <summary>One criterion's agreement on the independent ratings: the coefficients of its level (with bootstrap
/// intervals), the pairwise agreement of raters and each rater's bias, and the matrix for confusion tables.</summary>
public sealed record CriterionResult(long Id, Criterion Criterion, MeasurementLevel Level, RatingMatrix Matrix, CriterionAgreementReport Agreement);

/// <summary>One line of the agreement table (the page's and <c>agreement.csv</c>'s): <see cref="Units"/> are the units
/// with at least two ratings, the ones the coefficients use.</summary>
public sealed record AgreementRow(string Criterion, string Label, string Level, string Metric, double? Value, double? CiLower,
    double? CiUpper, int Units, int Raters, string? Reading, string? Reason);

/// <summary><see cref="MedianSecondsPerItem"/> is the median over the rater's timed responses (<see cref="TimedItems"/>)
/// of the seconds from the first value saved in the browser to the submit; imported ratings have no timing.
/// <see cref="Leniency"/>: per criterion id, <see cref="CriterionAgreement.Bias"/>.</summary>
public sealed record RaterSummary(long Id, string Name, int Items, int Ratings, double? MedianSecondsPerItem, int TimedItems,
    IReadOnlyDictionary<long, RaterBias> Leniency);

public sealed record CategoryShare(string Category, int Count, Estimate Proportion);

/// <summary>A model's ratings of one criterion: the mean and median for likert and numeric criteria, the share of
/// each category for ordinal, binary and nominal ones; intervals are percentile bootstraps over cases.</summary>
public sealed record ModelSummary(string Model, int Ratings, int Cases, Estimate? Mean, Estimate? Median, IReadOnlyList<CategoryShare> Shares);

/// <summary>Model A against model B over the cases where both have ratings: <see cref="MeanDifference"/> is the mean
/// over those cases of (A's per-case mean − B's); <see cref="Test"/> the Wilcoxon signed-rank test of the per-case
/// means (null when no case differs); <see cref="HolmP"/> its p-value adjusted over the criterion's pairs.</summary>
public sealed record ModelComparison(string ModelA, string ModelB, int Cases, double? MeanDifference, SignedRankTest? Test, double? HolmP);

public sealed record CriterionModels(long Id, Criterion Criterion, IReadOnlyList<ModelSummary> Models, IReadOnlyList<ModelComparison> Comparisons);

/// <summary>How many spans of each label (columns, in <see cref="Labels"/> order) each model's responses got;
/// <see cref="Names"/> are the labels' names people read, in the same order.</summary>
public sealed record SpanCounts(IReadOnlyList<string> Labels, IReadOnlyList<(string Model, int Responses, int[] Counts)> Rows, IReadOnlyList<string> Names);

public sealed record StudyResultsReport(
    IReadOnlyList<CriterionResult> Agreement,
    IReadOnlyList<RaterSummary> Raters,
    IReadOnlyList<string> Models,
    IReadOnlyList<CriterionModels> ModelResults,
    SpanCounts Spans,
    bool OnConsensus)
{
    public IEnumerable<AgreementRow> AgreementRows() => StudyResults.Rows(Agreement);
}

/// <summary>The study results (docs/results.md). Every bootstrap uses <c>resamples</c> resamples, resample b drawn from
/// its own generator seeded from (<c>seed</c>, b) (defaults: <see cref="Bootstrap.DefaultResamples"/>,
/// <see cref="Bootstrap.DefaultSeed"/>; docs/agreement.md), so the same ratings always give the same numbers.</summary>
public static class StudyResults
{
    /// <param name="onConsensus">Model tables on the consensus value where a response × criterion has one (one rating
    /// instead of the raters'); agreement and raters are always on the independent ratings.</param>
    public static StudyResultsReport Compute(ResultsInput input, bool onConsensus = false,
        int resamples = Bootstrap.DefaultResamples, int seed = Bootstrap.DefaultSeed)
    {
        var agreement = Agreement(input.Criteria, input.Ratings, resamples, seed);
        var models = input.Responses.Select(r => r.Model).Distinct().Order(StringComparer.Ordinal).ToList();
        return new StudyResultsReport(agreement, Raters(input, agreement), models,
            ModelResults(input, models, onConsensus, resamples, seed), Spans(input, models), onConsensus);
    }

    /// <summary>Agreement per criterion that has a measurement level, in rubric order: <see cref="AgreementAnalysis.Run"/>
    /// and <see cref="CriterionAgreement"/> on the criterion's submitted ratings (units: responses).</summary>
    public static IReadOnlyList<CriterionResult> Agreement(IReadOnlyList<ResultCriterion> criteria, IReadOnlyList<ResultRating> ratings,
        int resamples = Bootstrap.DefaultResamples, int seed = Bootstrap.DefaultSeed)
    {
        var byCriterion = ratings.ToLookup(r => r.CriterionId);
        var results = new List<CriterionResult>();
        foreach (var (id, criterion) in criteria)
        {
            if (CriterionRatings.Level(criterion) is not { } level) continue;
            var stored = byCriterion[id].Select(r => new StoredRating(r.ResponseId, r.RaterId, r.Value)).ToList();
            var matrix = CriterionRatings.Matrix(criterion, stored);
            results.Add(new CriterionResult(id, criterion, level, matrix, CriterionAgreement.Run(matrix, level, resamples, seed)));
        }
        return results;
    }

    /// <summary>The agreement table: one row per criterion × coefficient, with its conventional reading.</summary>
    public static IEnumerable<AgreementRow> Rows(IEnumerable<CriterionResult> agreement)
    {
        foreach (var result in agreement)
        {
            var report = result.Agreement.Coefficients;
            foreach (var metric in report.Metrics)
            {
                var e = metric.Estimate;
                yield return new AgreementRow(result.Criterion.Id, result.Criterion.Label, result.Level.ToString().ToLowerInvariant(), metric.Name,
                    e.Value, e.Ci95?.Lower, e.Ci95?.Upper, report.Units - report.UnitsLeftOut, report.Raters,
                    AgreementReading.Of(metric.Name, e.Value), e.Reason);
            }
        }
    }

    static IReadOnlyList<RaterSummary> Raters(ResultsInput input, IReadOnlyList<CriterionResult> agreement)
    {
        var ratings = input.Ratings.ToLookup(r => r.RaterId);
        var timings = input.Timings.ToLookup(t => t.RaterId);
        return input.Raters.Select(rater =>
        {
            var seconds = timings[rater.Id].Select(t => (t.Submitted - t.FirstSaved).TotalSeconds).Where(s => s >= 0).Order().ToArray();
            var key = rater.Id.ToString(CultureInfo.InvariantCulture);
            var leniency = agreement
                .Select(c => (c.Id, Bias: c.Agreement.Bias.FirstOrDefault(b => b.Rater == key)))
                .Where(x => x.Bias is not null)
                .ToDictionary(x => x.Id, x => x.Bias!);
            return new RaterSummary(rater.Id, rater.Name, ratings[rater.Id].Select(r => r.ResponseId).Distinct().Count(), ratings[rater.Id].Count(),
                seconds.Length == 0 ? null : Bootstrap.Quantile(seconds, 0.5), seconds.Length, leniency);
        }).ToList();
    }

    /// <summary>A rating's number for means and tests: likert and numeric values as numbers, ordinal values as their
    /// position on the scale (0 = first option); null for nominal, binary and text criteria.</summary>
    public static double? Score(Criterion criterion, string value) => criterion.Type switch
    {
        CriterionType.Likert or CriterionType.Numeric => double.Parse(value, CultureInfo.InvariantCulture),
        CriterionType.Ordinal => criterion.Options.Select(o => o.Value).ToList().IndexOf(value) is var i and >= 0 ? i : null,
        _ => null,
    };

    static IReadOnlyList<CriterionModels> ModelResults(ResultsInput input, IReadOnlyList<string> models, bool onConsensus, int resamples, int seed)
    {
        var responses = input.Responses.ToDictionary(r => r.Id);
        var consensus = onConsensus ? input.Consensus.ToDictionary(c => (c.ResponseId, c.CriterionId), c => c.Value) : [];
        var byCriterion = input.Ratings.ToLookup(r => r.CriterionId);
        var results = new List<CriterionModels>();
        foreach (var (id, criterion) in input.Criteria)
        {
            if (criterion.Type == CriterionType.Text) continue;
            // (response, value) pairs: the raters' values, or the single consensus value where there is one.
            var values = byCriterion[id].Where(r => !consensus.ContainsKey((r.ResponseId, id))).Select(r => (r.ResponseId, r.Value))
                .Concat(consensus.Where(c => c.Key.CriterionId == id).Select(c => (c.Key.ResponseId, c.Value)))
                .Where(v => responses.ContainsKey(v.ResponseId))
                .ToList();
            var categories = CriterionRatings.Categories(criterion, values.Select(v => v.Value).Distinct());
            var numeric = criterion.Type is CriterionType.Likert or CriterionType.Numeric;
            var summaries = new List<ModelSummary>();
            // Per model, per case (in case order): the values of the model's responses to that case.
            var perCase = new Dictionary<string, Dictionary<string, List<string>>>();
            foreach (var model in models)
            {
                var cases = values.Where(v => responses[v.ResponseId].Model == model)
                    .GroupBy(v => responses[v.ResponseId].CaseId)
                    .ToDictionary(g => g.Key, g => g.Select(v => v.Value).ToList());
                perCase[model] = cases;
                var groups = cases.Values.ToArray();
                summaries.Add(numeric
                    ? NumericSummary(model, groups.Select(g => g.Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray(), resamples, seed)
                    : CategorySummary(model, groups, categories, resamples, seed));
            }
            var comparisons = criterion.Type is CriterionType.Likert or CriterionType.Numeric or CriterionType.Ordinal
                ? ModelPairs.Compare(criterion, models, perCase)
                : [];
            results.Add(new CriterionModels(id, criterion, summaries, comparisons));
        }
        return results;
    }

    static ModelSummary NumericSummary(string model, double[][] cases, int resamples, int seed)
    {
        var ratings = cases.Sum(c => c.Length);
        if (ratings == 0) return new ModelSummary(model, 0, 0, null, null, []);
        var ones = Enumerable.Repeat(1, cases.Length).ToArray();
        var mean = WeightedMean(cases, ones)!.Value;
        var median = WeightedMedian(cases, ones)!.Value;
        return new ModelSummary(model, ratings, cases.Length,
            Estimate.Of(mean, Bootstrap.PercentileInterval(cases.Length, w => WeightedMean(cases, w), resamples, seed)),
            Estimate.Of(median, Bootstrap.PercentileInterval(cases.Length, w => WeightedMedian(cases, w), resamples, seed)),
            []);
    }

    static ModelSummary CategorySummary(string model, List<string>[] cases, IReadOnlyList<string> categories, int resamples, int seed)
    {
        var ratings = cases.Sum(c => c.Count);
        if (ratings == 0) return new ModelSummary(model, 0, 0, null, null, []);
        var ones = Enumerable.Repeat(1, cases.Length).ToArray();
        var shares = categories.Select(category =>
        {
            var counts = cases.Select(c => c.Count(v => v == category)).ToArray();
            var sizes = cases.Select(c => c.Count).ToArray();
            double? Share(ReadOnlySpan<int> w)
            {
                double hit = 0, all = 0;
                for (var i = 0; i < counts.Length; i++) { hit += w[i] * counts[i]; all += w[i] * sizes[i]; }
                return all == 0 ? null : hit / all;
            }
            return new CategoryShare(category, counts.Sum(),
                Estimate.Of(Share(ones)!.Value, Bootstrap.PercentileInterval(cases.Length, w => Share(w), resamples, seed)));
        }).ToList();
        return new ModelSummary(model, ratings, cases.Length, null, null, shares);
    }

    static double? WeightedMean(double[][] cases, ReadOnlySpan<int> weights)
    {
        double sum = 0, count = 0;
        for (var i = 0; i < cases.Length; i++)
        {
            foreach (var v in cases[i]) sum += weights[i] * v;
            count += weights[i] * cases[i].Length;
        }
        return count == 0 ? null : sum / count;
    }

    /// <summary>The median of all ratings with each case's ratings repeated as often as the case was drawn.</summary>
    static double? WeightedMedian(double[][] cases, ReadOnlySpan<int> weights)
    {
        var pooled = new List<(double Value, int Count)>();
        long total = 0;
        for (var i = 0; i < cases.Length; i++)
        {
            if (weights[i] == 0) continue;
            foreach (var v in cases[i]) pooled.Add((v, weights[i]));
            total += (long)weights[i] * cases[i].Length;
        }
        if (total == 0) return null;
        pooled.Sort((a, b) => a.Value.CompareTo(b.Value));
        return (At(pooled, (total - 1) / 2) + At(pooled, total / 2)) / 2;

        static double At(List<(double Value, int Count)> sorted, long index)
        {
            foreach (var (value, count) in sorted)
            {
                if (index < count) return value;
                index -= count;
            }
            throw new ArgumentOutOfRangeException(nameof(index));
        }
    }

    static SpanCounts Spans(ResultsInput input, IReadOnlyList<string> models)
    {
        var modelOf = input.Responses.ToDictionary(r => r.Id, r => r.Model);
        var labelIndex = input.SpanLabels.Select((l, i) => (l, i)).ToDictionary(x => x.l, x => x.i);
        var rows = models.Select(m => (Model: m, Responses: input.Responses.Count(r => r.Model == m), Counts: new int[input.SpanLabels.Count])).ToList();
        var rowOf = rows.ToDictionary(r => r.Model);
        foreach (var span in input.Spans)
            if (modelOf.TryGetValue(span.ResponseId, out var model) && labelIndex.TryGetValue(span.Label, out var label))
                rowOf[model].Counts[label]++;
        var names = input.SpanLabels.Select(l => input.SpanLabelNames?.GetValueOrDefault(l) ?? l).ToList();
        return new SpanCounts(input.SpanLabels, rows, names);
    }
}
