using System.Globalization;
using GradeBench.Core.Agreement;
using GradeBench.Core.Rubrics;

namespace GradeBench.Core.Results;

/// <summary>The model tables' percentile bootstraps over cases (docs/results.md, "Summaries per model and criterion"),
/// every statistic of every model and criterion from the same resamples. Each case is reduced once to a histogram of
/// its values over the criterion's distinct values, and cases with the same histogram to one pattern. Resample b
/// draws the case weights of <see cref="Bootstrap.DrawUnitWeights"/> (they depend on the number of cases, the seed
/// and b alone) once for every model × criterion with that number of cases, adds them into pattern weights, and
/// computes the mean (an exact sum), the median (cumulative counts) and each category's share from the weighted
/// histogram. Resamples run in parallel, each writing only its own slots, so the intervals for a seed are the same on
/// any number of threads and equal to <see cref="Bootstrap.PercentileInterval"/> of each statistic.</summary>
public static class ModelBootstrap
{
    public static IReadOnlyList<IReadOnlyList<ModelSummary>> Summaries(IReadOnlyList<CriterionCases> criteria,
        int resamples = Bootstrap.DefaultResamples, int seed = Bootstrap.DefaultSeed) =>
        Summaries(criteria, resamples, seed, maxThreads: -1);

    /// <param name="maxThreads">-1: as many as the machine offers.</param>
    internal static IReadOnlyList<IReadOnlyList<ModelSummary>> Summaries(IReadOnlyList<CriterionCases> criteria, int resamples, int seed, int maxThreads)
    {
        var tables = new List<Table>();
        var slots = 0;
        foreach (var criterion in criteria)
        {
            var keys = ValueKeys.Of(criterion);
            foreach (var model in criterion.Models.Where(m => m.CaseCount > 0))
            {
                var table = new Table(model, keys, slots);
                slots += table.StatisticCount;
                tables.Add(table);
            }
        }
        var values = new double[slots * Math.Max(resamples, 0)]; // [slot * resamples + resample]
        var caseCounts = tables.Select(t => t.CaseCount).Distinct().Order().ToArray();
        if (resamples > 0 && tables.Count > 0)
            Parallel.For(0, resamples, new ParallelOptions { MaxDegreeOfParallelism = maxThreads },
                () => new Scratch(tables),
                (b, _, scratch) =>
                {
                    foreach (var n in caseCounts)
                    {
                        var weights = scratch.Weights.AsSpan(0, n);
                        Bootstrap.DrawUnitWeights(seed, b, weights);
                        foreach (var table in tables)
                            if (table.CaseCount == n)
                                table.Compute(table.Histogram(weights, scratch), scratch.Statistics, values, b, resamples);
                    }
                    return scratch;
                },
                _ => { });

        var summaries = new List<IReadOnlyList<ModelSummary>>();
        var next = 0;
        foreach (var criterion in criteria)
            summaries.Add(criterion.Models.Select(model => model.CaseCount == 0
                ? new ModelSummary(model.Model, 0, 0, null, null, [])
                : tables[next++].Summary(values, resamples)).ToList());
        return summaries;
    }

    /// <summary>One thread's buffers, sized for the largest table.</summary>
    sealed class Scratch(IReadOnlyList<Table> tables)
    {
        public readonly int[] Weights = new int[tables.Max(t => t.CaseCount)];
        public readonly long[] PatternWeights = new long[tables.Max(t => t.PatternCount)];
        public readonly long[] Counts = new long[tables.Max(t => t.Keys.Count)];
        public readonly double[] Statistics = new double[tables.Max(t => t.StatisticCount)];
    }

    /// <summary>A criterion's distinct values, numbered: for likert and numeric criteria in numeric order, with each
    /// value's number and, where every value has one, its exact value as a numerator over a common denominator.</summary>
    sealed class ValueKeys
    {
        public required bool Numeric { get; init; }
        public required string[] Values { get; init; }
        public required Dictionary<string, int> Index { get; init; }
        public double[] Numbers { get; init; } = [];
        public long[]? Numerators { get; init; }
        public long Denominator { get; init; } = 1;
        public int[] Categories { get; init; } = [];
        /// <summary>The key of each of the criterion's values (<see cref="CriterionCases.Values"/>).</summary>
        public int[] KeyOfValue { get; init; } = [];
        public IReadOnlyList<string> CategoryNames { get; init; } = [];
        public int Count => Values.Length;

