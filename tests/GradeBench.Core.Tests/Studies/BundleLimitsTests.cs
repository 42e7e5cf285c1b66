using System.Globalization;
using System.IO.Compression;
using System.Text;
using GradeBench.Core.Studies;
using GradeBench.Testing.Corpus;

namespace GradeBench.Core.Tests.Studies;

/// <summary>A bundle made to exhaust the server: errors listed are capped, and a zip's entries are counted before any
/// is listed.</summary>
public sealed class BundleLimitsTests
{
    static readonly string SmallFolder = Corpus.Valid("small");

    [Fact]
    public void AZipOfTwoHundredThousandBadLinesListsAHundredErrorsAndCountsTheRest()
    {
        using var temp = new TempFolder();
        var zip = Path.Combine(temp.Path, Corpus.ZipName);
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
        {
            archive.CreateEntryFromFile(Path.Combine(SmallFolder, "study.json"), "study.json");
            archive.CreateEntryFromFile(Path.Combine(SmallFolder, "responses.jsonl"), "responses.jsonl");
            using var cases = new StreamWriter(archive.CreateEntry("cases.jsonl").Open(), Encoding.UTF8);
            for (var i = 0; i < 200_000; i++) cases.Write("not json\n");
        }
        var before = GC.GetTotalMemory(forceFullCollection: true);

        var result = BundleReader.Read(zip);
        var held = GC.GetTotalMemory(forceFullCollection: true) - before;

        Assert.Null(result.Bundle);
        Assert.Equal(BundleReader.MaxErrorsListed + 1, result.Errors.Count);
        Assert.All(result.Errors.Take(BundleReader.MaxErrorsListed), e => Assert.Equal(("cases.jsonl", "json"), (e.File, e.Field)));
        var more = result.Errors[^1];
        Assert.True(more.Omitted >= 200_000 - BundleReader.MaxErrorsListed, more.ToString());
        Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"… and {more.Omitted:N0} more errors"), more.ToString());
        Assert.True(held < 5 * 1024 * 1024, $"the result holds {held / 1024} KB");
        GC.KeepAlive(result);
    }

    [Fact]
    public void AZipWithTooManyEntriesIsRefusedBeforeItsEntriesAreListed()
    {
        using var temp = new TempFolder();
        var zip = Path.Combine(temp.Path, Corpus.ZipName);
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
            for (var i = 0; i <= BundleFiles.MaxZipEntries; i++) archive.CreateEntry($"../escape-{i}");
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();

        var result = BundleReader.Read(zip);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        var error = Assert.Single(result.Errors);
        Assert.Equal("bundle.zip:0: zip: the zip holds more than 10,000 entries; a bundle needs only its few files", error.ToString());
        // Listing 10,001 entries takes megabytes; counting them, a few buffers.
        Assert.True(allocated < 1024 * 1024, $"reading the zip allocated {allocated / 1024} KB");
    }

    [Fact]
    public void AZipWithAsManyEntriesAsAllowedIsRead()
    {
        using var temp = new TempFolder();
        var zip = Path.Combine(temp.Path, Corpus.ZipName);
        Corpus.BuildZip(SmallFolder, [], zip);
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Update))
            for (var i = archive.Entries.Count; i < BundleFiles.MaxZipEntries; i++) archive.CreateEntry($"notes/{i}.txt");

        Assert.True(BundleReader.Read(zip).Succeeded);
    }
}
