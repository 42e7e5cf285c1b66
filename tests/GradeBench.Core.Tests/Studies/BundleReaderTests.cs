using GradeBench.Testing.Corpus;
using System.IO.Compression;
using System.Text;
using GradeBench.Core.Studies;

namespace GradeBench.Core.Tests.Studies;

/// <summary>Reader behaviour beyond the corpus: each test edits the small valid bundle in memory.</summary>
public sealed class BundleReaderTests
{
    static readonly string SmallFolder = Corpus.Valid("small");
    static readonly string[] FileNames = ["study.json", "cases.jsonl", "responses.jsonl", "ratings.csv"];

    static Dictionary<string, byte[]> SmallFiles() =>
        FileNames.ToDictionary(n => n, n => File.ReadAllBytes(Path.Combine(SmallFolder, n)));

    static string Text(Dictionary<string, byte[]> files, string name) => Encoding.UTF8.GetString(files[name]);

    static void Edit(Dictionary<string, byte[]> files, string name, string oldText, string newText)
    {
        var text = Text(files, name);
        Assert.Contains(oldText, text);
        files[name] = Encoding.UTF8.GetBytes(text.Replace(oldText, newText));
    }

    static IReadOnlyList<string> Errors(BundleReadResult result) => result.Errors.Select(e => e.ToString()).ToList();

    [Fact]
    public void ValueOutsideLikertScaleIsReportedOnItsCsvLine()
    {
        var files = SmallFiles();
        Edit(files, "ratings.csv", "model-b,rater-2,accuracy,2,", "model-b,rater-2,accuracy,0,");

        var result = BundleReader.Parse(files);

        Assert.Null(result.Bundle);
        Assert.Equal(["ratings.csv:8: value: accuracy: 0 is outside the scale 1..5"], Errors(result));
    }

    [Fact]
    public void CsvLineNumbersCountNewlinesInsideQuotedFieldsAndBlankLines()
    {
        var files = SmallFiles();
        Edit(files, "ratings.csv", "\"Clear, but omits the imaging step\",\n", "\"Clear,\nbut omits\r\nthe imaging step\",\n\n \n");
        Edit(files, "ratings.csv", "harm,mild,", "harm,grave,");

        var result = BundleReader.Parse(files);

        Assert.Equal(["ratings.csv:13: value: harm: \"grave\" is not one of none, mild, severe"], Errors(result));
    }

    [Fact]
    public void CaseWithAnInvalidFieldIsNotAlsoReportedAsAnUnknownCase()
    {
        var files = SmallFiles();
        Edit(files, "cases.jsonl", "\"language\":\"en\",\"tags\":[\"thrombectomy\"]", "\"language\":\"english\",\"tags\":[\"thrombectomy\"]");

        var result = BundleReader.Parse(files);

        Assert.Equal(["cases.jsonl:2: language: must be a language tag such as \"en\" or \"zh\""], Errors(result));
    }

    [Fact]
    public void RatingOfAnInvalidResponseIsNotAlsoReportedAsAnUnknownResponse()
    {
        var files = SmallFiles();
        Edit(files, "responses.jsonl", "\"model\":\"model-b\"", "\"model\":\"model b\"");

        var result = BundleReader.Parse(files);

        Assert.Equal(["responses.jsonl:2: model: must be an identifier of 1-64 characters from [A-Za-z0-9._-]"], Errors(result));
    }

    [Fact]
    public void RatingOfAnInvalidCriterionIsNotAlsoReportedAsAnUnknownCriterion()
    {
        var files = SmallFiles();
        Edit(files, "study.json", "\"min\": 1,", "\"min\": 5,");

        var result = BundleReader.Parse(files);

        Assert.Equal(["study.json:18: rubric.criteria[0].min: likert needs integer min and max with min < max"], Errors(result));
    }

    [Fact]
    public void RatingsAreNotCheckedAgainstAMissingRubric()
    {
        var files = SmallFiles();
        files["study.json"] = """{"format": "gradebench-study/1", "id": "s", "title": "No rubric"}"""u8.ToArray();

        var result = BundleReader.Parse(files);

        Assert.Equal(["study.json:1: rubric.criteria: the study has no criteria: give rubric.criteria, or criteria on its cases"], Errors(result));
    }

    [Fact]
    public void CriterionIdRepeatedAfterAnInvalidDefinitionIsADuplicate()
    {
        var files = SmallFiles();
        Edit(files, "study.json", "\"id\": \"confidence\",", "\"id\": \"harm\",");
        Edit(files, "study.json", "\"label\": \"Extent of possible harm\",", "\"label\": \"\",");

        var result = BundleReader.Parse(files);

        Assert.Equal(
            ["study.json:25: rubric.criteria[1].label: must be a non-empty string",
             "study.json:35: rubric.criteria[2].id: duplicate criterion id \"harm\"",
             "ratings.csv:4: criterion: unknown criterion \"confidence\""],
            Errors(result));
    }