        public static ValueKeys Of(CriterionCases criterion)
        {
            var seen = criterion.Values;
            if (criterion.Criterion.Type is CriterionType.Likert or CriterionType.Numeric)
            {
                // Parsing throws on a value that is not a number, as summing it always did.
                var numbered = seen.Select(v => (Value: v, Number: double.Parse(v, CultureInfo.InvariantCulture)))
                    .OrderBy(v => v.Number).ThenBy(v => v.Value, StringComparer.Ordinal).ToArray();
                var values = numbered.Select(v => v.Value).ToArray();
                var (numerators, denominator) = Exact(values);
                return new ValueKeys
                {
                    Numeric = true, Values = values, Index = IndexOf(values), Numbers = numbered.Select(v => v.Number).ToArray(),
                    Numerators = numerators, Denominator = denominator, KeyOfValue = KeysOf(seen, values),
                };
            }
            var keys = criterion.Categories.Concat(seen.Except(criterion.Categories, StringComparer.Ordinal)).ToArray();
            var index = IndexOf(keys);
            return new ValueKeys
            {
                Numeric = false, Values = keys, Index = index, Categories = criterion.Categories.Select(c => index[c]).ToArray(),
                CategoryNames = criterion.Categories, KeyOfValue = KeysOf(seen, keys),
            };
        }

        static int[] KeysOf(string[] seen, string[] keys)
        {
            var index = IndexOf(keys);
            return seen.Select(v => index[v]).ToArray();
        }

        static Dictionary<string, int> IndexOf(string[] values)
        {
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < values.Length; i++) index.TryAdd(values[i], i);
            return index;
        }

        /// <summary>Each value as an integer over one common denominator; null when one has no exact
        /// <see cref="Fraction"/> or the numbers do not fit in 64 bits (then means are summed in floating point).</summary>
        static (long[]?, long) Exact(string[] values)
        {
            var fractions = new Fraction[values.Length];
            for (var i = 0; i < values.Length; i++)
                if (!Fraction.TryParse(values[i], out fractions[i])) return (null, 1);
            try
            {
                var denominator = fractions.Aggregate(1L, (d, f) => checked(d / (long)Gcd((ulong)d, (ulong)f.Denominator) * f.Denominator));
                return (fractions.Select(f => checked(f.Numerator * (denominator / f.Denominator))).ToArray(), denominator);
            }
            catch (OverflowException)
            {
                return (null, 1);
            }
        }

