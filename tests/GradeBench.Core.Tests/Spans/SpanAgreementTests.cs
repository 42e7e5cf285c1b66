using GradeBench.Core.Agreement;
using GradeBench.Core.Spans;

namespace GradeBench.Core.Tests.Spans;

public sealed class SpanAgreementTests
{
    static readonly SpanAgreementOptions NoBootstrap = new() { BootstrapResamples = 0 };

    /// <summary>A document and its readers' spans, written <c>("rater", "label", start, end)</c>; the readers are those
    /// named in <paramref name="readers"/>, in that order.</summary>
    internal static SpanDocument Document(string id, int length, string[] readers, params (string Rater, string Label, int Start, int End)[] spans) =>
        new(id, length, readers, [.. spans.Select(s => new Span(id, s.Rater, s.Label, s.Start, s.End))]);

    static double Value(Estimate estimate) => Assert.IsType<double>(estimate.Value);

    /// <summary>Worked by hand. Drug: [0,5) is marked by both (an exact match); [10,15) and [12,18) overlap (an overlap
    /// match only): exact 2·1/4, overlap 2·2/4. Dose: [20,25) against [30,35) and [10,15), which overlaps a's Drug span
    /// but is another label: no match of 3 spans. Overall: exact 2·1/7, overlap 2·2/7.</summary>
    [Fact]
    public void F1CountsExactAndOverlapMatchesWithinALabel()
    {
        var report = SpanAgreement.Run([Document("d1", 40, ["a", "b"],
            ("a", "Drug", 0, 5), ("a", "Drug", 10, 15), ("a", "Dose", 20, 25),
            ("b", "Drug", 0, 5), ("b", "Drug", 12, 18), ("b", "Dose", 30, 35), ("b", "Dose", 10, 15))], NoBootstrap);

        Assert.Equal(2.0 / 7, Value(report.Overall.F1Exact), 12);
        Assert.Equal(4.0 / 7, Value(report.Overall.F1Overlap), 12);
        Assert.Equal(["Dose", "Drug"], report.Labels.Select(l => l.Label));
        var (dose, drug) = (report.Labels[0].Figures, report.Labels[1].Figures);
        Assert.Equal((0.5, 1.0), (Value(drug.F1Exact), Value(drug.F1Overlap)));
        Assert.Equal((0.0, 0.0), (Value(dose.F1Exact), Value(dose.F1Overlap)));
    }

    /// <summary>Micro F1 sums over documents and pairs before dividing. d1: a and b agree on [0,4), c read it and marked
    /// nothing: pairs (a,b) 1 match of 2 spans, (a,c) and (b,c) none of 1 each. d2: a marked [5,9) twice (once counted),
    /// b marked [6,7): an overlap match, 2 spans. d3 was read by a alone and enters nothing. Exact 2·1/6, overlap 2·2/6;
    /// a mean of per-document F1 would give something else.</summary>
    [Fact]
    public void F1IsMicroOverDocumentsAndPairsWithReadersWithoutSpansAndIdenticalSpansOnce()
    {
        var report = SpanAgreement.Run([
            Document("d1", 10, ["a", "b", "c"], ("a", "X", 0, 4), ("b", "X", 0, 4)),
            Document("d2", 10, ["a", "b"], ("a", "X", 5, 9), ("a", "X", 5, 9), ("b", "X", 6, 7)),
            Document("d3", 10, ["a"], ("a", "X", 0, 3))], NoBootstrap);

        Assert.Equal(1.0 / 3, Value(report.Overall.F1Exact), 12);
        Assert.Equal(2.0 / 3, Value(report.Overall.F1Overlap), 12);
        Assert.Equal((3, 2, 3, 5), (report.Documents, report.PairedDocuments, report.Raters, report.Spans));
    }