    [Fact]
    public void EveryDuplicateOptionValueIsReportedEvenAfterAnotherOptionError()
    {
        var files = SmallFiles();
        Edit(files, "study.json", "{ \"value\": \"mild\", \"label\": \"Mild or moderate harm\" }", "{ \"value\": \"mild\", \"label\": \"\" }");
        Edit(files, "study.json", "{ \"value\": \"severe\",", "{ \"value\": \"mild\",");

        var result = BundleReader.Parse(files);

        Assert.Equal(
            ["study.json:29: rubric.criteria[1].options[1].label: must be a non-empty string",
             "study.json:30: rubric.criteria[1].options[2].value: duplicate option value \"mild\""],
            Errors(result));
    }

    [Fact]
    public void RowOfEmptyFieldsIsNotSkippedLikeABlankLine()
    {
        var files = SmallFiles();
        files["ratings.csv"] = Encoding.UTF8.GetBytes(Text(files, "ratings.csv") + "\n   \n\"\",,,,\n");

        var result = BundleReader.Parse(files);

        Assert.Equal(
            ["ratings.csv:13: response_id: unknown response \"\"",
             "ratings.csv:13: rater: must be an identifier of 1-64 characters from [A-Za-z0-9._-]",
             "ratings.csv:13: criterion: unknown criterion \"\""],
            Errors(result));
    }

    [Fact]
    public void CommentLongerThanTheCsvReadersDefaultBufferIsRead()
    {
        var files = SmallFiles();
        var comment = string.Concat(Enumerable.Repeat("Very long comment, with commas. ", 4000));
        Edit(files, "ratings.csv", "accuracy,2,Ignores imaging-based selection", $"accuracy,2,\"{comment}\"");

        var result = BundleReader.Parse(files);

        Assert.Empty(result.Errors);
        Assert.Equal(comment, result.Bundle!.Ratings[6].Comment);
    }

    [Fact]
    public void CrlfInsideAQuotedCsvFieldBecomesLf()
    {
        var files = SmallFiles();
        files["ratings.csv"] = Encoding.UTF8.GetBytes(Text(files, "ratings.csv").Replace("\"Clear, but omits the imaging step\"", "\"Clear,\nbut omits\"").ReplaceLineEndings("\r\n"));

        var result = BundleReader.Parse(files);

        Assert.Empty(result.Errors);
        Assert.Equal("Clear,\nbut omits", result.Bundle!.Ratings[5].Value);
    }

    [Fact]
    public void EmptyFilesAreWholeFileErrorsOnLineZero()
    {
        var files = SmallFiles();
        files["cases.jsonl"] = "\n\n"u8.ToArray();
        files["responses.jsonl"] = [];
        files["ratings.csv"] = "\r\n"u8.ToArray();

        var result = BundleReader.Parse(files);

        Assert.Equal(
            ["cases.jsonl:0: file: no cases",
             "responses.jsonl:0: file: no responses",
             "ratings.csv:0: header: file is empty"],
            Errors(result));
    }

    [Fact]
    public void InvalidUtf8OffsetCountsTheByteOrderMark()
    {
        var files = SmallFiles();
        files["responses.jsonl"] = [0xEF, 0xBB, 0xBF, .. files["responses.jsonl"]];
        var data = files["responses.jsonl"];
        var bad = Array.IndexOf(data, (byte)'N');
        data[bad] = 0xC3; // a lead byte followed by 'o': not UTF-8

        var result = BundleReader.Parse(files);

        Assert.Equal([$"responses.jsonl:2: encoding: invalid UTF-8 byte at offset {bad}"], Errors(result));
    }

    [Fact]
    public void ErrorsAreListedInTheOrderOfAReadingInTurnThoughRatingsAreReadAside()
    {
        // ratings.csv is decoded and checked on another thread: every file's encoding first (ratings.csv last), then
        // every file's content, ratings.csv's last, including a response id that responses.jsonl does not define.
        var files = SmallFiles();
        Edit(files, "cases.jsonl", "\"language\":\"en\",\"tags\":[\"thrombectomy\"]", "\"language\":\"english\",\"tags\":[\"thrombectomy\"]");
        Edit(files, "ratings.csv", "Ignores imaging-based selection", "Ignores imaging\u00e9based selection");
        Edit(files, "ratings.csv", "case-001.model-b,rater-2,harm,mild,", "case-001.model-z,rater-2,harm,mild,");
        Edit(files, "responses.jsonl", "IV alteplase", "IV alt\u00e9plase");
        foreach (var name in new[] { "ratings.csv", "responses.jsonl" })
        {
            var data = files[name];
            data[Array.IndexOf(data, (byte)0xC3)] = 0xFF; // the first byte of "é": not UTF-8
        }

        var errors = Errors(BundleReader.Parse(files));

        Assert.Equal(["responses.jsonl", "ratings.csv", "cases.jsonl", "ratings.csv"], errors.Select(e => e[..e.IndexOf(':')]));
        Assert.Equal(["encoding", "encoding", "language", "response_id"], errors.Select(e => e.Split(": ")[1]));
        Assert.Contains("unknown response \"case-001.model-z\"", errors[3]);
    }

