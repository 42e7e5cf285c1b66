using System.Globalization;
using GradeBench.Core.Spans;

namespace GradeBench.Storage.Results;

/// <summary>Rows of spans gathered into the documents of <see cref="SpanAgreement"/>. A row is (document, its length, a
/// reader of it, a span of theirs there); a row without a label names a reader who marked nothing. Each source of spans
/// (the answers' highlights; annotations of the cases' notes could be a second) adds its rows under a name of its own, so
/// that documents of two sources never merge. Documents come out ordered by source, then in the order given (the bundle's,
/// as the exports list them: the database's ids of answers are drawn at random for blinding), whatever order the rows
/// came in: the bootstrap numbers documents by that order.</summary>
sealed class SpanDocumentRows
{
    sealed class Document(string id, int length)
    {
        public string Id { get; } = id;
        public int Length { get; } = length;
        public List<string> Readers { get; } = [];
        public List<Span> Spans { get; } = [];
    }

    readonly Dictionary<(string Source, long Id), Document> _documents = [];
    readonly Dictionary<long, string> _raters = [];
    (string Source, long Id) _lastKey;
    Document? _last;

    public void Add(string source, long document, int length, long rater, string? label, int start, int end)
    {
        // A source's rows come a document at a time: the last one is looked at before the dictionary.
        if (_last is null || _lastKey.Id != document || !ReferenceEquals(_lastKey.Source, source))
        {
            _lastKey = (source, document);
            if (!_documents.TryGetValue(_lastKey, out _last))
                _documents[_lastKey] = _last = new Document($"{source}:{document.ToString(CultureInfo.InvariantCulture)}", length);
        }
        if (!_raters.TryGetValue(rater, out var name)) _raters[rater] = name = rater.ToString(CultureInfo.InvariantCulture);
        // A document has a handful of readers.
        if (!_last.Readers.Contains(name)) _last.Readers.Add(name);
        if (label is not null) _last.Spans.Add(new Span(_last.Id, name, label, start, end));
    }

    /// <param name="position">Each document's place in the bundle, by its id.</param>
    public IReadOnlyList<SpanDocument> Documents(IReadOnlyDictionary<long, int> position) =>
    [
        .. _documents.OrderBy(d => d.Key.Source, StringComparer.Ordinal).ThenBy(d => position[d.Key.Id])
            .Select(d => new SpanDocument(d.Value.Id, d.Value.Length, d.Value.Readers, d.Value.Spans)),
    ];
}
