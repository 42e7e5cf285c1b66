using System.Text.Json;
using GradeBench.Core.Spans.Interchange;
using static GradeBench.Core.Tests.Spans.Interchange.InterchangeSamples;

namespace GradeBench.Core.Tests.Spans.Interchange;

public sealed class BioCJsonTests
{
    sealed record BioCCollection(string Source, string Date, string Key, Dictionary<string, string> Infons, List<BioCDocument> Documents);

    sealed record BioCDocument(string Id, Dictionary<string, string> Infons, List<BioCPassage> Passages, List<JsonElement> Annotations, List<JsonElement> Relations);

    sealed record BioCPassage(int Offset, Dictionary<string, string> Infons, string Text, List<JsonElement> Sentences, List<BioCAnnotation> Annotations, List<JsonElement> Relations);

    sealed record BioCAnnotation(string Id, Dictionary<string, string> Infons, string Text, List<BioCLocation> Locations);

    sealed record BioCLocation(int Offset, int Length);

    /// <summary>Every member present and none other.</summary>
    static readonly JsonSerializerOptions Strict = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };

    static readonly DateOnly Date = new(2026, 11, 25);

    static (byte[] Bytes, BioCCollection Collection) Written(params AnnotatedDocument[] documents)
    {
        using var output = new MemoryStream();
        BioCJson.Write(output, documents, "stroke-notes", Date);
        return (output.ToArray(), JsonSerializer.Deserialize<BioCCollection>(output.ToArray(), Strict)!);
    }

    /// <summary>Code points <paramref name="offset"/> to <paramref name="offset"/> + <paramref name="length"/>, as
    /// Python slices a str.</summary>
    static string CodePoints(string text, int offset, int length) => string.Concat(text.EnumerateRunes().Skip(offset).Take(length));

    [Fact]
    public void CollectionParsesBackIntoTheBioCStructureWithOffsetsInCodePoints()
    {
        var gold = Note();
        var rater = new AnnotatedDocument("note-2", "NIHSS 12 分", [Span("NIHSS", 0, 8, "dr-li", ("Score", "12"))]);

        var (bytes, collection) = Written(gold, rater);

        Assert.NotEqual(0xEF, bytes[0]); // no byte-order mark
        Assert.Equal(("stroke-notes", "2026-11-25", BioCJson.Key), (collection.Source, collection.Date, collection.Key));
        Assert.Equal(new Dictionary<string, string> { ["offsets"] = "Unicode code points" }, collection.Infons);
        Assert.Equal(["note-1", "note-2"], collection.Documents.Select(d => d.Id));
        var document = collection.Documents[0];
        Assert.Empty(document.Infons);
        Assert.Empty(document.Annotations);
        Assert.Empty(document.Relations);
        var passage = Assert.Single(document.Passages);
        Assert.Equal((0, NoteText), (passage.Offset, passage.Text));
        Assert.Equal(new Dictionary<string, string> { ["type"] = "note" }, passage.Infons);
        Assert.Empty(passage.Sentences);
        Assert.Empty(passage.Relations);
        Assert.Equal(gold.Annotations.Count, passage.Annotations.Count);
        foreach (var (annotation, span, number) in passage.Annotations.Zip(gold.Annotations, Enumerable.Range(1, gold.Annotations.Count)))
        {
            Assert.Equal(number.ToString(System.Globalization.CultureInfo.InvariantCulture), annotation.Id);
            var location = Assert.Single(annotation.Locations);
            Assert.Equal((span.Start, span.End - span.Start), (location.Offset, location.Length));
            Assert.Equal(CodePoints(passage.Text, location.Offset, location.Length), annotation.Text);
            Assert.Equal(new Dictionary<string, string>(span.Attributes) { ["type"] = span.Label }, annotation.Infons); // gold: no annotator
        }
        Assert.Equal("😷\n既往史", passage.Annotations[1].Text); // after the emoji, code points and UTF-16 units part
        var scored = Assert.Single(Assert.Single(collection.Documents[1].Passages).Annotations);
        Assert.Equal(new Dictionary<string, string> { ["type"] = "NIHSS", ["Score"] = "12", ["annotator"] = "dr-li" }, scored.Infons);
    }

    /// <summary>The structure of the bioc Python library's test collection (bionlplab/bioc, tests/bioc/everything.json),
    /// written again by hand, cut to one document: every path of the output must occur in it, with the same kind of
    /// value (infons hold any keys).</summary>
    const string BiocLibraryCollection = """
        {
          "source": "source", "date": "date", "key": "key",
          "infons": {"collection-infon-key": "collection-infon-value"},
          "documents": [{
            "id": "1",
            "infons": {"document-infon-key": "document-infon-value"},
            "passages": [{
              "offset": 0,
              "infons": {"passage-infon-key": "passage-infon-value"},
              "text": "abcdefghijklmnopqrstuvwxyz",
              "sentences": [{
                "offset": 27, "infons": {"sentence-infon-key": "sentence-infon-value"}, "text": "abcdefg",
                "annotations": [], "relations": []
              }],
              "annotations": [
                {"id": "1", "infons": {"annotation-infon-key": "annotation-infon-value"}, "text": "bc", "locations": [{"offset": 1, "length": 2}]}
              ],
              "relations": [
                {"id": "R1", "infons": {"relation-infon-key": "relation-infon-value"}, "nodes": [{"refid": "1", "role": "role1"}]}
              ]
            }],
            "annotations": [
              {"id": "5", "infons": {"annotation-infon-key": "annotation-infon-value"}, "text": "fg", "locations": [{"offset": 5, "length": 2}]}
            ],
            "relations": []
          }]
        }
        """;

    /// <summary>What the bioc Python library's JSON decoder (bioc/biocjson/decoder.py) reads with <c>obj['…']</c>, so
    /// that a file without it fails to load.</summary>
    static readonly string[] RequiredByTheDecoder = [
        "source:String", "date:String", "key:String", "infons:Object", "documents:Array",
        "documents[].id:String", "documents[].infons:Object", "documents[].passages:Array", "documents[].relations:Array",
        "documents[].passages[].offset:Number", "documents[].passages[].infons:Object",
        "documents[].passages[].sentences:Array", "documents[].passages[].annotations:Array", "documents[].passages[].relations:Array",
        "documents[].passages[].annotations[].id:String", "documents[].passages[].annotations[].infons:Object",
        "documents[].passages[].annotations[].text:String", "documents[].passages[].annotations[].locations:Array",
        "documents[].passages[].annotations[].locations[].offset:Number", "documents[].passages[].annotations[].locations[].length:Number",
    ];

    static HashSet<string> Shape(JsonElement element, string path = "", HashSet<string>? shape = null)
    {
        shape ??= [];
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    var name = path.EndsWith("infons", StringComparison.Ordinal) ? "*" : property.Name;
                    var child = path.Length == 0 ? name : $"{path}.{name}";
                    shape.Add($"{child}:{property.Value.ValueKind}");
                    Shape(property.Value, child, shape);
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    shape.Add($"{path}[]:{item.ValueKind}");
                    Shape(item, $"{path}[]", shape);
                }
                break;
        }
        return shape;
    }

    [Fact]
    public void OutputHasTheShapeTheBiocLibraryReads()
    {
        var (bytes, _) = Written(Note("dr-li"));

        using var output = JsonDocument.Parse(bytes);
        using var library = JsonDocument.Parse(BiocLibraryCollection);
        var shape = Shape(output.RootElement);
        Assert.Subset(Shape(library.RootElement), shape);
        Assert.Subset(shape, RequiredByTheDecoder.ToHashSet());
    }

    [Theory]
    [InlineData("type")]
    [InlineData("annotator")]
    public void AttributeThatWouldTakeTheLabelsOrRatersInfonIsRefused(string name)
    {
        var document = new AnnotatedDocument("doc", "x", [Span("Symptom", 0, 1, null, (name, "1"))]);

        var error = Assert.Throws<InterchangeException>(() => Written(document));

        Assert.Equal($"doc: attribute: {name} cannot be the name of an attribute in BioC: the infon {name} holds the label or the annotator", error.Message);
    }
}