    /// <summary>a: [0,10), [9,12); b: [2,10), [5,6). Taking a's spans in order and each one's first overlapping span of b
    /// pairs [0,10) with [2,10) and leaves [9,12) without a partner (1 match); the maximum matching is 2:
    /// [0,10)–[5,6) and [9,12)–[2,10).</summary>
    [Fact]
    public void OverlapMatchingIsMaximumWhereAGreedyPairingIsNot()
    {
        Extent[] a = [new(0, 10), new(9, 12)];
        Extent[] b = [new(2, 10), new(5, 6)];

        Assert.Equal(2, SpanF1.OverlapMatches(a, b));
        var report = SpanAgreement.Run([Document("d", 12, ["a", "b"],
            ("a", "X", 0, 10), ("a", "X", 9, 12), ("b", "X", 2, 10), ("b", "X", 5, 6))], NoBootstrap);
        Assert.Equal(1.0, Value(report.Overall.F1Overlap), 12);
        Assert.Equal(0.0, Value(report.Overall.F1Exact), 12);
    }

    /// <summary>Spans that only touch share no code point; an empty span covers none, so it overlaps nothing but its
    /// twin, with which it is an exact match (and so an overlap match too).</summary>
    [Fact]
    public void TouchingSpansDoNotOverlapAndEmptyTwinsMatch()
    {
        Assert.Equal(0, SpanF1.OverlapMatches([new(0, 5)], [new(5, 9)]));
        Assert.Equal(0, SpanF1.OverlapMatches([new(3, 3)], [new(0, 5)]));
        Assert.Equal(1, SpanF1.OverlapMatches([new(3, 3)], [new(3, 3)]));
        var report = SpanAgreement.Run([Document("d", 9, ["a", "b"], ("a", "X", 3, 3), ("b", "X", 3, 3))], NoBootstrap);
        Assert.Equal((1.0, 1.0), (Value(report.Overall.F1Exact), Value(report.Overall.F1Overlap)));
    }

    [Fact]
    public void WithoutADocumentReadTwiceEveryFigureIsAbsentWithTheReason()
    {
        var report = SpanAgreement.Run([Document("d1", 10, ["a"], ("a", "X", 0, 3)), Document("d2", 10, ["b"], ("b", "X", 0, 3))]);

        foreach (var figures in report.Labels.Select(l => l.Figures).Prepend(report.Overall))
            foreach (var estimate in new[] { figures.F1Exact, figures.F1Overlap, figures.AlphaU })
                Assert.Equal((null, "Span_NoPairedDocument", null), (estimate.Value, estimate.Reason?.Key, estimate.Ci95));
        Assert.Equal((2, 0), (report.Documents, report.PairedDocuments));
    }

    /// <summary>X was marked only where one rater read: the readers of d1 marked nothing, so X has no F1 (no spans) and
    /// no α_u (no mass, D_e = 0); Y, marked by both readers of d2, has its figures.</summary>
    [Fact]
    public void ALabelMarkedOnlyWhereNoOneElseReadHasNoFigures()
    {
        var report = SpanAgreement.Run([
            Document("d1", 10, ["a", "b"]),
            Document("d2", 10, ["a", "b"], ("a", "Y", 0, 3), ("b", "Y", 1, 3)),
            Document("d3", 10, ["a"], ("a", "X", 0, 3))], NoBootstrap);

        var x = report.Labels.Single(l => l.Label == "X").Figures;
        Assert.Equal(("Span_F1NoSpans", "Span_F1NoSpans", "Span_AlphaNoExtent"), (x.F1Exact.Reason?.Key, x.F1Overlap.Reason?.Key, x.AlphaU.Reason?.Key));
        var y = report.Labels.Single(l => l.Label == "Y").Figures;
        Assert.Equal((0.0, 1.0), (Value(y.F1Exact), Value(y.F1Overlap)));
        Assert.True(y.AlphaU.HasValue);
        Assert.Equal(Value(y.AlphaU), Value(report.Overall.AlphaU), 12);
    }

