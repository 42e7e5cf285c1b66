using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace GradeBench.EndToEnd.Tests.Field;

/// <summary>A loopback TCP proxy in front of a loopback port that holds every chunk for a one-way delay in each
/// direction, as a far network would (75 ms each way, a 150 ms round trip, by default). It is plain TCP, so HTTP and
/// Blazor's WebSocket pass unchanged. Each direction keeps its byte order and its throughput: a chunk leaves at the
/// time it was read plus the delay, and neither direction waits for the other. It stops, connections and all, when
/// disposed.</summary>
public sealed class LatencyProxy : IAsyncDisposable
{
    public static readonly TimeSpan DefaultOneWayDelay = TimeSpan.FromMilliseconds(75);

    const int ReadSize = 64 * 1024;
    // Chunks held per direction before the proxy stops reading, so that a slow reader holds the sender back as TCP does.
    const int HeldChunks = 1024;

    readonly record struct Held(byte[] Bytes, long ReadAt);

    readonly TcpListener _listener;
    readonly int _targetPort;
    readonly CancellationTokenSource _stop = new();
    readonly Lock _gate = new();
    readonly HashSet<Socket> _sockets = [];
    readonly List<Task> _connections = [];
    readonly Task _accepting;

    /// <param name="targetPort">A port on 127.0.0.1: the proxy never reaches beyond this machine.</param>
    public LatencyProxy(int targetPort, TimeSpan? oneWayDelay = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(targetPort);
        _targetPort = targetPort;
        OneWayDelay = oneWayDelay ?? DefaultOneWayDelay;
        ArgumentOutOfRangeException.ThrowIfLessThan(OneWayDelay, TimeSpan.Zero);
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public TimeSpan OneWayDelay { get; }
    public int Port { get; }
    public string BaseAddress => $"http://127.0.0.1:{Port}";

    /// <summary>An address on the target (an app's base address, or a link it printed) made to go through the proxy.
    /// Always 127.0.0.1, as sign-in cookies belong to one host name.</summary>
    public string Through(string address)
    {
        var uri = new Uri(address);
        if (!uri.IsLoopback || uri.Port != _targetPort)
            throw new ArgumentException($"{address} is not on this proxy's target, 127.0.0.1:{_targetPort}.", nameof(address));
        return BaseAddress + address[uri.GetLeftPart(UriPartial.Authority).Length..];
    }

    async Task AcceptAsync()
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            lock (_gate)
            {
                if (_stop.IsCancellationRequested)
                {
                    client.Dispose();
                    server.Dispose();
                    return;
                }
                _sockets.Add(client);
                _sockets.Add(server);
                _connections.RemoveAll(c => c.IsCompleted);
                _connections.Add(ForwardAsync(client, server));
            }
        }
    }

    async Task ForwardAsync(Socket client, Socket server)
    {
        using var cut = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        try
        {
            await server.ConnectAsync(IPAddress.Loopback, _targetPort, cut.Token);
            // Nagle's algorithm would add its own wait to small chunks (a key press, a WebSocket frame).
            client.NoDelay = server.NoDelay = true;
            await Task.WhenAll(PumpAsync(client, server, cut), PumpAsync(server, client, cut));
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            lock (_gate)
            {
                _sockets.Remove(client);
                _sockets.Remove(server);
            }
            client.Dispose();
            server.Dispose();
        }
    }

    /// <summary>One direction: a reader queues chunks with the time they were read, a writer sends each at that time
    /// plus the delay. The end of the input is passed on as a half close; any failure ends the whole connection.</summary>
    async Task PumpAsync(Socket from, Socket to, CancellationTokenSource cut)
    {
        var held = Channel.CreateBounded<Held>(new BoundedChannelOptions(HeldChunks) { SingleReader = true, SingleWriter = true });
        var reading = ReadAsync(from, held.Writer, cut.Token);
        try
        {
            await WriteAsync(held.Reader, to, cut.Token);
        }
        catch (Exception)
        {
            await cut.CancelAsync();
        }
        await reading;
    }

    static async Task ReadAsync(Socket from, ChannelWriter<Held> held, CancellationToken cut)
    {
        Exception? failure = null;
        try
        {
            var buffer = new byte[ReadSize];
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, cut);
                if (read == 0) break;
                await held.WriteAsync(new Held(buffer[..read], Stopwatch.GetTimestamp()), cut);
            }
        }
        catch (Exception e)
        {
            failure = e;
        }
        held.TryComplete(failure);
    }

    async Task WriteAsync(ChannelReader<Held> held, Socket to, CancellationToken cut)
    {
        await using var stream = new NetworkStream(to, ownsSocket: false);
        await foreach (var chunk in held.ReadAllAsync(cut))
        {
            // Task.Delay counts whole milliseconds: wait again until the full delay has passed.
            TimeSpan wait;
            while ((wait = OneWayDelay - Stopwatch.GetElapsedTime(chunk.ReadAt)) > TimeSpan.Zero)
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(wait.TotalMilliseconds)), cut);
            await stream.WriteAsync(chunk.Bytes, cut);
        }
        to.Shutdown(SocketShutdown.Send);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Socket[] sockets;
        Task[] connections;
        lock (_gate)
        {
            sockets = [.. _sockets];
            connections = [.. _connections];
        }
        // Closed outside the lock: a connection that ends because of it takes the lock to forget its sockets.
        foreach (var socket in sockets) socket.Dispose();
        await _accepting;
        await Task.WhenAll(connections);
        _stop.Dispose();
    }
}
