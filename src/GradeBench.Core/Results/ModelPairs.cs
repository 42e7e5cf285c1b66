using GradeBench.Core.Rubrics;

namespace GradeBench.Core.Results;

/// <summary>Each pair of models on one criterion (docs/results.md, "Pairwise differences between models"): the Wilcoxon signed-rank test
/// of the per-case means over the cases both have, with Holm's adjustment over the criterion's pairs. Per-case means
/// and their differences are exact <see cref="Fraction"/>s, so zeros and ties are found as R would find them on the
/// exact values (8/3 and 8/3 tie; in doubles they may not).</summary>
public static class ModelPairs
{
    /// <summary>The pairs of the criterion's models, in the order given, over the cases both have (in case id order).</summary>
    public static IReadOnlyList<ModelComparison> Compare(CriterionCases cases)
    {
        var criterion = cases.Criterion;
        var scores = cases.Values.Select(v => Score(criterion, v)).ToArray();
        var models = cases.Models;
        // Per model, per case number: the position of the model's case (-1: none) and its exact mean.
        var slots = new int[models.Count][];
        var means = new Fraction?[models.Count][];
        Parallel.For(0, models.Count, m =>
        {
            (slots[m], means[m]) = (new int[cases.CaseIds.Length], new Fraction?[cases.CaseIds.Length]);
            Array.Fill(slots[m], -1);
            var model = models[m];
            for (var i = 0; i < model.CaseCount; i++)
            {
                slots[m][model.CaseNumbers[i]] = i;
                means[m][model.CaseNumbers[i]] = Mean(model.Values.AsSpan(model.Starts[i], model.Starts[i + 1] - model.Starts[i]), scores);
            }
        });
        var pairOf = Enumerable.Range(0, models.Count).SelectMany(a => Enumerable.Range(a + 1, models.Count - a - 1).Select(b => (a, b))).ToArray();
        var pairs = new ModelComparison[pairOf.Length];
        // The pairs on both cores, each in its own slot: the same list in the same order on any number of threads.
        Parallel.For(0, pairOf.Length, p =>
        {
            var (a, b) = pairOf[p];
            var shared = Enumerable.Range(0, cases.CaseIds.Length).Where(c => slots[a][c] >= 0 && slots[b][c] >= 0).ToList();
            pairs[p] = Exact(means[a], means[b], shared) is { } differences
                ? new ModelComparison(models[a].Model, models[b].Model, shared.Count, MeanOf(differences), WilcoxonSignedRank.Test(differences), null)
                : Rounded(cases, models[a], slots[a], models[b], slots[b], shared);
        });
        var tested = pairs.Where(p => p.Test is not null).ToList();
        var adjusted = Holm.Adjust(tested.Select(p => p.Test!.PValue).ToList());
        return pairs.Select(p => tested.IndexOf(p) is var i and >= 0 ? p with { HolmP = adjusted[i] } : p).ToList();
    }

    static Fraction? Mean(ReadOnlySpan<int> values, Fraction?[] scores)
    {
        try
        {
            var sum = Fraction.Zero;
            foreach (var value in values)
            {
                if (scores[value] is not { } score) return null;
                sum += score;
            }
            return values.Length == 0 ? null : sum / values.Length;
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    /// <summary>The exact mean of one case's values: likert and numeric values as the decimals they are written as,
    /// ordinal values as their position on the scale. Null when a value has no exact <see cref="Fraction"/> (a number of
    /// more than 18 significant digits, or one beyond ±9.2·10¹⁸) or the sum does not fit.</summary>
    public static Fraction? CaseMean(Criterion criterion, IReadOnlyList<string> values) =>
        Mean(Enumerable.Range(0, values.Count).ToArray(), values.Select(v => Score(criterion, v)).ToArray());

    static Fraction? Score(Criterion criterion, string value) => criterion.Type switch
    {
        CriterionType.Likert or CriterionType.Numeric => Fraction.TryParse(value, out var number) ? number : null,
        _ => StudyResults.Score(criterion, value) is { } position ? new Fraction((long)position) : null,
    };

    static Fraction[]? Exact(Fraction?[] x, Fraction?[] y, List<int> shared)
    {
        var differences = new Fraction[shared.Count];
        try
        {
            for (var i = 0; i < shared.Count; i++)
            {
                if (x[shared[i]] is not { } a || y[shared[i]] is not { } b) return null;
                differences[i] = a - b;
            }
            return differences;
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    static double? MeanOf(Fraction[] differences) => differences.Length == 0 ? null : differences.Average(d => d.ToDouble());

    /// <summary>Values without an exact fraction (far beyond any rating scale): the test in floating point, as before.</summary>
    static ModelComparison Rounded(CriterionCases cases, ModelCases modelA, int[] slotsA, ModelCases modelB, int[] slotsB, List<int> shared)
    {
        double CaseMean(ModelCases model, int slot)
        {
            double sum = 0;
            for (var v = model.Starts[slot]; v < model.Starts[slot + 1]; v++) sum += StudyResults.Score(cases.Criterion, cases.Values[model.Values[v]])!.Value;
            return sum / (model.Starts[slot + 1] - model.Starts[slot]);
        }
        var x = shared.Select(c => CaseMean(modelA, slotsA[c])).ToList();
        var y = shared.Select(c => CaseMean(modelB, slotsB[c])).ToList();
        return new ModelComparison(modelA.Model, modelB.Model, shared.Count,
            shared.Count == 0 ? null : x.Zip(y, (p, q) => p - q).Average(), WilcoxonSignedRank.Test(x, y), null);
    }
}
