namespace GradeBench.Core.Agreement;

/// <summary>Multi-rater kappas on nominal data: Fleiss' kappa with fixed (pooled) marginals and Randolph's
/// free-marginal kappa.</summary>
public static class FleissKappa
{
    /// <summary>Fleiss' kappa κ = (pₐ − pₑ) / (1 − pₑ) with pₑ = Σ_k π_k² (Fleiss 1971, "Measuring nominal scale
    /// agreement among many raters", Psychological Bulletin 76(5):378–382), generalised to units with different numbers
    /// of ratings as in Gwet (2014, Handbook of Inter-Rater Reliability, 4th ed.) and R irrCAC <c>fleiss.kappa.raw</c>:
    /// pₐ averages, over the units with at least two ratings, the share of agreeing ordered pairs of ratings
    /// Σ_k c_uk (c_uk − 1) / (r_u (r_u − 1)); π_k = (1/n) Σ_u c_uk / r_u over the n units with at least one rating.
    /// With the same number of ratings on every unit this is exactly Fleiss (1971).</summary>
    /// <param name="unitWeights">Empty: every unit once. Else how many times each unit counts (a bootstrap resample).</param>
    public static Estimate Compute(RatingMatrix ratings, ReadOnlySpan<int> unitWeights = default) =>
        FromSums(ratings, MultiraterAgreement.From(ratings, AgreementWeights.None, unitWeights));

    internal static Estimate FromSums(RatingMatrix ratings, MultiraterAgreement sums)
    {
        if (sums.MissingDataReason(ratings) is { } reason) return Estimate.Absent(reason);
        double chance = 0;
        foreach (var p in sums.Prevalence) chance += p * p;
        // pₑ = 1 exactly when every rating is the same category: kappa is 0/0 there.
        if (chance >= 1)
            return Estimate.Absent(AbsentReason.FleissNoVariation);
        return Estimate.Of((sums.Observed - chance) / (1 - chance));
    }

    /// <summary>Randolph's free-marginal multirater kappa κ_free = (pₐ − 1/K) / (1 − 1/K) (Randolph 2005,
    /// "Free-marginal multirater kappa (multirater κfree): an alternative to Fleiss' fixed-marginal multirater kappa",
    /// Joensuu Learning and Instruction Symposium), with K the number of categories of the declared scale (unused ones
    /// included) and pₐ as in <see cref="Compute"/>. It is the multi-rater Brennan–Prediger coefficient of Gwet (2014)
    /// and irrCAC <c>bp.coeff.raw</c>; Randolph defined it for a fixed number of raters per unit, and units with
    /// different numbers of ratings are averaged per unit as for Fleiss' kappa.</summary>
    public static Estimate Randolph(RatingMatrix ratings, ReadOnlySpan<int> unitWeights = default) =>
        RandolphFromSums(ratings, MultiraterAgreement.From(ratings, AgreementWeights.None, unitWeights));

    internal static Estimate RandolphFromSums(RatingMatrix ratings, MultiraterAgreement sums)
    {
        var k = ratings.CategoryCount;
        if (sums.MissingDataReason(ratings) is { } reason) return Estimate.Absent(reason);
        if (k < 2) return Estimate.Absent(AbsentReason.RandolphSingleCategory);
        var chance = 1.0 / k;
        return Estimate.Of((sums.Observed - chance) / (1 - chance));
    }
}
