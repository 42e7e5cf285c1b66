namespace GradeBench.Core.Agreement;

public sealed record Metric(string Name, Estimate Estimate);

/// <summary>Every coefficient that applies to a set of ratings at a measurement level.</summary>
public sealed record AgreementReport(
    int Units,
    int UnitsLeftOut,
    int Raters,
    int Ratings,
    MeasurementLevel Level,
    IReadOnlyList<string> Categories,
    IReadOnlyList<Metric> Metrics)
{
    public Estimate? this[string name] => Metrics.FirstOrDefault(m => m.Name == name)?.Estimate;
}

/// <summary>Chooses and computes the coefficients that apply to the data and level (docs/agreement.md,
/// "Which coefficients are reported"), with bootstrap intervals for alpha, the kappas and AC1/AC2.</summary>
public static class AgreementAnalysis
{
    sealed record Candidate(string Name, Func<RatingMatrix, bool> Applies, Func<RatingMatrix, Estimate> Compute, bool Bootstrapped);

    static bool Ordered(MeasurementLevel level) => level >= MeasurementLevel.Ordinal;
    static bool TwoRaters(RatingMatrix m) => m.RaterCount == 2;
    static bool CompleteNumeric(RatingMatrix m) => m.IsComplete && m.IsNumeric;
    static bool NonNegative(RatingMatrix m) => m.CategoryValues is { } values && Array.TrueForAll(values, v => v >= 0);

    static IEnumerable<Candidate> Candidates(MeasurementLevel level)
    {
        yield return new("percent_agreement", _ => true, m => PercentAgreement.Compute(m), false);
        if (Ordered(level))
            yield return new("percent_agreement_within_1", _ => true, m => PercentAgreement.WithinOne(m), false);
        yield return new("cohen_kappa", TwoRaters, m => CohenKappa.Compute(m, AgreementWeights.None), true);
        if (Ordered(level))
        {
            yield return new("weighted_kappa_linear", TwoRaters, m => CohenKappa.Compute(m, AgreementWeights.Linear), true);
            yield return new("weighted_kappa_quadratic", TwoRaters, m => CohenKappa.Compute(m, AgreementWeights.Quadratic), true);
        }
        yield return new("fleiss_kappa", _ => true, m => FleissKappa.Compute(m), true);
        yield return new("randolph_kappa", _ => true, m => FleissKappa.Randolph(m), true);
        yield return new("krippendorff_alpha_nominal", _ => true, m => KrippendorffAlpha.Compute(m, MeasurementLevel.Nominal), true);
        if (Ordered(level))
            yield return new("krippendorff_alpha_ordinal", _ => true, m => KrippendorffAlpha.Compute(m, MeasurementLevel.Ordinal), true);
        if (level >= MeasurementLevel.Interval)
            yield return new("krippendorff_alpha_interval", m => m.IsNumeric, m => KrippendorffAlpha.Compute(m, MeasurementLevel.Interval), true);
        if (level == MeasurementLevel.Ratio)
            yield return new("krippendorff_alpha_ratio", NonNegative, m => KrippendorffAlpha.Compute(m, MeasurementLevel.Ratio), true);
        yield return new("gwet_ac1", _ => true, m => GwetAc.Compute(m, AgreementWeights.None), true);
        if (Ordered(level))
        {
            yield return new("gwet_ac2_linear", _ => true, m => GwetAc.Compute(m, AgreementWeights.Linear), true);
            yield return new("gwet_ac2_quadratic", _ => true, m => GwetAc.Compute(m, AgreementWeights.Quadratic), true);
        }
    }

    static readonly string[] IccNames = ["icc1", "icc2", "icc3", "icc1k", "icc2k", "icc3k"];

    /// <param name="bootstrapResamples">0 for no bootstrap intervals.</param>
    public static AgreementReport Run(RatingMatrix ratings, MeasurementLevel level,
        int bootstrapResamples = Bootstrap.DefaultResamples, int seed = Bootstrap.DefaultSeed) =>
        RunAll([(ratings, level)], bootstrapResamples, seed)[0];

    /// <summary><see cref="Run"/> of each set, the same reports; the bootstraps of sets with as many units share
    /// their draws (<see cref="AgreementBootstrap.Intervals(IReadOnlyList{ValueTuple{RatingMatrix, IReadOnlyList{string}}}, int, int)"/>).</summary>
    public static IReadOnlyList<AgreementReport> RunAll(IReadOnlyList<(RatingMatrix Ratings, MeasurementLevel Level)> sets,
        int bootstrapResamples = Bootstrap.DefaultResamples, int seed = Bootstrap.DefaultSeed)
    {
        ArgumentNullException.ThrowIfNull(sets);
        var reports = new AgreementReport[sets.Count];
        var resampled = new IReadOnlyList<string>[sets.Count];
        Parallel.For(0, sets.Count, s => (reports[s], resampled[s]) = Estimates(sets[s].Ratings, sets[s].Level));
        if (bootstrapResamples <= 0 || resampled.All(names => names.Count == 0)) return reports;
        // One engine for all of them: the same resamples, each reduced once (AgreementBootstrap).
        var intervals = AgreementBootstrap.Intervals(sets.Select((set, s) => (set.Ratings, resampled[s])).ToList(), bootstrapResamples, seed);
        for (var s = 0; s < reports.Length; s++)
        {
            var withIntervals = reports[s].Metrics.Select(m => intervals[s].TryGetValue(m.Name, out var ci)
                ? m with { Estimate = m.Estimate with { Ci95 = ci } }
                : m).ToList();
            reports[s] = reports[s] with { Metrics = withIntervals };
        }
        return reports;
    }

    /// <summary>The report without intervals, and the coefficients to resample.</summary>
    static (AgreementReport Report, IReadOnlyList<string> Resampled) Estimates(RatingMatrix ratings, MeasurementLevel level)
    {
        // The point estimates are independent of each other: computed on both cores, reported in a fixed order.
        var applicable = Candidates(level).Where(c => c.Applies(ratings)).ToArray();
        var estimates = new Estimate[applicable.Length];
        IntraclassCorrelationResult? icc = null;
        Estimate? kendall = null;
        var withIcc = level >= MeasurementLevel.Interval && CompleteNumeric(ratings);
        // W ranks by category position, so ordinal labels that are not numbers (none < mild < severe) rank too.
        var withKendall = Ordered(level) && ratings.IsComplete;
        Parallel.For(0, applicable.Length + 2, i =>
        {
            if (i < applicable.Length) estimates[i] = applicable[i].Compute(ratings);
            else if (i == applicable.Length && withIcc) icc = IntraclassCorrelation.Compute(ratings);
            else if (i == applicable.Length + 1 && withKendall) kendall = KendallW.Compute(ratings);
        });
        var metrics = applicable.Select((c, i) => new Metric(c.Name, estimates[i])).ToList();
        var resampled = applicable.Where((c, i) => c.Bootstrapped && estimates[i].HasValue).Select(c => c.Name).ToList();
        if (icc is not null)
        {
            Estimate[] forms = [icc.Icc1, icc.Icc2, icc.Icc3, icc.Icc1k, icc.Icc2k, icc.Icc3k];
            for (var i = 0; i < forms.Length; i++) metrics.Add(new Metric(IccNames[i], forms[i]));
        }
        if (kendall is not null) metrics.Add(new Metric("kendall_w", kendall));

        var usage = KrippendorffAlpha.PairableUnits(ratings);
        return (new AgreementReport(ratings.UnitCount, usage.LeftOut, ratings.RaterCount, ratings.RatingCount, level, ratings.Categories, metrics),
            resampled);
    }
}
