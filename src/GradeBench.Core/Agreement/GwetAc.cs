namespace GradeBench.Core.Agreement;

/// <summary>Gwet's agreement coefficients AC1 (nominal) and AC2 (weighted), which are far less sensitive than kappa to
/// skewed prevalence (the "high agreement, low kappa" paradox).</summary>
public static class GwetAc
{
    /// <summary>Gwet's AC1 (no weights) or AC2 (linear or quadratic weights):
    /// AC = (pₐ − pₑ) / (1 − pₑ) with pₑ = T_w / (K (K − 1)) · Σ_k π_k (1 − π_k), where T_w = Σ_kl w_kl is the sum of the
    /// K×K weights (K without weights) and K the number of categories of the declared scale, unused ones included
    /// (Gwet 2008, "Computing inter-rater reliability and its variance in the presence of high agreement", Br J Math
    /// Stat Psychol 61:29–48; Gwet 2014, Handbook of Inter-Rater Reliability, 4th ed., ch. 2–3). Multiple raters and
    /// missing ratings as in R irrCAC <c>gwet.ac1.raw</c>: pₐ = (1/n₂) Σ_{u: r_u ≥ 2} Σ_k c_uk (c*_uk − 1) / (r_u (r_u − 1))
    /// with c*_uk = Σ_l w_kl c_ul over the units with at least two ratings; π_k = (1/n) Σ_u c_uk / r_u over the units
    /// with at least one rating. Weights are on category positions: linear 1 − |i−j|/(K−1), quadratic 1 − (i−j)²/(K−1)².</summary>
    /// <param name="unitWeights">Empty: every unit once. Else how many times each unit counts (a bootstrap resample).</param>
    public static Estimate Compute(RatingMatrix ratings, AgreementWeights weights = AgreementWeights.None, ReadOnlySpan<int> unitWeights = default) =>
        FromSums(ratings, MultiraterAgreement.From(ratings, weights, unitWeights));

    /// <param name="sums">pₐ and π of the weighting wanted.</param>
    internal static Estimate FromSums(RatingMatrix ratings, MultiraterAgreement sums)
    {
        var k = ratings.CategoryCount;
        if (sums.MissingDataReason(ratings) is { } reason) return Estimate.Absent(reason);
        if (k < 2) return Estimate.Absent(AbsentReason.GwetSingleCategory);
        double spread = 0;
        foreach (var p in sums.Prevalence) spread += p * (1 - p);
        var chance = sums.WeightSum / (k * (k - 1.0)) * spread;
        // pₑ < 1 for every weighting offered here (T_w < K² once K ≥ 2), but a guard costs nothing.
        if (chance >= 1) return Estimate.Absent(AbsentReason.GwetChanceIsOne);
        return Estimate.Of((sums.Observed - chance) / (1 - chance));
    }
}