        static ulong Gcd(ulong a, ulong b)
        {
            while (b != 0) (a, b) = (b, a % b);
            return a;
        }
    }

    /// <summary>One model × criterion reduced to patterns: <see cref="_patternOfCase"/> in case order; pattern p's
    /// histogram is the (key, count) entries from <see cref="_entryStart"/>[p] to <see cref="_entryStart"/>[p + 1].</summary>
    sealed class Table
    {
        readonly string _model;
        readonly int _firstSlot;
        readonly int[] _patternOfCase;
        readonly int[] _patternCases;
        readonly int[] _entryStart;
        readonly int[] _entryKey;
        readonly int[] _entryCount;

        public Table(ModelCases model, ValueKeys keys, int firstSlot)
        {
            (_model, Keys, _firstSlot) = (model.Model, keys, firstSlot);
            CaseCount = model.CaseCount;
            Ratings = model.Values.Length;
            _patternOfCase = new int[CaseCount];
            // A pattern is its sorted keys, one char each (two past 65,535 keys), looked up without a string per case.
            var patterns = new Dictionary<string, int>(StringComparer.Ordinal);
            var lookup = patterns.GetAlternateLookup<ReadOnlySpan<char>>();
            var (starts, entryKeys, entryCounts, patternCases) = (new List<int> { 0 }, new List<int>(), new List<int>(), new List<int>());
            var width = keys.Count > char.MaxValue ? 2 : 1;
            var longest = CaseCount == 0 ? 0 : Enumerable.Range(0, CaseCount).Max(c => model.Starts[c + 1] - model.Starts[c]);
            var (sorted, chars) = (new int[longest], new char[longest * width]);
            for (var c = 0; c < CaseCount; c++)
            {
                var length = model.Starts[c + 1] - model.Starts[c];
                var caseKeys = sorted.AsSpan(0, length);
                for (var v = 0; v < length; v++) caseKeys[v] = keys.KeyOfValue[model.Values[model.Starts[c] + v]];
                caseKeys.Sort();
                var signature = chars.AsSpan(0, length * width);
                for (var v = 0; v < length; v++)
                    if (width == 1) signature[v] = (char)caseKeys[v];
                    else (signature[2 * v], signature[2 * v + 1]) = ((char)(caseKeys[v] >> 16), (char)caseKeys[v]);
                if (!lookup.TryGetValue(signature, out var pattern))
                {
                    patterns[signature.ToString()] = pattern = patterns.Count;
                    for (var v = 0; v < length; v++)
                    {
                        if (v == 0 || caseKeys[v] != caseKeys[v - 1]) { entryKeys.Add(caseKeys[v]); entryCounts.Add(0); }
                        entryCounts[^1]++;
                    }
                    starts.Add(entryKeys.Count);
                    patternCases.Add(0);
                }
                _patternOfCase[c] = pattern;
                patternCases[pattern]++;
            }
            (_entryStart, _entryKey, _entryCount, _patternCases) = (starts.ToArray(), entryKeys.ToArray(), entryCounts.ToArray(), patternCases.ToArray());
        }

        public ValueKeys Keys { get; }
        public int CaseCount { get; }
        public int Ratings { get; }
        public int PatternCount => _patternCases.Length;
        public int StatisticCount => Keys.Numeric ? 2 : Keys.Categories.Length;

        /// <summary>How many ratings of each value the cases weighted by <paramref name="weights"/> hold.</summary>
        public Span<long> Histogram(ReadOnlySpan<int> weights, Scratch scratch)
        {
            var patternWeights = scratch.PatternWeights.AsSpan(0, PatternCount);
            patternWeights.Clear();
            for (var c = 0; c < weights.Length; c++) patternWeights[_patternOfCase[c]] += weights[c];
            return Histogram(patternWeights, scratch.Counts.AsSpan(0, Keys.Count));
        }

        Span<long> Histogram(ReadOnlySpan<long> patternWeights, Span<long> counts)
        {
            counts.Clear();
            for (var p = 0; p < patternWeights.Length; p++)
            {
                var weight = patternWeights[p];
                if (weight == 0) continue;
                for (var e = _entryStart[p]; e < _entryStart[p + 1]; e++) counts[_entryKey[e]] += weight * _entryCount[e];
            }
            return counts;
        }

        /// <summary>The statistics of one weighted histogram into their slots for resample b (NaN where undefined).</summary>
        public void Compute(ReadOnlySpan<long> counts, Span<double> statistics, double[] values, int b, int resamples)
        {
            Statistics(counts, statistics);
            for (var s = 0; s < StatisticCount; s++) values[(_firstSlot + s) * resamples + b] = statistics[s];
        }

        void Statistics(ReadOnlySpan<long> counts, Span<double> statistics)
        {
            long total = 0;
            foreach (var count in counts) total += count;
            if (Keys.Numeric)
            {
                statistics[0] = total == 0 ? double.NaN : Mean(counts, total);
                statistics[1] = total == 0 ? double.NaN : (At(counts, (total - 1) / 2) + At(counts, total / 2)) / 2;
            }
            else
            {
                for (var s = 0; s < Keys.Categories.Length; s++)
                    statistics[s] = total == 0 ? double.NaN : (double)counts[Keys.Categories[s]] / total;
            }
        }

        /// <summary>The exact sum over the common denominator, divided once (one rounding while the sum and the
        /// denominator stay below 2⁵³; every likert scale does); in floating point, in value order, without one.</summary>
        double Mean(ReadOnlySpan<long> counts, long total)
        {
            if (Keys.Numerators is { } numerators)
            {
                Int128 sum = 0;
                for (var k = 0; k < counts.Length; k++) sum += (Int128)counts[k] * numerators[k];
                return (double)sum / ((double)Keys.Denominator * total);
            }
            double rounded = 0;
            for (var k = 0; k < counts.Length; k++) rounded += counts[k] * Keys.Numbers[k];
            return rounded / total;
        }

        /// <summary>The value at a 0-based position of the weighted ratings in numeric order.</summary>
        double At(ReadOnlySpan<long> counts, long index)
        {
            for (var k = 0; k < counts.Length; k++)
            {
                if (index < counts[k]) return Keys.Numbers[k];
                index -= counts[k];
            }
            throw new ArgumentOutOfRangeException(nameof(index));
        }

        public ModelSummary Summary(double[] values, int resamples)
        {
            var pointWeights = _patternCases.Select(c => (long)c).ToArray();
            var counts = new long[Keys.Count];
            Histogram(pointWeights, counts);
            var point = new double[StatisticCount];
            Statistics(counts, point);
            Estimate Of(int s) => Estimate.Of(point[s], resamples <= 0 ? null : Bootstrap.Interval(values.AsSpan((_firstSlot + s) * resamples, resamples)));
            return Keys.Numeric
                ? new ModelSummary(_model, Ratings, CaseCount, Of(0), Of(1), [])
                : new ModelSummary(_model, Ratings, CaseCount, null, null,
                    Keys.Categories.Select((k, s) => new CategoryShare(Keys.CategoryNames[s], (int)counts[k], Of(s))).ToList());
        }
    }
}
