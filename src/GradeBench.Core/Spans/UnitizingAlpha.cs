namespace GradeBench.Core.Spans;

/// <summary>Krippendorff's unitizing α (α_u; Krippendorff 1995, 2004) for one label, as dkpro-statistics'
/// <c>KrippendorffAlphaUnitizingAgreement</c> computes it (Meyer et al. 2014), over documents read by varying sets of
/// raters (docs/spans.md). Each reader's track of a document is the continuum [0, length) cut into units (its spans of
/// the label; overlapping ones merged, empty ones dropped) and gaps (the rest: other labels count as gaps):
/// <code>
/// D_o = Σ_d 2 S_d / (R_d − 1) / (M · L)
/// D_e = (2 / L) · [(N − 1) Σ_u (2l³ − 3l² + l) / 3 + Σ_u l² Σ_{gaps g ≥ l} (g − l + 1)] / [M (M − 1) − Σ_u l (l − 1)]
/// </code>
/// where S_d sums, over the unordered pairs of document d's R_d readers, the squared distances of their intersecting
/// segments (units overlapping: Δstart² + Δend²; a unit inside the other's gap: l²), L = Σ_d L_d the documents' total
/// length, M = Σ_d R_d L_d the readers' total length and N the number of units. One document read by all raters is
/// dkpro's study exactly. The sums are kept per document so that the bootstrap can weight documents.</summary>
sealed class UnitizingAlpha
{
    readonly PairedDocument[] _documents;
    readonly double[] _pairSums;
    readonly double[] _units, _cubes, _squaresLessLength;
    readonly (double Length, int Document)[] _unitLengths;
    readonly (double Length, int Document)[] _gapLengths;

    /// <summary>The parts of α_u for label <paramref name="label"/> of the table.</summary>
    public UnitizingAlpha(SpanTable table, int label)
    {
        _documents = table.Paired;
        var n = _documents.Length;
        (_pairSums, _units, _cubes, _squaresLessLength) = (new double[n], new double[n], new double[n], new double[n]);
        var units = new List<(double, int)>();
        var gaps = new List<(double, int)>();
        for (var d = 0; d < n; d++)
        {
            var document = _documents[d];
            var tracks = document.Spans[label].Select(Units).ToArray();
            double pairs = 0;
            for (var r1 = 0; r1 < tracks.Length; r1++)
                for (var r2 = r1 + 1; r2 < tracks.Length; r2++) pairs += Distance(tracks[r1], tracks[r2]);
            _pairSums[d] = 2 * pairs / (document.Readers - 1);
            foreach (var track in tracks)
            {
                var end = 0;
                foreach (var unit in track)
                {
                    double l = unit.Length;
                    _units[d]++;
                    _cubes[d] += (2 * l * l * l - 3 * l * l + l) / 3;
                    _squaresLessLength[d] += l * (l - 1);
                    units.Add((l, d));
                    if (unit.Start > end) gaps.Add((unit.Start - end, d));
                    end = unit.End;
                }
                if (document.Length > end) gaps.Add((document.Length - end, d));
            }
        }
        _unitLengths = [.. units.OrderByDescending(u => u.Item1)];
        _gapLengths = [.. gaps.OrderByDescending(g => g.Item1)];
    }

    /// <summary>A reader's units: its spans (sorted) without the empty ones, which cover no code point, and with those
    /// that share a code point merged, since a track is a sequence of units and gaps.</summary>
    static Extent[] Units(Extent[] spans)
    {
        var units = new List<Extent>();
        foreach (var span in spans)
        {
            if (span.Length == 0) continue;
            if (units.Count > 0 && span.Start < units[^1].End)
                units[^1] = units[^1] with { End = Math.Max(units[^1].End, span.End) };
            else units.Add(span);
        }
        return [.. units];
    }

    /// <summary>The sum of squared distances between the segments of two tracks that intersect: two units,
    /// (Δstart)² + (Δend)²; a unit that lies in a gap of the other track, its length squared; gaps with gaps, 0
    /// (Krippendorff 2004, δ²_c; dkpro's <c>measureDistance</c>).</summary>
    static double Distance(Extent[] a, Extent[] b)
    {
        double sum = 0;
        var first = 0;
        foreach (var unit in a)
        {
            while (first < b.Length && b[first].End <= unit.Start) first++;
            var alone = true;
            for (var k = first; k < b.Length && b[k].Start < unit.End; k++)
            {
                alone = false;
                double start = unit.Start - b[k].Start, end = unit.End - b[k].End;
                sum += start * start + end * end;
            }
            if (alone) sum += (double)unit.Length * unit.Length;
        }
        return sum + Alone(b, a);
    }

    /// <summary>The squared lengths of the units of <paramref name="a"/> that intersect no unit of <paramref name="b"/>.</summary>
    static double Alone(Extent[] a, Extent[] b)
    {
        double sum = 0;
        var first = 0;
        foreach (var unit in a)
        {
            while (first < b.Length && b[first].End <= unit.Start) first++;
            if (first == b.Length || b[first].Start >= unit.End) sum += (double)unit.Length * unit.Length;
        }
        return sum;
    }

    /// <summary>The documents' total length L and their readers' M, each document counted as often as its weight.</summary>
    public static (double Length, double Mass) Continuum(PairedDocument[] documents, ReadOnlySpan<int> weights)
    {
        double length = 0, mass = 0;
        for (var d = 0; d < documents.Length; d++)
        {
            length += (double)weights[d] * documents[d].Length;
            mass += (double)weights[d] * documents[d].Readers * documents[d].Length;
        }
        return (length, mass);
    }

    /// <summary>D_o and D_e with each document counted as often as its weight; D_e is 0 where the data leave nothing to
    /// expect (no unit, or no continuum).</summary>
    public (double Observed, double Expected) Disagreement(ReadOnlySpan<int> weights, double length, double mass)
    {
        double pairs = 0, units = 0, cubes = 0, squares = 0;
        for (var d = 0; d < _documents.Length; d++)
        {
            if (weights[d] == 0) continue;
            pairs += weights[d] * _pairSums[d];
            units += weights[d] * _units[d];
            cubes += weights[d] * _cubes[d];
            squares += weights[d] * _squaresLessLength[d];
        }
        if (units == 0 || length == 0) return (0, 0);

        // Σ_u l² Σ_{g ≥ l} (g − l + 1) = Σ_u l² (G − l W), where W counts the gaps at least l long and G sums their g + 1.
        double inGaps = 0, count = 0, sum = 0;
        var next = 0;
        foreach (var (l, d) in _unitLengths)
        {
            for (; next < _gapLengths.Length && _gapLengths[next].Length >= l; next++)
            {
                var (g, gapDocument) = _gapLengths[next];
                count += weights[gapDocument];
                sum += weights[gapDocument] * (g + 1);
            }
            inGaps += weights[d] * l * l * (sum - l * count);
        }
        var expected = 2 / length * ((units - 1) * cubes + inGaps) / (mass * (mass - 1) - squares);
        return (pairs / (mass * length), expected);
    }
}
