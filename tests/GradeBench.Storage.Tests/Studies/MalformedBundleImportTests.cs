using GradeBench.Storage.Studies;
using GradeBench.Testing.Corpus;

namespace GradeBench.Storage.Tests.Studies;

/// <summary>Every malformed bundle of tests/corpus is refused by the importer with its exact errors, and the
/// database (already holding a study) keeps exactly the content it had.</summary>
public sealed class MalformedBundleImportTests
{
    public static TheoryData<string> MalformedBundles => new(Corpus.MalformedNames());

    [Theory]
    [MemberData(nameof(MalformedBundles))]
    public async Task MalformedBundleImportsNothingAndLeavesTheDatabaseUnchanged(string name)
    {
        await using var db = await TestDatabase.CreateAsync();
        var importer = new StudyImporter(db.Database, db.Clock);
        Assert.True((await importer.ImportAsync(TestPaths.DemoBundle)).Succeeded);
        var before = await db.DumpContentAsync();
        var folder = Corpus.Malformed(name);
        using var temp = new TempFolder();
        var (path, limit) = Corpus.Prepare(folder, temp);

        var result = await importer.ImportAsync(path, limit);

        Assert.False(result.Succeeded);
        Assert.Equal(Corpus.ExpectedErrors(folder), result.Errors.Select(e => e.ToString()));
        Assert.Equal(before, await db.DumpContentAsync());
    }

    [Fact]
    public async Task ValidSmallBundleImportsNextToTheDemoStudy()
    {
        await using var db = await TestDatabase.CreateAsync();
        var importer = new StudyImporter(db.Database, db.Clock);
        await importer.ImportAsync(TestPaths.DemoBundle);

        var result = await importer.ImportAsync(Corpus.Valid("small"));

        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
        Assert.Equal(2, (await new StudyQuery(db.Database).ListVisibleAsync(0, isAdmin: true)).Count);
    }
}