    /// <summary>Overall α_u is dkpro's: 1 − Σ D_o / Σ D_e over the labels, not the mean of the labels' α_u.</summary>
    [Fact]
    public void OverallAlphaPoolsTheLabelsDisagreements()
    {
        var document = Document("d", 30, ["a", "b"], ("a", "X", 0, 10), ("b", "X", 2, 10), ("a", "Y", 15, 20), ("b", "Y", 15, 25));

        var report = SpanAgreement.Run([document], NoBootstrap);

        var (x, y) = (SpanAgreement.Unitizing([document], "X"), SpanAgreement.Unitizing([document], "Y"));
        Assert.Equal(1 - (x.Observed + y.Observed) / (x.Expected + y.Expected), Value(report.Overall.AlphaU), 12);
        Assert.Equal(x.Alpha, Value(report.Labels[0].Figures.AlphaU), 12);
        Assert.NotEqual((x.Alpha + y.Alpha) / 2, Value(report.Overall.AlphaU), 6);
    }

    static IReadOnlyList<SpanDocument> Corpus() =>
    [
        Document("d1", 40, ["a", "b"], ("a", "Drug", 0, 5), ("b", "Drug", 0, 5), ("a", "Dose", 8, 12), ("b", "Dose", 9, 12)),
        Document("d2", 30, ["a", "b", "c"], ("a", "Drug", 3, 9), ("b", "Drug", 4, 9), ("c", "Drug", 3, 9), ("c", "Dose", 20, 24)),
        Document("d3", 25, ["b", "c"], ("b", "Drug", 10, 15), ("c", "Drug", 16, 20), ("b", "Dose", 0, 2), ("c", "Dose", 0, 2)),
        Document("d4", 20, ["a", "c"], ("a", "Dose", 2, 6)),
        Document("d5", 35, ["a", "b"], ("a", "Drug", 5, 9), ("b", "Drug", 5, 9), ("a", "Drug", 20, 30), ("b", "Drug", 22, 26)),
        Document("d6", 15, ["a", "b"], ("a", "Dose", 1, 4), ("b", "Dose", 1, 5)),
    ];

    /// <summary>Resample b counts each document as often as <see cref="Bootstrap.DrawUnitWeights"/> drew it for (seed,
    /// b): the intervals equal the percentiles of the figures of the documents copied that often, run without a
    /// bootstrap; the same seed gives the same report on one thread or many, another seed other intervals.</summary>
    [Fact]
    public void BootstrapResamplesDocumentsReproduciblyWithASeed()
    {
        var documents = Corpus();
        var options = new SpanAgreementOptions { BootstrapResamples = 60, Seed = 11 };

        var report = SpanAgreement.Run(documents, options);

        var values = new double[3][];
        for (var k = 0; k < 3; k++) values[k] = new double[options.BootstrapResamples];
        var weights = new int[documents.Count];
        for (var b = 0; b < options.BootstrapResamples; b++)
        {
            Bootstrap.DrawUnitWeights(options.Seed, b, weights);
            var copies = documents.SelectMany((d, i) => Enumerable.Range(0, weights[i]).Select(c =>
                d with { Id = $"{d.Id}#{c}", Spans = [.. d.Spans.Select(s => s with { Document = $"{d.Id}#{c}" })] })).ToList();
            // A resample may draw no document with Drug in it: then it has no figures.
            var drug = SpanAgreement.Run(copies, NoBootstrap).Labels.SingleOrDefault(l => l.Label == "Drug")?.Figures;
            (values[0][b], values[1][b], values[2][b]) = (drug?.F1Exact.Value ?? double.NaN, drug?.F1Overlap.Value ?? double.NaN, drug?.AlphaU.Value ?? double.NaN);
        }
        var figures = report.Labels.Single(l => l.Label == "Drug").Figures;
        Estimate[] estimates = [figures.F1Exact, figures.F1Overlap, figures.AlphaU];
        for (var k = 0; k < 3; k++)
        {
            var expected = Bootstrap.Interval(values[k])!.Value;
            var actual = estimates[k].Ci95!.Value;
            Assert.Equal(expected.Lower, actual.Lower, 12);
            Assert.Equal(expected.Upper, actual.Upper, 12);
        }

        Assert.Equal(report, SpanAgreement.Run(documents, options, maxThreads: 1), new ReportComparer());
        Assert.NotEqual(report.Overall.F1Exact.Ci95, SpanAgreement.Run(documents, options with { Seed = 12 }).Overall.F1Exact.Ci95);
        Assert.Equal((60, 11), (report.BootstrapResamples, report.Seed));
    }

