using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace GradeBench.EndToEnd.Tests.Field;

/// <summary>The latency proxy itself, against an echo server: no browser, a few seconds in all.</summary>
public sealed class LatencyProxyTests
{
    // The default: 75 ms each way.
    static readonly TimeSpan RoundTrip = TimeSpan.FromMilliseconds(150);

    [Fact]
    public async Task EachRoundTripTakesTwoDelaysAndNotMuchMore()
    {
        await using var echo = new LoopbackEcho();
        await using var proxy = new LatencyProxy(echo.Port);
        using var client = await ConnectAsync(proxy);
        var stream = client.GetStream();

        for (var trip = 0; trip < 5; trip++)
        {
            var clock = Stopwatch.StartNew();
            await stream.WriteAsync("ping"u8.ToArray());
            Assert.Equal("ping", Encoding.ASCII.GetString(await ReadExactlyAsync(stream, 4)));
            Assert.InRange(clock.Elapsed, RoundTrip, TimeSpan.FromSeconds(1));
        }
    }

    [Fact]
    public async Task AMebibyteArrivesIntactAndInOrderBothWays()
    {
        await using var echo = new LoopbackEcho();
        await using var proxy = new LatencyProxy(echo.Port);
        using var client = await ConnectAsync(proxy);
        var stream = client.GetStream();
        var sent = new byte[1024 * 1024];
        new Random(14).NextBytes(sent);

        // Sent while it is read back, so that neither side's buffers have to hold it all.
        var sending = Task.Run(async () =>
        {
            for (var offset = 0; offset < sent.Length; offset += 8192)
                await stream.WriteAsync(sent.AsMemory(offset, 8192));
        });
        var received = await ReadExactlyAsync(stream, sent.Length);
        await sending;

        Assert.True(sent.AsSpan().SequenceEqual(received), "The bytes that came back differ from those sent.");
    }

    [Fact]
    public async Task ABurstOfSmallWritesArrivesInOrderInAboutOneRoundTrip()
    {
        await using var echo = new LoopbackEcho();
        await using var proxy = new LatencyProxy(echo.Port);
        using var client = await ConnectAsync(proxy);
        var stream = client.GetStream();
        var writes = Enumerable.Range(0, 50).Select(i => $"{i:D2};").ToArray();

        var clock = Stopwatch.StartNew();
        var reading = ReadExactlyAsync(stream, writes.Sum(w => w.Length));
        foreach (var write in writes)
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(write));
            // As fast typing or a text expander: each write its own chunk, none waiting for an answer.
            await Task.Delay(1);
        }
        var sentIn = clock.Elapsed;
        var received = Encoding.ASCII.GetString(await reading);

        Assert.Equal(string.Concat(writes), received);
        // Counted from the last write, as a busy machine can stretch the pauses: one delay per write, one after the
        // other, would take 50 × 75 ms in each direction.
        Assert.InRange(clock.Elapsed, RoundTrip, sentIn + TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task DisposingClosesOpenConnectionsAndStopsListening()
    {
        await using var echo = new LoopbackEcho();
        var proxy = new LatencyProxy(echo.Port);
        using var client = await ConnectAsync(proxy);
        var stream = client.GetStream();
        await stream.WriteAsync("ping"u8.ToArray());
        await ReadExactlyAsync(stream, 4);

        await proxy.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));

        var closed = Task.Run(async () =>
        {
            try
            {
                return await stream.ReadAsync(new byte[1]) == 0;
            }
            catch (IOException)
            {
                return true;
            }
        });
        Assert.True(await closed.WaitAsync(TimeSpan.FromSeconds(5)));
        using var late = new TcpClient();
        await Assert.ThrowsAsync<SocketException>(() => late.ConnectAsync(IPAddress.Loopback, proxy.Port));
    }

    [Fact]
    public void AnAddressOnTheTargetIsRewrittenToThePortOfTheProxy()
    {
        var proxy = new LatencyProxy(5000);
        _ = proxy.DisposeAsync();

        Assert.Equal($"http://127.0.0.1:{proxy.Port}", proxy.Through("http://127.0.0.1:5000"));
        Assert.Equal($"http://127.0.0.1:{proxy.Port}/account/link?token=a_b", proxy.Through("http://127.0.0.1:5000/account/link?token=a_b"));
        Assert.Throws<ArgumentException>(() => proxy.Through("http://127.0.0.1:5001/"));
        Assert.Throws<ArgumentException>(() => proxy.Through("http://example.org:5000/"));
    }

    static async Task<TcpClient> ConnectAsync(LatencyProxy proxy)
    {
        var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(IPAddress.Loopback, proxy.Port);
        return client;
    }

    static async Task<byte[]> ReadExactlyAsync(NetworkStream stream, int count)
    {
        var buffer = new byte[count];
        await stream.ReadExactlyAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        return buffer;
    }

    /// <summary>A loopback server that sends back whatever it receives.</summary>
    sealed class LoopbackEcho : IAsyncDisposable
    {
        readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        readonly List<TcpClient> _clients = [];
        readonly Task _accepting;

        public LoopbackEcho()
        {
            _listener.Start();
            _accepting = AcceptAsync();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        async Task AcceptAsync()
        {
            try
            {
                while (true)
                {
                    var client = await _listener.AcceptTcpClientAsync();
                    client.NoDelay = true;
                    lock (_clients) _clients.Add(client);
                    _ = EchoAsync(client);
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }
        }

        static async Task EchoAsync(TcpClient client)
        {
            try
            {
                var stream = client.GetStream();
                await stream.CopyToAsync(stream);
                client.Client.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
            {
            }
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            await _accepting;
            lock (_clients) foreach (var client in _clients) client.Dispose();
        }
    }
}
