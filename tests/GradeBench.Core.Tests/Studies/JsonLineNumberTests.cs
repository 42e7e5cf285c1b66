using GradeBench.Testing.Corpus;
using System.Text;
using GradeBench.Core.Studies;

namespace GradeBench.Core.Tests.Studies;

/// <summary>Errors about study.json name the line of the field concerned.</summary>
public sealed class JsonLineNumberTests
{
    const string Document = """
        {
          "title": "x",
          "blinding": { "hide_model": true,
                        "shuffle": false },
          "rubric": {
            "criteria": [
              { "id": "a", "type": "likert" },
              {
                "id": "b",
                "options": [
                  { "value": "v1" },
                  { "value": "v2" }
                ]
              }
            ],
            "span_labels": []
          },
          "tags": [[1, 2],
                   [3]]
        }
        """;

    static JsonLineMap Map(string json) => new(Encoding.UTF8.GetBytes(json));

    [Theory]
    [InlineData("", 1)]
    [InlineData("title", 2)]
    [InlineData("blinding", 3)]
    [InlineData("blinding.hide_model", 3)]
    [InlineData("blinding.shuffle", 4)]
    [InlineData("rubric", 5)]
    [InlineData("rubric.criteria", 6)]
    [InlineData("rubric.criteria[0]", 7)]
    [InlineData("rubric.criteria[0].type", 7)]
    [InlineData("rubric.criteria[1]", 8)]
    [InlineData("rubric.criteria[1].id", 9)]
    [InlineData("rubric.criteria[1].options[1].value", 12)]
    [InlineData("rubric.span_labels", 16)]
    [InlineData("tags[0][1]", 18)]
    [InlineData("tags[1]", 19)]
    [InlineData("tags[1][0]", 19)]
    public void EveryFieldMapsToTheLineWhereItsValueStarts(string path, int line) =>
        Assert.Equal(line, Map(Document).LineOf(path));

    [Theory]
    [InlineData("rubric.criteria[0].min", 7)]
    [InlineData("rubric.criteria[1].options[1].label", 12)]
    [InlineData("rubric.criteria[5].id", 6)]
    [InlineData("blinding.unknown.deeper", 3)]
    [InlineData("missing", 1)]
    public void MissingFieldFallsBackToItsNearestExistingParent(string path, int line) =>
        Assert.Equal(line, Map(Document).LineOf(path));

    [Fact]
    public void CrlfLineEndsCountAsOneLineEach()
    {
        var map = Map(Document.ReplaceLineEndings("\r\n"));

        Assert.Equal(12, map.LineOf("rubric.criteria[1].options[1].value"));
        Assert.Equal(19, map.LineOf("tags[1]"));
    }

    [Fact]
    public void LinesBeforeASyntaxErrorAreStillMapped()
    {
        var map = Map("{\n  \"a\": 1,\n  \"b\": [\n    2,\n    oops\n  ]\n}");

        Assert.Equal(2, map.LineOf("a"));
        Assert.Equal(4, map.LineOf("b[0]"));
        Assert.Equal(3, map.LineOf("b[1]"));
    }

    [Fact]
    public void DuplicateKeyIsFoundOnTheLineOfItsSecondOccurrence()
    {
        var duplicate = JsonLineMap.FindDuplicateKey("{\n \"a\": {\"x\": 1},\n \"b\": {\"x\": 2,\n  \"x\": 3}\n}"u8);

        Assert.Equal(("x", 4), duplicate);
        Assert.Null(JsonLineMap.FindDuplicateKey("""{"a": {"x": 1}, "b": {"x": 2}, "c": [{"x": 1}, {"x": 2}]}"""u8));
    }

    // ------------------------------------------------------------ through the reader

    static readonly string SmallFolder = Corpus.Valid("small");

    static IReadOnlyList<string> ErrorsWithStudy(string studyJson)
    {
        var files = new[] { "study.json", "cases.jsonl", "responses.jsonl", "ratings.csv" }
            .ToDictionary(n => n, n => File.ReadAllBytes(Path.Combine(SmallFolder, n)));
        files["study.json"] = Encoding.UTF8.GetBytes(studyJson);
        var result = BundleReader.Parse(files);
        Assert.Null(result.Bundle);
        return result.Errors.Select(e => e.ToString()).ToList();
    }

    static string SmallStudy => File.ReadAllText(Path.Combine(SmallFolder, "study.json"));

    [Fact]
    public void FieldErrorDeepInStudyJsonIsReportedOnTheLineOfThatField()
    {
        var study = SmallStudy.Replace("\"color\": \"#00798c\"", "\"color\": \"teal\"");

        Assert.Equal(["study.json:56: rubric.span_labels[1].color: must be a hex color such as #d1495b"], ErrorsWithStudy(study));
    }

    [Fact]
    public void FieldErrorIsOnTheSameLineWithCrlfLineEndsAndABom()
    {
        var study = "\uFEFF" + SmallStudy.Replace("\"max\": 100", "\"max\": \"100\"").ReplaceLineEndings("\r\n");

        Assert.Equal(["study.json:39: rubric.criteria[2].max: must be a number"], ErrorsWithStudy(study));
    }

    [Fact]
    public void MissingRequiredFieldIsReportedOnTheLineOfItsObject()
    {
        var study = SmallStudy.Replace("        \"label\": \"Extent of possible harm\",\n", "");

        Assert.Equal(["study.json:23: rubric.criteria[1].label: must be a non-empty string"], ErrorsWithStudy(study));
    }

    [Fact]
    public void SyntaxErrorIsReportedOnItsLineWithItsColumn()
    {
        var study = SmallStudy.Replace("\"max\": 100\n", "\"max\": 100,\n");

        Assert.Equal(
            ["study.json:40: json: malformed JSON: The JSON object contains a trailing comma at the end which is not supported in this mode (column 7)"],
            ErrorsWithStudy(study));
    }

    [Fact]
    public void DuplicateKeyIsReportedOnTheLineOfTheSecondKey()
    {
        var study = SmallStudy.Replace("\"max\": 100\n", "\"max\": 100,\n        \"min\": 1\n");

        Assert.Equal(["study.json:40: json: malformed JSON: duplicate key \"min\""], ErrorsWithStudy(study));
    }
}