    /// <summary>Reports are equal when every figure and interval is.</summary>
    sealed class ReportComparer : IEqualityComparer<SpanAgreementReport>
    {
        public bool Equals(SpanAgreementReport? x, SpanAgreementReport? y) =>
            x!.Overall == y!.Overall && x.Labels.SequenceEqual(y.Labels) && (x.Documents, x.Spans) == (y.Documents, y.Spans);

        public int GetHashCode(SpanAgreementReport obj) => obj.Documents;
    }

    [Fact]
    public void WithoutBootstrapThereAreNoIntervals()
    {
        var report = SpanAgreement.Run(Corpus(), NoBootstrap);

        Assert.All(report.Labels.Select(l => l.Figures).Prepend(report.Overall),
            f => Assert.Equal((true, true, true, null, null, null), (f.F1Exact.HasValue, f.F1Overlap.HasValue, f.AlphaU.HasValue, f.F1Exact.Ci95, f.F1Overlap.Ci95, f.AlphaU.Ci95)));
    }

    /// <summary>Labels given (a study's) are reported in their order, a label nobody marked with the reasons it has no
    /// figure; the figures of the others, and overall, are those of the labels of the spans.</summary>
    [Fact]
    public void GivenLabelsAreReportedInTheirOrderMarkedOrNot()
    {
        var report = SpanAgreement.Run(Corpus(), NoBootstrap with { Labels = ["Drug", "Route", "Dose"] });
        var ofSpans = SpanAgreement.Run(Corpus(), NoBootstrap);

        Assert.Equal(["Drug", "Route", "Dose"], report.Labels.Select(l => l.Label));
        Assert.Equal(ofSpans.Overall, report.Overall);
        Assert.Equal(ofSpans.Labels.Single(l => l.Label == "Drug"), report.Labels[0]);
        Assert.Equal(ofSpans.Labels.Single(l => l.Label == "Dose"), report.Labels[2]);
        var route = report.Labels[1].Figures;
        Assert.Equal(["Span_F1NoSpans", "Span_F1NoSpans", "Span_AlphaNoExtent"], new[] { route.F1Exact, route.F1Overlap, route.AlphaU }.Select(e => e.Reason?.Key));
    }

    [Fact]
    public void ASpanOfALabelNotGivenIsRefused() =>
        Assert.Contains("has the label \"Dose\", which is not among the labels given",
            Assert.Throws<ArgumentException>(() => SpanAgreement.Run(Corpus(), NoBootstrap with { Labels = ["Drug"] })).Message);

    [Theory]
    [InlineData("x", 0, 3, "not one of its readers")]
    [InlineData("a", 4, 11, "is not within 0 ≤ start ≤ end ≤ 10")]
    [InlineData("a", 5, 4, "is not within")]
    [InlineData("a", -1, 4, "is not within")]
    public void SpansOutsideTheirDocumentOrByNonReadersAreRefused(string rater, int start, int end, string message)
    {
        var document = Document("d", 10, ["a", "b"], (rater, "X", start, end));

        Assert.Contains(message, Assert.Throws<ArgumentException>(() => SpanAgreement.Run([document])).Message);
    }
}
