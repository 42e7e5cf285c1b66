using GradeBench.Storage.Nodes;

namespace GradeBench.Storage.Tests.Nodes;

public sealed class DataProtectionKeyStoreTests : IAsyncLifetime
{
    TestDatabase _db = null!;
    DataProtectionKeyStore _keys = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        _keys = new DataProtectionKeyStore(_db.Database, _db.Clock);
    }

    public Task DisposeAsync() => _db.DisposeAsync().AsTask();

    [Fact]
    public async Task ElementsAreReadBackInTheOrderTheyWereAddedAndANameTakenKeepsBoth()
    {
        await _keys.AddAsync("key-1", "<key id=\"1\" />");
        _db.Clock.Now += TimeSpan.FromSeconds(1);
        await _keys.AddAsync("revocation-x", "<revocation />");
        _db.Clock.Now += TimeSpan.FromSeconds(1);
        await _keys.AddAsync("revocation-x", "<revocation again=\"1\" />");

        Assert.Equal(["<key id=\"1\" />", "<revocation />", "<revocation again=\"1\" />"], await _keys.AllAsync());
    }

    [Fact]
    public async Task AnImportOnlyFillsAnEmptyTable()
    {
        Assert.True(await _keys.ImportIfEmptyAsync([("key-a", "<key id=\"a\" />"), ("key-b", "<key id=\"b\" />")]));
        Assert.False(await _keys.ImportIfEmptyAsync([("key-c", "<key id=\"c\" />")]));

        Assert.Equal(["<key id=\"a\" />", "<key id=\"b\" />"], (await _keys.AllAsync()).Order());
    }
}
