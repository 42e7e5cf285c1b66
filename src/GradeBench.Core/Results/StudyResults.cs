using System.Globalization;
using GradeBench.Core.Agreement;
using GradeBench.Core.Messages;
using GradeBench.Core.Rubrics;

namespace GradeBench.Core.Results;

/// <summary>One criterion's agreement on the independent ratings: the coefficients of its level (with bootstrap
/// intervals), the pairwise agreement of raters and each rater's bias, and the matrix for confusion tables.</summary>
public sealed record CriterionResult(long Id, Criterion Criterion, MeasurementLevel Level, RatingMatrix Matrix, CriterionAgreementReport Agreement);

/// <summary>One line of the agreement table (the page's and <c>agreement.csv</c>'s): <see cref="Units"/> are the units
/// with at least two ratings, the ones the coefficients use.</summary>
public sealed record AgreementRow(string Criterion, string Label, string Level, string Metric, double? Value, double? CiLower,
    double? CiUpper, int Units, int Raters, string? Reading, Message? Reason);

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
        // The agreement and the model tables are independent: computed side by side, each also parallel inside.
        var agreementTask = Task.Run(() => Agreement(input.Criteria, input.Ratings, resamples, seed, input.UnitOrder));
        var models = input.Responses.Select(r => r.Model).Distinct().Order(StringComparer.Ordinal).ToList();
        var modelResults = ModelResults(input, models, onConsensus, resamples, seed);
        var spans = Spans(input, models);
        var agreement = agreementTask.GetAwaiter().GetResult();
        return new StudyResultsReport(agreement, Raters(input, agreement), models, modelResults, spans, onConsensus);
    }

    /// <summary>Agreement per criterion that has a measurement level, in rubric order: <see cref="AgreementAnalysis.Run"/>
    /// and <see cref="CriterionAgreement"/> on the criterion's submitted ratings (units: responses).</summary>
    /// <param name="unitOrder">Each response's number in the bootstrap (<see cref="ResultsInput.UnitOrder"/>); null: id order.</param>
    public static IReadOnlyList<CriterionResult> Agreement(IReadOnlyList<ResultCriterion> criteria, IReadOnlyList<ResultRating> ratings,
        int resamples = Bootstrap.DefaultResamples, int seed = Bootstrap.DefaultSeed, IReadOnlyDictionary<long, int>? unitOrder = null)
    {
        var rated = criteria.Where(c => CriterionRatings.Level(c.Criterion) is not null).ToList();
        var index = rated.Select((c, i) => (c.Id, i)).ToDictionary(x => x.Id, x => x.i);
        var byCriterion = rated.Select(_ => new List<StoredRating>()).ToArray();
        foreach (var r in ratings)
            if (index.TryGetValue(r.CriterionId, out var i)) byCriterion[i].Add(new StoredRating(r.ResponseId, r.RaterId, r.Value));
        var sets = new (RatingMatrix Ratings, MeasurementLevel Level)[rated.Count];
        // Criteria in parallel, each in its own slot: the same results in rubric order on any number of threads.
        Parallel.For(0, rated.Count, i => sets[i] = (CriterionRatings.Matrix(rated[i].Criterion, byCriterion[i], unitOrder),
            CriterionRatings.Level(rated[i].Criterion)!.Value));
        // Together, so criteria with as many responses share each resample's draws.
        var reports = CriterionAgreement.RunAll(sets, resamples, seed);
        return rated.Select((c, i) => new CriterionResult(c.Id, c.Criterion, sets[i].Level, sets[i].Ratings, reports[i])).ToList();
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
        // One pass over the ratings: per rater, the values and the distinct responses.
        var counts = input.Raters.Select(r => r.Id).Distinct().ToDictionary(id => id, _ => (Ratings: 0, Responses: new HashSet<long>()));
        foreach (var rating in input.Ratings)
            if (counts.TryGetValue(rating.RaterId, out var count))
            {
                counts[rating.RaterId] = count with { Ratings = count.Ratings + 1 };
                count.Responses.Add(rating.ResponseId);
            }
        var timings = input.Timings.ToLookup(t => t.RaterId);
        return input.Raters.Select(rater =>
        {
            var seconds = timings[rater.Id].Select(t => (t.Submitted - t.FirstSaved).TotalSeconds).Where(s => s >= 0).Order().ToArray();
            var key = rater.Id.ToString(CultureInfo.InvariantCulture);
            var leniency = agreement
                .Select(c => (c.Id, Bias: c.Agreement.Bias.FirstOrDefault(b => b.Rater == key)))
                .Where(x => x.Bias is not null)
                .ToDictionary(x => x.Id, x => x.Bias!);
            return new RaterSummary(rater.Id, rater.Name, counts[rater.Id].Responses.Count, counts[rater.Id].Ratings,
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

    /// <summary>The model tables of every criterion but text ones, in rubric order: per model the summaries of
    /// <see cref="ModelBootstrap"/> (cases numbered in the order of their first value), and the pairs of
    /// <see cref="ModelPairs"/>.</summary>
    public static IReadOnlyList<CriterionModels> ModelResults(ResultsInput input, IReadOnlyList<string> models, bool onConsensus,
        int resamples = Bootstrap.DefaultResamples, int seed = Bootstrap.DefaultSeed)
    {
        var criteria = input.Criteria.Where(c => c.Criterion.Type != CriterionType.Text).ToList();
        var cases = CaseValues.Of(input, criteria, models, onConsensus, CriterionRatings.Categories);
        var summaries = ModelBootstrap.Summaries(cases, resamples, seed);
        // Criteria's pairs in parallel, each in its own slot.
        var pairs = new IReadOnlyList<ModelComparison>[criteria.Count];
        Parallel.For(0, criteria.Count, i => pairs[i] = criteria[i].Criterion.Type is CriterionType.Likert or CriterionType.Numeric or CriterionType.Ordinal
            ? ModelPairs.Compare(cases[i])
            : []);
        return criteria.Select((c, i) => new CriterionModels(c.Id, c.Criterion, summaries[i], pairs[i])).ToList();
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
