namespace GradeBench.Core.Agreement;

/// <summary>Percentile bootstrap intervals of several coefficients from the same resamples, in one pass per resample
/// (docs/agreement.md, "Bootstrap confidence intervals"). The units are reduced once to their count patterns
/// (<see cref="UnitPatterns"/>); resample b draws the units with <see cref="Bootstrap.DrawUnitWeights"/>'s scheme,
/// adds each draw to its pattern's weight, and computes every coefficient from exact integer sums over the
/// weighted patterns. The resamples run in parallel; each has its own draws and its own slot for its values, so the
/// intervals for a seed are the same on any number of threads, and equal to
/// <see cref="Bootstrap.PercentileInterval"/> of each coefficient's unit-weighted form.</summary>
public static class AgreementBootstrap
{
    static readonly string[] TwoRaterCoefficients = ["cohen_kappa", "weighted_kappa_linear", "weighted_kappa_quadratic"];

    static readonly Dictionary<string, Func<Resample, Estimate>> Coefficients = new()
    {
        ["cohen_kappa"] = r => r.Kappa(AgreementWeights.None),
        ["weighted_kappa_linear"] = r => r.Kappa(AgreementWeights.Linear),
        ["weighted_kappa_quadratic"] = r => r.Kappa(AgreementWeights.Quadratic),
        ["fleiss_kappa"] = r => FleissKappa.FromSums(r.Ratings, r.Multirater(AgreementWeights.None)),
        ["randolph_kappa"] = r => FleissKappa.RandolphFromSums(r.Ratings, r.Multirater(AgreementWeights.None)),
        ["krippendorff_alpha_nominal"] = r => KrippendorffAlpha.FromCoincidences(r.Ratings, MeasurementLevel.Nominal, r.Coincidences),
        ["krippendorff_alpha_ordinal"] = r => KrippendorffAlpha.FromCoincidences(r.Ratings, MeasurementLevel.Ordinal, r.Coincidences),
        ["krippendorff_alpha_interval"] = r => KrippendorffAlpha.FromCoincidences(r.Ratings, MeasurementLevel.Interval, r.Coincidences),
        ["krippendorff_alpha_ratio"] = r => KrippendorffAlpha.FromCoincidences(r.Ratings, MeasurementLevel.Ratio, r.Coincidences),
        ["gwet_ac1"] = r => GwetAc.FromSums(r.Ratings, r.Multirater(AgreementWeights.None)),
        ["gwet_ac2_linear"] = r => GwetAc.FromSums(r.Ratings, r.Multirater(AgreementWeights.Linear)),
        ["gwet_ac2_quadratic"] = r => GwetAc.FromSums(r.Ratings, r.Multirater(AgreementWeights.Quadratic)),
    };

    /// <summary>The coefficients this engine resamples, by their report names (<see cref="AgreementAnalysis"/>).</summary>
    public static IReadOnlyCollection<string> Supported => Coefficients.Keys;

    /// <summary>The 95% percentile interval of each named coefficient (null where fewer than half of the resamples
    /// give a value), from <paramref name="resamples"/> resamples of the units drawn with <paramref name="seed"/>.
    /// Cohen's kappas need exactly two raters.</summary>
    public static IReadOnlyDictionary<string, ConfidenceInterval?> Intervals(RatingMatrix ratings, IReadOnlyList<string> coefficients,
        int resamples = Bootstrap.DefaultResamples, int seed = Bootstrap.DefaultSeed) =>
        Intervals(ratings, coefficients, resamples, seed, maxThreads: -1);

    /// <param name="maxThreads">-1: as many as the machine offers.</param>
    internal static IReadOnlyDictionary<string, ConfidenceInterval?> Intervals(RatingMatrix ratings, IReadOnlyList<string> coefficients,
        int resamples, int seed, int maxThreads)
    {
        var computes = Computes(ratings, coefficients);
        var result = new Dictionary<string, ConfidenceInterval?>();
        if (ratings.UnitCount == 0 || resamples <= 0 || computes.Length == 0)
        {
            foreach (var name in coefficients) result[name] = null;
            return result;
        }

        var patterns = UnitPatterns.Of(ratings);
        var values = new double[computes.Length * resamples]; // [coefficient * resamples + resample]
        Parallel.For(0, resamples, new ParallelOptions { MaxDegreeOfParallelism = maxThreads },
            () => new Resample(ratings, patterns),
            (b, _, resample) =>
            {
                resample.Draw(seed, b);
                for (var i = 0; i < computes.Length; i++)
                    values[i * resamples + b] = computes[i](resample).Value ?? double.NaN;
                return resample;
            },
            _ => { });
        for (var i = 0; i < computes.Length; i++)
            result[coefficients[i]] = Bootstrap.Interval(values.AsSpan(i * resamples, resamples));
        return result;
    }

