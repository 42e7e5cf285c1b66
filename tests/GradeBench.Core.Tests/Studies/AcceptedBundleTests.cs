using GradeBench.Testing.Corpus;
using System.Text.Json;
using GradeBench.Core.Studies;

namespace GradeBench.Core.Tests.Studies;

/// <summary>Bundles under tests/corpus/valid-bundles that are unusual but accepted.</summary>
public sealed class AcceptedBundleTests
{
    static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];
    static readonly string[] BundleFileNames = ["study.json", "cases.jsonl", "responses.jsonl", "ratings.csv"];

    static StudyBundle ReadValid(string path)
    {
        var result = BundleReader.Read(path);
        Assert.Empty(result.Errors);
        return Assert.IsType<StudyBundle>(result.Bundle);
    }

    /// <summary>Every field of a bundle, nested lists included (records compare lists by reference).</summary>
    static string Content(StudyBundle bundle) => JsonSerializer.Serialize(bundle, new JsonSerializerOptions { WriteIndented = true });

    [Fact]
    public void SmallBundleGivesEveryFieldOfTheFiles()
    {
        var bundle = ReadValid(Corpus.Valid("small"));

        var study = bundle.Study;
        Assert.Equal(("small-reader-test", "Small bundle for the bundle reader tests", "en", 2), (study.Id, study.Title, study.Language, study.RatersPerResponse));
        Assert.Equal((StudyState.Draft, true, false), (study.State, study.HideModel, study.Shuffle));
        Assert.Equal(["likert", "ordinal", "numeric", "nominal", "binary", "text"], study.Criteria.Select(c => c.TypeName));
        Assert.Equal(["1", "3", "5"], study.Criteria[0].Anchors.Select(a => a.Value));
        Assert.Equal((0.0, 100.0), (study.Criteria[2].Min!.Value, study.Criteria[2].Max!.Value));
        Assert.Equal(["factual_error", "good_point"], study.SpanLabels.Select(s => s.Id));
        Assert.Equal(["case-001", "case-002"], bundle.Cases.Select(c => c.Id));
        Assert.Null(bundle.Cases[1].ReferenceMd);
        Assert.Equal(["case-001.model-a", "case-001.model-b", "case-002.model-a"], bundle.Responses.Select(r => r.Id));
        Assert.Equal("""{"temperature":0.2}""", bundle.Responses[0].MetaJson);
        Assert.Null(bundle.Responses[1].MetaJson);
        Assert.Equal(9, bundle.Ratings.Count);
        Assert.Equal(("comment", "Clear, but omits the imaging step"), (bundle.Ratings[5].CriterionId, bundle.Ratings[5].Value));
        Assert.Equal("Ignores imaging-based selection", bundle.Ratings[6].Comment);
        Assert.Null(bundle.Ratings[0].Comment);
    }

    [Fact]
    public void CrlfAndBomCopyReadsExactlyLikeTheLfCopy()
    {
        var lf = ReadValid(Corpus.Valid("unicode-lf"));
        var crlf = ReadValid(Corpus.Valid("crlf-bom"));

        Assert.Equal(Content(lf), Content(crlf));
    }

    [Fact]
    public void CommittedCrlfCopyHasABomAndCrlfLineEndsInEveryFile()
    {
        foreach (var name in BundleFileNames)
        {
            var lf = File.ReadAllBytes(Path.Combine(Corpus.Valid("unicode-lf"), name));
            var crlf = File.ReadAllBytes(Path.Combine(Corpus.Valid("crlf-bom"), name));

            Assert.DoesNotContain((byte)'\r', lf);
            Assert.False(lf.AsSpan().StartsWith(Bom), $"{name} of unicode-lf starts with a BOM");
            var expected = Bom.Concat(lf.SelectMany(b => b == '\n' ? new[] { (byte)'\r', b } : [b])).ToArray();
            Assert.True(expected.SequenceEqual(crlf), $"crlf-bom/{name} is not unicode-lf/{name} with a BOM and CRLF line ends");
        }
    }

    [Fact]
    public void QuotedCommaNewlineAndQuotesInACsvCommentAreKeptWithLfWhateverTheLineEnds()
    {
        foreach (var folder in new[] { "unicode-lf", "crlf-bom" })
        {
            var ratings = ReadValid(Corpus.Valid(folder)).Ratings;

            Assert.Equal("总体正确, 但未提及影像", ratings[1].Comment);
            Assert.Equal("第一行\n第二行, 含逗号", ratings[3].Comment);
            Assert.Equal("他说 \"可以\"", ratings[4].Value);
        }
    }

    [Fact]
    public void AStudyThatSaysNoStateIsADraftAndOneThatSaysOpenIsOpen()
    {
        Assert.Equal(StudyState.Draft, BundleReader.Read(Corpus.Valid("crlf-bom")).Bundle!.Study.State); // no "state"
        Assert.Equal(StudyState.Open, BundleReader.Read(TestPaths.DemoBundle).Bundle!.Study.State); // "state": "open"
    }

    [Fact]
    public void ChineseTextAndBlankLinesAreAccepted()
    {
        var result = BundleReader.Read(Corpus.Valid("crlf-bom"));

        Assert.Empty(result.Errors);
        Assert.Empty(result.Warnings);
        var bundle = Assert.IsType<StudyBundle>(result.Bundle);
        Assert.Equal("急性卒中问答：行尾与编码测试", bundle.Study.Title);
        Assert.Equal(["case-zh-001", "case-zh-002"], bundle.Cases.Select(c => c.Id));
        Assert.Equal(["急性缺血性卒中", "溶栓"], bundle.Cases[0].Tags);
        Assert.Equal(8, bundle.Ratings.Count);
        Assert.Equal("72.5", bundle.Ratings[2].Value);
    }

    [Theory]
    [InlineData("folder small")]
    [InlineData("# files at the top of the zip")]
    public void ZipOfTheSmallBundleReadsExactlyLikeTheFolder(string manifestLine)
    {
        using var temp = new TempFolder();
        var zip = Path.Combine(temp.Path, Corpus.ZipName);
        Corpus.BuildZip(Corpus.Valid("small"), [manifestLine], zip);

        var fromZip = BundleReader.Read(zip);

        Assert.Empty(fromZip.Errors);
        Assert.Empty(fromZip.Warnings);
        Assert.Equal(Content(ReadValid(Corpus.Valid("small"))), Content(Assert.IsType<StudyBundle>(fromZip.Bundle)));
    }
}
