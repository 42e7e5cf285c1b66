using GradeBench.Core.Rubrics;

namespace GradeBench.Core.Results;

/// <summary>Each pair of models on one criterion (docs/results.md, "Pairwise differences between models"): the Wilcoxon signed-rank test
/// of the per-case means over the cases both have, with Holm's adjustment over the criterion's pairs. Per-case means
/// and their differences are exact <see cref="Fraction"/>s, so zeros and ties are found as R would find them on the
/// exact values (8/3 and 8/3 tie; in doubles they may not).</summary>
public static class ModelPairs
{
    /// <param name="perCase">Per model, per case: the values (as stored) of the model's responses to that case.</param>
    public static IReadOnlyList<ModelComparison> Compare(Criterion criterion, IReadOnlyList<string> models,
        IReadOnlyDictionary<string, Dictionary<string, List<string>>> perCase)
    {
        var means = models.ToDictionary(m => m, m => perCase[m].ToDictionary(c => c.Key, c => CaseMean(criterion, c.Value)));
        var pairs = new List<ModelComparison>();
        for (var a = 0; a < models.Count; a++)
            for (var b = a + 1; b < models.Count; b++)
            {
                var (x, y) = (means[models[a]], means[models[b]]);
                var shared = x.Keys.Where(y.ContainsKey).Order(StringComparer.Ordinal).ToList();
                pairs.Add(Exact(x, y, shared) is { } differences
                    ? new ModelComparison(models[a], models[b], shared.Count, MeanOf(differences), WilcoxonSignedRank.Test(differences), null)
                    : Rounded(criterion, models[a], models[b], perCase, shared));
            }
        var tested = pairs.Where(p => p.Test is not null).ToList();
        var adjusted = Holm.Adjust(tested.Select(p => p.Test!.PValue).ToList());
        return pairs.Select(p => tested.IndexOf(p) is var i and >= 0 ? p with { HolmP = adjusted[i] } : p).ToList();
    }

    /// <summary>The exact mean of one case's values: likert and numeric values as the decimals they are written as,
    /// ordinal values as their position on the scale. Null when a value has no exact <see cref="Fraction"/> (a number of
    /// more than 18 significant digits, or one beyond ±9.2·10¹⁸) or the sum does not fit.</summary>
    public static Fraction? CaseMean(Criterion criterion, IReadOnlyList<string> values)
    {
        try
        {
            var sum = Fraction.Zero;
            foreach (var value in values)
            {
                if (Score(criterion, value) is not { } score) return null;
                sum += score;
            }
            return values.Count == 0 ? null : sum / values.Count;
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    static Fraction? Score(Criterion criterion, string value) => criterion.Type switch
    {
        CriterionType.Likert or CriterionType.Numeric => Fraction.TryParse(value, out var number) ? number : null,
        _ => StudyResults.Score(criterion, value) is { } position ? new Fraction((long)position) : null,
    };

    static Fraction[]? Exact(Dictionary<string, Fraction?> x, Dictionary<string, Fraction?> y, List<string> shared)
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
    static ModelComparison Rounded(Criterion criterion, string modelA, string modelB,
        IReadOnlyDictionary<string, Dictionary<string, List<string>>> perCase, List<string> shared)
    {
        double CaseMean(List<string> values) => values.Average(v => StudyResults.Score(criterion, v)!.Value);
        var x = shared.Select(c => CaseMean(perCase[modelA][c])).ToList();
        var y = shared.Select(c => CaseMean(perCase[modelB][c])).ToList();
        return new ModelComparison(modelA, modelB, shared.Count,
            shared.Count == 0 ? null : x.Zip(y, (p, q) => p - q).Average(), WilcoxonSignedRank.Test(x, y), null);
    }
}
