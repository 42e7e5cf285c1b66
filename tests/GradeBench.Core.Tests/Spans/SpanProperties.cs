using FsCheck.Xunit;
using GradeBench.Core.Spans;

namespace GradeBench.Core.Tests.Spans;

/// <summary>Properties of the span statistics on random annotations: FsCheck draws the seed and the shape, the spans are
/// built from the seed so that a failure replays.</summary>
public sealed class SpanProperties
{
    static readonly SpanAgreementOptions NoBootstrap = new() { BootstrapResamples = 0 };
    static readonly string[] Pool = ["a", "b", "c", "d"];

    /// <summary>1–4 documents of 1–40 code points, each read by 2–4 raters who mark 0–5 spans of X or Y (empty ones
    /// among them, overlaps and repeats allowed); with <paramref name="identical"/> every reader marks what the first did.</summary>
    static List<SpanDocument> Documents(int seed, byte shape, bool identical)
    {
        var random = new Random(seed);
        var documents = new List<SpanDocument>();
        for (var d = 0; d < 1 + shape % 4; d++)
        {
            var id = $"d{d}";
            var length = random.Next(1, 41);
            var readers = Pool.OrderBy(_ => random.Next()).Take(random.Next(2, 5)).ToArray();
            var marked = Enumerable.Range(0, random.Next(0, 6)).Select(_ =>
            {
                var start = random.Next(0, length + 1);
                return (Label: random.Next(2) == 0 ? "X" : "Y", Start: start, End: Math.Min(length, start + random.Next(0, 9)));
            }).ToList();
            var spans = new List<Span>();
            foreach (var reader in readers)
            {
                foreach (var (label, start, end) in marked) spans.Add(new Span(id, reader, label, start, end));
                if (identical) continue;
                marked = [.. Enumerable.Range(0, random.Next(0, 6)).Select(_ =>
                {
                    var start = random.Next(0, length + 1);
                    return (random.Next(2) == 0 ? "X" : "Y", start, Math.Min(length, start + random.Next(0, 9)));
                })];
            }
            documents.Add(new SpanDocument(id, length, readers, spans));
        }
        return documents;
    }

    static IEnumerable<SpanFigures> AllFigures(SpanAgreementReport report) => report.Labels.Select(l => l.Figures).Prepend(report.Overall);

    /// <summary>Raters who mark the same spans agree perfectly: F1 = 1 and, wherever some span covers a code point
    /// (D_e &gt; 0), α_u = 1 (D_o = 0).</summary>
    [Property(MaxTest = 150)]
    public void IdenticalAnnotationsAgreePerfectly(int seed, byte shape)
    {
        var report = SpanAgreement.Run(Documents(seed, shape, identical: true), NoBootstrap);

        foreach (var figures in AllFigures(report))
        {
            if (figures.F1Exact.Value is { } exact) Assert.Equal(1.0, exact, 12);
            if (figures.F1Overlap.Value is { } overlap) Assert.Equal(1.0, overlap, 12);
            if (figures.AlphaU.Value is { } alpha) Assert.Equal(1.0, alpha, 12);
            else Assert.Equal("Span_AlphaNoExtent", figures.AlphaU.Reason!.Key);
        }
    }

    /// <summary>Every figure is symmetric in the raters: listing each document's readers in reverse order, which swaps
    /// the two sides of every pair, changes nothing.</summary>
    [Property(MaxTest = 150)]
    public void FiguresAreSymmetricInTheRaters(int seed, byte shape)
    {
        var documents = Documents(seed, shape, identical: false);
        var reversed = documents.Select(d => d with { Readers = [.. d.Readers.Reverse()], Spans = [.. d.Spans.Reverse()] }).ToList();

        var (report, other) = (SpanAgreement.Run(documents, NoBootstrap), SpanAgreement.Run(reversed, NoBootstrap));

        foreach (var (x, y) in AllFigures(report).Zip(AllFigures(other)))
        {
            Assert.Equal(x.F1Exact, y.F1Exact);
            Assert.Equal(x.F1Overlap, y.F1Overlap);
            Assert.Equal(x.AlphaU.Value ?? double.NaN, y.AlphaU.Value ?? double.NaN, 12);
        }
        foreach (var figures in AllFigures(report))
            if (figures.F1Exact.Value is { } exact) Assert.True(figures.F1Overlap.Value >= exact);
    }

    /// <summary>The overlap matching is a maximum one, as an exhaustive search finds it, whichever rater comes first.</summary>
    [Property(MaxTest = 300)]
    public void OverlapMatchingIsMaximumAndSymmetric(int seed)
    {
        var random = new Random(seed);
        // Long spans on a short stretch, so that chains of overlaps are common.
        Extent[] Spans() => [.. Enumerable.Range(0, random.Next(0, 8)).Select(_ => random.Next(0, 30)).Select(s => new Extent(s, s + random.Next(0, 13))).Distinct().Order()];
        var (a, b) = (Spans(), Spans());

        var matches = SpanF1.OverlapMatches(a, b);

        Assert.Equal(Exhaustive(a, 0, b, new bool[b.Length]), matches);
        Assert.Equal(matches, SpanF1.OverlapMatches(b, a));
    }

    /// <summary>The largest matching of a[i..] to the unused spans of b, trying every choice.</summary>
    static int Exhaustive(Extent[] a, int i, Extent[] b, bool[] used)
    {
        if (i == a.Length) return 0;
        var best = Exhaustive(a, i + 1, b, used);
        for (var j = 0; j < b.Length; j++)
        {
            var overlap = Math.Max(a[i].Start, b[j].Start) < Math.Min(a[i].End, b[j].End) || a[i] == b[j];
            if (used[j] || !overlap) continue;
            used[j] = true;
            best = Math.Max(best, 1 + Exhaustive(a, i + 1, b, used));
            used[j] = false;
        }
        return best;
    }
}
