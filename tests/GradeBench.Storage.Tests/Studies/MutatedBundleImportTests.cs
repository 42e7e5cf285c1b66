using System.Diagnostics;
using GradeBench.Storage.Studies;
using GradeBench.Testing.Corpus;

namespace GradeBench.Storage.Tests.Studies;

/// <summary>Every bundle of <see cref="MutatedBundles"/> is refused by the importer with an error naming the damaged
/// file (and its line, for damage inside a file), the database (holding the demo study) keeps exactly its content,
/// and memory stays bounded: a file over the size limit is refused without being read whole.</summary>
public sealed class MutatedBundleImportTests
{
    const long PeakGrowthBound = 300L * 1024 * 1024, ReadAllocationBound = 16L * 1024 * 1024;

    [Fact]
    public void TheGeneratorMakesAtLeastTwoHundredMutationsOfABundleThatIsValidUndamaged()
    {
        Assert.True(MutatedBundles.All().Count >= 200);
        var undamaged = GradeBench.Core.Studies.BundleReader.Parse(MutatedBundles.BaseFiles().ToDictionary(f => f.Key, f => f.Value));
        Assert.True(undamaged.Succeeded, string.Join('\n', undamaged.Errors));
    }

    [Fact]
    public async Task EveryMutatedBundleIsRefusedWithAPreciseErrorAndLeavesTheDatabaseUnchanged()
    {
        await using var db = await TestDatabase.CreateAsync();
        var importer = new StudyImporter(db.Database, db.Clock);
        Assert.True((await importer.ImportAsync(TestPaths.DemoBundle)).Succeeded);
        var before = await db.DumpContentAsync();
        var problems = new List<string>();
        using var process = Process.GetCurrentProcess();
        var peakBefore = process.PeakWorkingSet64;

        foreach (var mutation in MutatedBundles.All())
        {
            var problem = await ImportAsync(importer, mutation);
            if (problem is not null) problems.Add($"{mutation.Name} ({mutation.Kind}): {problem}");
            if (await db.DumpContentAsync() != before) problems.Add($"{mutation.Name} ({mutation.Kind}): the database changed");
        }

        process.Refresh();
        Assert.True(problems.Count == 0, string.Join('\n', problems));
        Assert.InRange(process.PeakWorkingSet64 - peakBefore, long.MinValue, PeakGrowthBound);
    }

    /// <summary>Null when the mutation is refused as it should be, else what went wrong.</summary>
    static async Task<string?> ImportAsync(StudyImporter importer, MutatedBundle mutation)
    {
        using var temp = new TempFolder();
        var path = mutation.Write(temp.Path);
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        ImportResult result;
        try
        {
            result = await importer.ImportAsync(path, mutation.MaxFileBytes);
        }
        catch (Exception e)
        {
            return $"crashed: {e.GetType().Name}: {e.Message}";
        }
        // The reader runs before the importer's first await, so this counts what reading the bundle allocated.
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        if (result.Succeeded) return "accepted";
        var errors = string.Join(" | ", result.Errors.Take(3));
        if (!result.Errors.Any(e => e.File == mutation.File && (!mutation.NeedsLine || e.Line > 0)))
            return $"no error names {mutation.File}{(mutation.NeedsLine ? " and a line" : "")}: {errors}";
        if (result.Errors.All(e => e.Message.Contains("already exists", StringComparison.Ordinal)))
            return $"refused only because the study id is taken: {errors}";
        // A file over the size limit is refused from its length, or read only up to the limit (a zip entry whose
        // header lies): reading never allocates anything like the 20 MiB line or the 100 MiB file (about 3 MiB seen).
        if (allocated > ReadAllocationBound)
            return $"reading allocated {allocated / (1024 * 1024)} MiB";
        return null;
    }
}
