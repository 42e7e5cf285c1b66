using GradeBench.Core.Agreement;
using GradeBench.Core.Messages;

namespace GradeBench.Core.Spans;

/// <summary>How <see cref="SpanAgreement"/> computes its intervals.</summary>
public sealed record SpanAgreementOptions
{
    /// <summary>0: no bootstrap intervals.</summary>
    public int BootstrapResamples { get; init; } = Bootstrap.DefaultResamples;

    public int Seed { get; init; } = Bootstrap.DefaultSeed;

    /// <summary>The labels to report, in this order, each whether or not a span has it (a study's labels); null: the
    /// labels of the spans, in ordinal order.</summary>
    public IReadOnlyList<string>? Labels { get; init; }
}

/// <summary>Agreement on spans, overall or on one label: pairwise F1 with exact and with overlap matching, and
/// Krippendorff's α_u, each with its 95% interval, or why it has none.</summary>
public sealed record SpanFigures(Estimate F1Exact, Estimate F1Overlap, Estimate AlphaU);

/// <summary>The agreement on one label's spans.</summary>
public sealed record LabelFigures(string Label, SpanFigures Figures);

/// <summary>The span statistics: <see cref="Spans"/> distinct spans in <see cref="Documents"/> documents by
/// <see cref="Raters"/> raters, of which <see cref="PairedDocuments"/> were read by two or more raters (the others
/// compare no one and enter no figure); the figures overall and per label (ordinal order); the bootstrap run.</summary>
public sealed record SpanAgreementReport(
    int Documents,
    int PairedDocuments,
    int Raters,
    int Spans,
    SpanFigures Overall,
    IReadOnlyList<LabelFigures> Labels,
    int BootstrapResamples,
    int Seed);

/// <summary>Agreement of raters who marked labelled spans in the same documents (docs/spans.md): the one entry point
/// for these numbers. Pairwise F1 (<see cref="SpanF1"/>) and Krippendorff's α_u (<see cref="UnitizingAlpha"/>) overall
/// and per label; the bootstrap resamples the documents read by two or more raters with <see cref="Bootstrap"/>'s
/// seeded draws and percentile intervals, every figure of resample b from the same weights, resamples in parallel each
/// in its own slot, so the numbers for a seed do not depend on the number of threads.</summary>
public static class SpanAgreement
{
    static readonly Message NoPairedDocument = new("Span_NoPairedDocument");
    static readonly Message F1NoSpans = new("Span_F1NoSpans");
    static readonly Message AlphaNoExtent = new("Span_AlphaNoExtent");

    const int FiguresPerGroup = 3;

    /// <exception cref="ArgumentException">Two documents with one id, a reader named twice, or a span of another
    /// document, by a rater who is not a reader, not within 0 ≤ start ≤ end ≤ length, or of a label not among
    /// <see cref="SpanAgreementOptions.Labels"/>.</exception>
    public static SpanAgreementReport Run(IReadOnlyList<SpanDocument> documents, SpanAgreementOptions? options = null) =>
        Run(documents, options ?? new SpanAgreementOptions(), maxThreads: -1);

    /// <param name="maxThreads">-1: as many as the machine offers.</param>
    internal static SpanAgreementReport Run(IReadOnlyList<SpanDocument> documents, SpanAgreementOptions options, int maxThreads)
    {
        if (options.BootstrapResamples < 0) throw new ArgumentOutOfRangeException(nameof(options), "BootstrapResamples must be 0 or more.");
        var figures = new Figures(SpanTable.Of(documents, options.Labels));
        var table = figures.Table;
        var count = FiguresPerGroup * (1 + table.Labels.Length);

        var ones = new int[table.Paired.Length];
        Array.Fill(ones, 1);
        var point = new double[count];
        figures.Evaluate(ones, point);

        var resamples = options.BootstrapResamples;
        var intervals = new ConfidenceInterval?[count];
        if (resamples > 0 && table.Paired.Length > 0)
        {
            var values = new double[count * resamples]; // [figure * resamples + b]
            Parallel.For(0, resamples, new ParallelOptions { MaxDegreeOfParallelism = maxThreads },
                () => (Weights: new int[table.Paired.Length], Values: new double[count]),
                (b, _, work) =>
                {
                    Bootstrap.DrawUnitWeights(options.Seed, b, work.Weights);
                    figures.Evaluate(work.Weights, work.Values);
                    for (var f = 0; f < count; f++) values[f * resamples + b] = work.Values[f];
                    return work;
                },
                _ => { });
            for (var f = 0; f < count; f++) intervals[f] = Bootstrap.Interval(values.AsSpan(f * resamples, resamples));
        }

        SpanFigures Group(int g)
        {
            Estimate Figure(int k, Message whyNone)
            {
                var f = g * FiguresPerGroup + k;
                return double.IsFinite(point[f]) ? Estimate.Of(point[f], intervals[f])
                    : Estimate.Absent(table.Paired.Length == 0 ? NoPairedDocument : whyNone);
            }
            return new SpanFigures(Figure(0, F1NoSpans), Figure(1, F1NoSpans), Figure(2, AlphaNoExtent));
        }

        return new SpanAgreementReport(
            table.Documents, table.Paired.Length, table.Raters, table.Spans,
            Group(0), [.. table.Labels.Select((label, l) => new LabelFigures(label, Group(1 + l)))],
            resamples, options.Seed);
    }

