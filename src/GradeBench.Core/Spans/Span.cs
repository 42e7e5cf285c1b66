namespace GradeBench.Core.Spans;

/// <summary>A passage of a document that a rater marked with a label: code points <see cref="Start"/> (inclusive) to
/// <see cref="End"/> (exclusive) of the document's text (docs/spans.md).</summary>
public sealed record Span(string Document, string Rater, string Label, int Start, int End)
{
    public int Length => End - Start;
}

/// <summary>A document as its raters annotated it: its length in code points (the continuum of Krippendorff's α_u),
/// the raters who read it, in a stable order (a reader may have marked nothing), and their spans, all of this document
/// and by its readers.</summary>
public sealed record SpanDocument(string Id, int Length, IReadOnlyList<string> Readers, IReadOnlyList<Span> Spans);
