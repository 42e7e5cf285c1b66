using GradeBench.Testing.Corpus;
using GradeBench.Core.Studies;

namespace GradeBench.Core.Tests.Studies;

/// <summary>Every folder of tests/corpus/malformed-bundles is rejected with exactly the errors of its
/// expected-errors.txt, in order.</summary>
public sealed class MalformedBundleCorpusTests
{
    public static TheoryData<string> MalformedBundles => new(Corpus.MalformedNames());

    [Theory]
    [MemberData(nameof(MalformedBundles))]
    public void MalformedBundleIsRejectedWithExactlyItsExpectedErrors(string name)
    {
        var folder = Corpus.Malformed(name);

        var result = Corpus.Read(folder);

        Assert.Null(result.Bundle);
        Assert.False(result.Succeeded);
        Assert.Equal(Corpus.ExpectedErrors(folder), result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void CorpusHasAtLeastFourteenCasesEachWithExpectedErrors()
    {
        var names = Corpus.MalformedNames().ToList();

        Assert.True(names.Count >= 14, $"only {names.Count} malformed bundles");
        Assert.All(names, name => Assert.NotEmpty(Corpus.ExpectedErrors(Corpus.Malformed(name))));
    }

    [Fact]
    public void CorpusReadmeListsEveryMalformedBundle()
    {
        var readme = File.ReadAllText(Path.Combine(Corpus.Root, "README.md"));

        Assert.All(Corpus.MalformedNames(), name => Assert.Contains($"`{name}`", readme));
    }

    [Fact]
    public void ExpectedErrorsUseTheFileLineFieldMessageFormat()
    {
        var lines = Corpus.MalformedNames().SelectMany(n => Corpus.ExpectedErrors(Corpus.Malformed(n)));

        Assert.All(lines, line => Assert.Matches(@"^[^:\s]+\.(json|jsonl|csv|zip):\d+: \S.*?: \S", line));
    }

    [Fact]
    public void ZipEntriesAreBuiltFromTheManifest()
    {
        using var temp = new TempFolder();
        var zip = Path.Combine(temp.Path, Corpus.ZipName);

        Corpus.BuildZip(Corpus.Valid("small"), ["# comment", "folder top", "entry ../evil.txt", "symlink link.txt /etc/passwd"], zip);

        using var archive = System.IO.Compression.ZipFile.OpenRead(zip);
        Assert.Equal(
            ["top/cases.jsonl", "top/ratings.csv", "top/responses.jsonl", "top/study.json", "../evil.txt", "link.txt"],
            archive.Entries.Select(e => e.FullName));
        Assert.Equal(0xA1FF, (archive.Entries[^1].ExternalAttributes >> 16) & 0xFFFF);
    }

    [Fact]
    public void SmallBaseBundleOfTheCorpusIsValidWithoutWarnings()
    {
        var result = BundleReader.Read(Corpus.Valid("small"));

        Assert.Empty(result.Errors);
        Assert.Empty(result.Warnings);
        Assert.NotNull(result.Bundle);
    }
}