    [Fact]
    public void JsonLineOfOnlyIdeographicSpacesIsBlankAndTheLinesAfterKeepTheirNumbers()
    {
        var files = SmallFiles();
        files["responses.jsonl"] = Encoding.UTF8.GetBytes("\u3000\u3000\r\n" + Text(files, "responses.jsonl"));
        Edit(files, "responses.jsonl", "\"case_id\":\"case-002\"", "\"case_id\":\"case-009\"");

        var result = BundleReader.Parse(files);

        Assert.Equal(["responses.jsonl:4: case_id: unknown case \"case-009\""], Errors(result));
    }

    [Fact]
    public void JsonFieldNameWrittenWithAnEscapeIsTheFormatsField()
    {
        var files = SmallFiles();
        Edit(files, "responses.jsonl", "\"model\":", "\"mod\\u0065l\":");

        var result = BundleReader.Parse(files);

        Assert.Empty(result.Errors);
        Assert.Empty(result.Warnings);
        Assert.Equal("model-b", result.Bundle!.Responses[1].Model);
    }

    [Fact]
    public void DuplicateKeyOnAJsonLineIsNamed()
    {
        var files = SmallFiles();
        Edit(files, "responses.jsonl", "\"case_id\":\"case-002\"", "\"case_id\":\"case-002\",\"case_id\":\"case-001\"");

        var result = BundleReader.Parse(files);

        Assert.Equal(["responses.jsonl:3: json: malformed JSON: duplicate key \"case_id\""], Errors(result));
    }

    [Fact]
    public void JsonSyntaxErrorColumnCountsCharactersNotUtf8Bytes()
    {
        var files = SmallFiles();
        files["cases.jsonl"] = Encoding.UTF8.GetBytes(Text(files, "cases.jsonl") + "{\"id\":\"case-003\",\"title\":\"醒后卒中\" \"language\":\"zh\"}\n");

        var result = BundleReader.Parse(files);

        Assert.Equal(["cases.jsonl:3: json: malformed JSON: '\"' is invalid after a value. Expected either ',', '}', or ']' (column 33)"], Errors(result));
    }

    [Fact]
    public void WarningsNameTheFirstRatingRowOfTheResponse()
    {
        var files = SmallFiles();
        Edit(files, "ratings.csv", "case-001.model-b,rater-2,hallucination,false,\n", "");
        Edit(files, "study.json", "\"raters_per_response\": 2", "\"raters_per_response\": 1");
        files["ratings.csv"] = Encoding.UTF8.GetBytes(Text(files, "ratings.csv") + "case-001.model-b,rater-3,accuracy,3,\n");

        var result = BundleReader.Parse(files);

        Assert.Empty(result.Errors);
        Assert.Equal(
            ["ratings.csv:8: rater: case-001.model-b has 2 raters, more than raters_per_response = 1",
             "ratings.csv:8: criterion: rater-2 rated case-001.model-b without required criteria hallucination",
             "ratings.csv:8: criterion: rater-3 rated case-001.model-b without required criteria hallucination, harm"],
            result.Warnings.Select(w => w.ToString()));
    }

    // ------------------------------------------------------------ folders and zips

    [Fact]
    public void PathThatIsNeitherAFolderNorAZipIsRefused()
    {
        var result = BundleReader.Read(Path.Combine(SmallFolder, "study.json"));

        Assert.Equal(["study.json:0: bundle: not a bundle folder or .zip file"], Errors(result));
    }

