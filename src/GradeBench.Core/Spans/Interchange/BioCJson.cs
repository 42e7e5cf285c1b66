using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using GradeBench.Core.Messages;

namespace GradeBench.Core.Spans.Interchange;

/// <summary>BioC JSON (Comeau et al. 2013, 2019), in the shape the bioc Python library reads and PubTator writes
/// (docs/spans.md, "Interchange: brat and BioC"): a collection; each document one passage at offset 0 holding the
/// note's text; each span an annotation whose infons are <c>type</c> (the label), its attributes (a set flag
/// <c>"true"</c>) and <c>annotator</c> (the rater; none for the gold set), with one location. Offsets and lengths
/// count code points, as PubTator and the bioc Python library do.</summary>
public static class BioCJson
{
    /// <summary>The BioC key: the name of the description of the collection's infons, which is docs/spans.md.</summary>
    public const string Key = "gradebench-note-annotations.key";

    const string TypeInfon = "type", AnnotatorInfon = "annotator";

    static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = true };

    /// <summary>Writes <paramref name="documents"/> as one BioC collection to <paramref name="output"/> (UTF-8).</summary>
    /// <param name="source">The collection's source, such as the study's id.</param>
    /// <param name="date">The collection's date, written yyyy-MM-dd.</param>
    /// <exception cref="ArgumentException">A span outside its document's text.</exception>
    /// <exception cref="InterchangeException">An attribute named <c>type</c> or <c>annotator</c>, which would take the
    /// place of the label or the rater.</exception>
    public static void Write(Stream output, IReadOnlyList<AnnotatedDocument> documents, string source, DateOnly date)
    {
        using var json = new Utf8JsonWriter(output, Options);
        json.WriteStartObject();
        json.WriteString("source", source);
        json.WriteString("date", date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        json.WriteString("key", Key);
        json.WriteStartObject("infons");
        json.WriteString("offsets", "Unicode code points");
        json.WriteEndObject();
        json.WriteStartArray("documents");
        foreach (var document in documents) WriteDocument(json, document);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    static void WriteDocument(Utf8JsonWriter json, AnnotatedDocument document)
    {
        var text = new CodePointText(document.Text);
        json.WriteStartObject();
        json.WriteString("id", document.Id);
        json.WriteStartObject("infons");
        json.WriteEndObject();
        json.WriteStartArray("passages");
        json.WriteStartObject();
        json.WriteNumber("offset", 0);
        json.WriteStartObject("infons");
        json.WriteString(TypeInfon, "note");
        json.WriteEndObject();
        json.WriteString("text", document.Text);
        json.WriteStartArray("sentences");
        json.WriteEndArray();
        json.WriteStartArray("annotations");
        for (var i = 0; i < document.Annotations.Count; i++) WriteAnnotation(json, document, text, i);
        json.WriteEndArray();
        json.WriteStartArray("relations");
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();
        // The bioc Python library requires a document's relations; its annotations are written as its encoder does.
        json.WriteStartArray("annotations");
        json.WriteEndArray();
        json.WriteStartArray("relations");
        json.WriteEndArray();
        json.WriteEndObject();
    }

    static void WriteAnnotation(Utf8JsonWriter json, AnnotatedDocument document, CodePointText text, int index)
    {
        var span = document.Annotations[index];
        if (span.Start < 0 || span.Start > span.End || span.End > text.Length)
            throw new ArgumentOutOfRangeException(nameof(document), $"{document.Id}: the span {span.Start}–{span.End} of {span.Label} is not within the text's {text.Length} code points.");
        json.WriteStartObject();
        json.WriteString("id", (index + 1).ToString(CultureInfo.InvariantCulture));
        json.WriteStartObject("infons");
        json.WriteString(TypeInfon, span.Label);
        foreach (var (name, value) in span.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            if (name is TypeInfon or AnnotatorInfon)
                throw new InterchangeException(document.Id, 0, "attribute", new Message("BioC_ReservedInfon", name));
            json.WriteString(name, value);
        }
        if (span.Rater is not null) json.WriteString(AnnotatorInfon, span.Rater);
        json.WriteEndObject();
        json.WriteString("text", text.Slice(span.Start, span.End));
        json.WriteStartArray("locations");
        json.WriteStartObject();
        json.WriteNumber("offset", span.Start);
        json.WriteNumber("length", span.End - span.Start);
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
    }
}
