namespace GradeBench.Core.Spans;

/// <summary>A stretch of code points, start inclusive, end exclusive.</summary>
readonly record struct Extent(int Start, int End) : IComparable<Extent>
{
    public int Length => End - Start;

    public int CompareTo(Extent other) => Start != other.Start ? Start.CompareTo(other.Start) : End.CompareTo(other.End);
}

/// <summary>A document read by two or more raters: its length, its readers' count, and each reader's distinct spans of
/// each label, sorted (<c>Spans[label][reader]</c>, labels as <see cref="SpanTable.Labels"/>).</summary>
sealed record PairedDocument(string Id, int Length, int Readers, Extent[][][] Spans);

/// <summary>The documents as the span statistics use them, checked: the labels of all spans in ordinal order, and the
/// documents read by two or more raters (the others pair no raters, so no statistic uses them).</summary>
sealed class SpanTable
{
    public required string[] Labels { get; init; }
    public required PairedDocument[] Paired { get; init; }
    public required int Documents { get; init; }
    public required int Raters { get; init; }

    /// <summary>Distinct spans: a rater's identical spans count once.</summary>
    public required int Spans { get; init; }

    /// <param name="labels">The labels, in this order; null: those of the spans, in ordinal order.</param>
    /// <exception cref="ArgumentException">Two documents with one id, a reader named twice, a negative length, or a span
    /// of another document, by a rater who is not a reader, not within 0 ≤ start ≤ end ≤ length, or of a label not
    /// among <paramref name="labels"/>.</exception>
    public static SpanTable Of(IReadOnlyList<SpanDocument> documents, IReadOnlyList<string>? labels = null)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var raters = new HashSet<string>(StringComparer.Ordinal);
        var distinct = new HashSet<Span>();
        foreach (var document in documents)
        {
            if (!ids.Add(document.Id)) throw new ArgumentException($"Document \"{document.Id}\" is given twice.", nameof(documents));
            if (document.Length < 0) throw new ArgumentException($"Document \"{document.Id}\" has a negative length.", nameof(documents));
            var readers = new HashSet<string>(StringComparer.Ordinal);
            foreach (var reader in document.Readers)
                if (!readers.Add(reader)) throw new ArgumentException($"Document \"{document.Id}\" names reader \"{reader}\" twice.", nameof(documents));
            raters.UnionWith(readers);
            foreach (var span in document.Spans)
            {
                if (span.Document != document.Id)
                    throw new ArgumentException($"A span of document \"{span.Document}\" is among those of \"{document.Id}\".", nameof(documents));
                if (!readers.Contains(span.Rater))
                    throw new ArgumentException($"Rater \"{span.Rater}\" marked a span in \"{document.Id}\" but is not one of its readers.", nameof(documents));
                if (span.Start < 0 || span.End < span.Start || span.End > document.Length)
                    throw new ArgumentException($"The span [{span.Start}, {span.End}) of \"{document.Id}\" is not within 0 ≤ start ≤ end ≤ {document.Length}.", nameof(documents));
                distinct.Add(span);
            }
        }
        string[] order = labels is null ? [.. distinct.Select(s => s.Label).Distinct().Order(StringComparer.Ordinal)] : [.. labels];
        var labelIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var label in order)
            if (!labelIndex.TryAdd(label, labelIndex.Count)) throw new ArgumentException($"Label \"{label}\" is given twice.", nameof(labels));
        if (distinct.FirstOrDefault(s => !labelIndex.ContainsKey(s.Label)) is { } stray)
            throw new ArgumentException($"A span of \"{stray.Document}\" has the label \"{stray.Label}\", which is not among the labels given.", nameof(labels));
        var paired = new List<PairedDocument>();
        foreach (var document in documents)
        {
            if (document.Readers.Count < 2) continue;
            var readerIndex = document.Readers.Select((reader, i) => (reader, i)).ToDictionary(p => p.reader, p => p.i, StringComparer.Ordinal);
            var spans = new Extent[order.Length][][];
            for (var l = 0; l < order.Length; l++)
            {
                spans[l] = new Extent[document.Readers.Count][];
                for (var r = 0; r < document.Readers.Count; r++) spans[l][r] = [];
            }
            foreach (var group in document.Spans.Distinct().GroupBy(s => (Label: labelIndex[s.Label], Reader: readerIndex[s.Rater])))
                spans[group.Key.Label][group.Key.Reader] = [.. group.Select(s => new Extent(s.Start, s.End)).Order()];
            paired.Add(new PairedDocument(document.Id, document.Length, document.Readers.Count, spans));
        }
        return new SpanTable { Labels = order, Paired = [.. paired], Documents = documents.Count, Raters = raters.Count, Spans = distinct.Count };
    }
}