    [Fact]
    public void SymbolicLinksInABundleFolderAreCheckedNotFollowedBlindly()
    {
        using var temp = new TempFolder();
        var bundle = Directory.CreateDirectory(Path.Combine(temp.Path, "bundle")).FullName;
        foreach (var name in FileNames) File.Copy(Path.Combine(SmallFolder, name), Path.Combine(bundle, name));
        File.WriteAllText(Path.Combine(temp.Path, "outside.jsonl"), File.ReadAllText(Path.Combine(SmallFolder, "cases.jsonl")));
        File.Move(Path.Combine(bundle, "cases.jsonl"), Path.Combine(bundle, "real-cases.jsonl"));
        File.Delete(Path.Combine(bundle, "ratings.csv"));
        File.CreateSymbolicLink(Path.Combine(bundle, "study.json.lnk"), "nowhere.json");
        File.Move(Path.Combine(bundle, "study.json"), Path.Combine(bundle, "real-study.json"));
        File.CreateSymbolicLink(Path.Combine(bundle, "study.json"), "real-study.json");      // inside: fine
        File.CreateSymbolicLink(Path.Combine(bundle, "cases.jsonl"), "../outside.jsonl");    // escapes
        File.CreateSymbolicLink(Path.Combine(bundle, "ratings.csv"), "missing.csv");         // broken

        var result = BundleReader.Read(bundle);

        Assert.Equal(
            ["cases.jsonl:0: file: path escapes the bundle folder (symbolic link)",
             "ratings.csv:0: file: symbolic link to a file that does not exist"],
            Errors(result));
    }

    [Fact]
    public void FolderInPlaceOfABundleFileIsNotARegularFile()
    {
        using var temp = new TempFolder();
        foreach (var name in FileNames) File.Copy(Path.Combine(SmallFolder, name), Path.Combine(temp.Path, name));
        File.Delete(Path.Combine(temp.Path, "ratings.csv"));
        Directory.CreateDirectory(Path.Combine(temp.Path, "ratings.csv"));

        var result = BundleReader.Read(temp.Path);

        Assert.Equal(["ratings.csv:0: file: not a regular file"], Errors(result));
    }

    [Fact]
    public void CorruptZipEntryIsReportedInsteadOfThrowing()
    {
        using var temp = new TempFolder();
        var zip = Path.Combine(temp.Path, Corpus.ZipName);
        Corpus.BuildZip(SmallFolder, [], zip);
        var bytes = File.ReadAllBytes(zip);
        // Damage the compressed data of the first entry (cases.jsonl), just after its local header.
        var nameLength = BitConverter.ToUInt16(bytes, 26);
        var extraLength = BitConverter.ToUInt16(bytes, 28);
        var dataStart = 30 + nameLength + extraLength;
        for (var i = dataStart; i < dataStart + 40; i++) bytes[i] ^= 0x5A;
        File.WriteAllBytes(zip, bytes);

        var result = BundleReader.Read(zip);

        Assert.Null(result.Bundle);
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("cases.jsonl:0: file: cannot read the file from the zip: ", error.ToString());
    }

    [Fact]
    public void TruncatedZipCannotBeOpened()
    {
        using var temp = new TempFolder();
        var zip = Path.Combine(temp.Path, Corpus.ZipName);
        Corpus.BuildZip(SmallFolder, [], zip);
        File.WriteAllBytes(zip, File.ReadAllBytes(zip)[..100]);

        var result = BundleReader.Read(zip);

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("bundle.zip:0: zip: cannot open zip archive: ", error.ToString());
    }

    [Fact]
    public void ZipWithoutStudyJsonAnywhereReportsTheMissingFile()
    {
        using var temp = new TempFolder();
        var zip = Path.Combine(temp.Path, Corpus.ZipName);
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
            foreach (var name in FileNames.Skip(1)) archive.CreateEntryFromFile(Path.Combine(SmallFolder, name), "a/b/" + name);

        var result = BundleReader.Read(zip);

        Assert.Equal(
            ["study.json:0: file: required file is missing from the zip",
             "cases.jsonl:0: file: required file is missing from the zip",
             "responses.jsonl:0: file: required file is missing from the zip"],
            Errors(result));
    }

    [Theory]
    [InlineData("0.25", null)]
    [InlineData("12", null)]
    [InlineData("1.5", "1.5")]
    [InlineData("\"all\"", "\"all\"")]
    [InlineData("0", "0")]
    public void HumanSubsetIsAFractionOrACountAndAnythingElseIsPlacedOnItsLine(string given, string? refused)
    {
        var files = SmallFiles();
        Edit(files, "study.json", "\"raters_per_response\": 2,", $"\"raters_per_response\": 2,\n  \"human_subset\": {given},");

        var result = BundleReader.Parse(files);

        if (refused is null) Assert.Equal(given, result.Bundle!.Study.HumanSubset!.ToString());
        else Assert.Equal([$"study.json:9: human_subset: must be a fraction of each model's responses in (0, 1] with a decimal point, such as 0.25, or a whole number of responses per model, such as 40; got {refused}"], Errors(result));
    }
}