    /// <summary>Krippendorff's α_u with its D_o and D_e, every document counted once: of one label, or overall (null;
    /// D_o and D_e are then the means over the labels, as dkpro reports them).</summary>
    internal static (double Observed, double Expected, double Alpha) Unitizing(IReadOnlyList<SpanDocument> documents, string? label)
    {
        var figures = new Figures(SpanTable.Of(documents));
        var labels = figures.Table.Labels;
        var ones = new int[figures.Table.Paired.Length];
        Array.Fill(ones, 1);
        var (length, mass) = UnitizingAlpha.Continuum(figures.Table.Paired, ones);
        double observed = 0, expected = 0;
        foreach (var l in label is null ? Enumerable.Range(0, labels.Length) : [Array.IndexOf(labels, label)])
        {
            var parts = figures.Alphas[l].Disagreement(ones, length, mass);
            (observed, expected) = (observed + parts.Observed, expected + parts.Expected);
        }
        var groups = label is null ? labels.Length : 1;
        return (observed / groups, expected / groups, Alpha(observed, expected));
    }

    /// <summary>1 − D_o / D_e; NaN when D_e is 0.</summary>
    static double Alpha(double observed, double expected) => expected > 0 ? 1 - observed / expected : double.NaN;

    /// <summary>The figures' per-document sums, from which each resample's figures follow by weighting documents.</summary>
    sealed class Figures
    {
        public SpanTable Table { get; }
        public UnitizingAlpha[] Alphas { get; }
        readonly (F1Tally[] Exact, F1Tally[] Overlap)[] _tallies;

        public Figures(SpanTable table)
        {
            Table = table;
            _tallies = [.. Enumerable.Range(0, table.Labels.Length).Select(l => SpanF1.Tallies(table, l))];
            Alphas = [.. Enumerable.Range(0, table.Labels.Length).Select(l => new UnitizingAlpha(table, l))];
        }

        /// <summary>Overall then each label: F1 exact, F1 overlap, α_u; NaN where undefined. Overall F1 sums the labels'
        /// tallies (matches are within a label); overall α_u = 1 − Σ D_o / Σ D_e over the labels, as dkpro's
        /// <c>calculateAgreement</c> (the mean D_o over the mean D_e).</summary>
        public void Evaluate(ReadOnlySpan<int> weights, Span<double> values)
        {
            var (length, mass) = UnitizingAlpha.Continuum(Table.Paired, weights);
            F1Tally allExact = default, allOverlap = default;
            double allObserved = 0, allExpected = 0;
            for (var l = 0; l < Table.Labels.Length; l++)
            {
                F1Tally exact = default, overlap = default;
                for (var d = 0; d < weights.Length; d++)
                {
                    if (weights[d] == 0) continue;
                    exact += weights[d] * _tallies[l].Exact[d];
                    overlap += weights[d] * _tallies[l].Overlap[d];
                }
                var (observed, expected) = Alphas[l].Disagreement(weights, length, mass);
                Set(values, 1 + l, exact, overlap, Alpha(observed, expected));
                (allExact, allOverlap) = (allExact + exact, allOverlap + overlap);
                (allObserved, allExpected) = (allObserved + observed, allExpected + expected);
            }
            Set(values, 0, allExact, allOverlap, Alpha(allObserved, allExpected));
        }

        static void Set(Span<double> values, int group, F1Tally exact, F1Tally overlap, double alpha)
        {
            values[group * FiguresPerGroup] = exact.F1 ?? double.NaN;
            values[group * FiguresPerGroup + 1] = overlap.F1 ?? double.NaN;
            values[group * FiguresPerGroup + 2] = alpha;
        }
    }
}