    /// <summary>The intervals of several rating sets (each with its coefficients) at once, each equal to
    /// <see cref="Intervals(RatingMatrix, IReadOnlyList{string}, int, int)"/> of that set alone. Resample b's unit
    /// weights depend only on the seed, b and the number of units, so sets with as many units share them: drawn
    /// once per resample and added into each set's pattern weights (the criteria of a study all have one unit
    /// per response).</summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, ConfidenceInterval?>> Intervals(
        IReadOnlyList<(RatingMatrix Ratings, IReadOnlyList<string> Coefficients)> sets,
        int resamples = Bootstrap.DefaultResamples, int seed = Bootstrap.DefaultSeed)
    {
        ArgumentNullException.ThrowIfNull(sets);
        var computes = sets.Select(set => Computes(set.Ratings, set.Coefficients)).ToArray();
        var results = new Dictionary<string, ConfidenceInterval?>[sets.Count];
        var active = new List<int>();
        for (var s = 0; s < sets.Count; s++)
        {
            results[s] = [];
            if (sets[s].Ratings.UnitCount == 0 || resamples <= 0 || computes[s].Length == 0)
                foreach (var name in sets[s].Coefficients) results[s][name] = null;
            else active.Add(s);
        }
        if (active.Count == 0) return results;

        var patterns = new UnitPatterns[sets.Count];
        Parallel.ForEach(active, s => patterns[s] = UnitPatterns.Of(sets[s].Ratings));
        // Sets sharing a unit count share the draws; a set alone adds its draws straight into its patterns.
        var groups = active.GroupBy(s => sets[s].Ratings.UnitCount).Select(g => g.ToArray()).ToArray();
        var values = active.ToDictionary(s => s, s => new double[computes[s].Length * resamples]);
        Parallel.For(0, resamples,
            () => (Resamples: active.ToDictionary(s => s, s => new Resample(sets[s].Ratings, patterns[s])),
                Draws: groups.Select(g => g.Length > 1 ? new int[sets[g[0]].Ratings.UnitCount] : null).ToArray()),
            (b, _, state) =>
            {
                for (var g = 0; g < groups.Length; g++)
                {
                    var draws = state.Draws[g];
                    if (draws is not null) Bootstrap.DrawUnitWeights(seed, b, draws);
                    foreach (var s in groups[g])
                    {
                        var resample = state.Resamples[s];
                        if (draws is null) resample.Draw(seed, b);
                        else resample.Add(draws);
                        for (var i = 0; i < computes[s].Length; i++)
                            values[s][i * resamples + b] = computes[s][i](resample).Value ?? double.NaN;
                    }
                }
                return state;
            },
            _ => { });
        foreach (var s in active)
            for (var i = 0; i < computes[s].Length; i++)
                results[s][sets[s].Coefficients[i]] = Bootstrap.Interval(values[s].AsSpan(i * resamples, resamples));
        return results;
    }

    static Func<Resample, Estimate>[] Computes(RatingMatrix ratings, IReadOnlyList<string> coefficients)
    {
        ArgumentNullException.ThrowIfNull(ratings);
        var computes = coefficients.Select(name => Coefficients.TryGetValue(name, out var compute)
            ? compute
            : throw new ArgumentException($"\"{name}\" is not a bootstrapped coefficient.", nameof(coefficients))).ToArray();
        if (ratings.RaterCount != 2 && coefficients.Any(TwoRaterCoefficients.Contains))
            throw new ArgumentException("Cohen's kappas need exactly two raters.", nameof(coefficients));
        return computes;
    }

    /// <summary>One thread's resample: the pattern weights of its draws and the sums the coefficients share,
    /// each computed at most once per resample.</summary>
    sealed class Resample(RatingMatrix ratings, UnitPatterns patterns)
    {
        readonly int[] _weights = new int[patterns.Count];
        readonly long[] _table = new long[ratings.CategoryCount * ratings.CategoryCount];
        MultiraterAgreement? _none, _linear, _quadratic;
        Coincidences? _coincidences;
        long? _tableUnits;

        public RatingMatrix Ratings => ratings;

        public void Draw(int seed, int resample)
        {
            Array.Clear(_weights);
            var random = Bootstrap.Generator(seed, resample);
            var patternOfUnit = patterns.PatternOfUnit;
            var n = patternOfUnit.Length;
            for (var i = 0; i < n; i++) _weights[patternOfUnit[random.NextBelow(n)]]++;
            (_none, _linear, _quadratic, _coincidences, _tableUnits) = (null, null, null, null, null);
        }

        /// <summary>The same pattern weights from unit weights drawn already (<see cref="Bootstrap.DrawUnitWeights"/>).</summary>
        public void Add(ReadOnlySpan<int> unitWeights)
        {
            Array.Clear(_weights);
            var patternOfUnit = patterns.PatternOfUnit;
            for (var u = 0; u < unitWeights.Length; u++) _weights[patternOfUnit[u]] += unitWeights[u];
            (_none, _linear, _quadratic, _coincidences, _tableUnits) = (null, null, null, null, null);
        }

        public MultiraterAgreement Multirater(AgreementWeights weights) => weights switch
        {
            AgreementWeights.Linear => _linear ??= Sums(weights),
            AgreementWeights.Quadratic => _quadratic ??= Sums(weights),
            _ => _none ??= Sums(weights),
        };

        MultiraterAgreement Sums(AgreementWeights weights) =>
            MultiraterAgreement.From(ratings, weights, patterns.Counts, patterns.Totals, _weights);

        public Coincidences Coincidences => _coincidences ??=
            Coincidences.From(ratings.CategoryCount, ratings.RaterCount, patterns.Counts, patterns.Totals, _weights);

        public Estimate Kappa(AgreementWeights weights)
        {
            var k = ratings.CategoryCount;
            if (_tableUnits is null)
            {
                Array.Clear(_table);
                _tableUnits = CohenKappa.Tally(k, patterns.Cells, ratings.RaterCount, 0, 1, _weights, _table);
            }
            return CohenKappa.FromTable(k, _table, _tableUnits.Value, weights);
        }
    }
}
