using System.Net;

namespace GradeBench.Web.Tests.Features.Accounts;

/// <summary>The heap is the whole test process's: other tests allocating beside this one would count as its growth, so
/// it runs alone.</summary>
[CollectionDefinition(nameof(SignInMemoryTests), DisableParallelization = true)]
public sealed class SignInMemoryCollection;

[Collection(nameof(SignInMemoryTests))]
public sealed class SignInMemoryTests
{
    [Fact]
    public async Task FailedSignInsWithHugeUserNamesLeaveTheServersMemoryAsItWas()
    {
        await using var server = await SignInBackOffTests.BackOffServer.StartAsync();
        var client = await server.BrowserAsync("198.51.100.7");
        // A first round fills the buffer pools of Kestrel and the runtime (about 50 MB, kept for reuse): not a leak.
        for (var i = 0; i < 30; i++) await client.SignInAsync(new string('z', 1024 * 1024) + i, "a guess at it");
        var before = HeapAfterFullCollection();

        var huge = new List<HttpResponseMessage>();
        for (var i = 0; i < 30; i++) huge.Add(await client.SignInAsync(new string((char)('a' + i % 26), 1024 * 1024) + i, "a guess at it"));
        // Short enough for the form, too long for a name: answered at once, and not even counted against the address.
        var tooLong = new List<HttpResponseMessage>();
        for (var i = 0; i < 30; i++) tooLong.Add(await client.SignInAsync(new string((char)('a' + i % 26), 8000) + i, "a guess at it"));
        var grown = HeapAfterFullCollection() - before;

        Assert.All(huge, answer => Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode));
        Assert.All(tooLong, answer => Assert.StartsWith("/signin?error=1&", answer.Headers.Location?.OriginalString));
        Assert.True(grown < 50 * 1024 * 1024, $"the server grew by {grown / (1024 * 1024)} MB");
    }

    /// <summary>Live objects, large ones compacted: freed 1 MB strings leave holes in the large-object heap that
    /// <see cref="GC.GetTotalMemory"/> would count.</summary>
    static long HeapAfterFullCollection()
    {
        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
