using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace GradeBench.Testing;

/// <summary>A private redis-server of a test class: on a free loopback port, in a temporary folder, keeping nothing on
/// disk, so that a test can stop it (an outage) and start it again on the same port.</summary>
public sealed class TestRedis : IDisposable
{
    public const string Executable = "/usr/bin/redis-server";
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    readonly TempFolder _folder = new("gradebench-redis-");
    Process? _process;

    public TestRedis()
    {
        Port = FreePort();
        Start();
    }

    public int Port { get; }

    /// <summary>The StackExchange.Redis configuration string for <c>GradeBench:Redis</c>.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    public bool Running => _process is { HasExited: false };

    /// <summary>Starts the server (again) and returns once it answers.</summary>
    public void Start()
    {
        if (Running) return;
        var start = new ProcessStartInfo(Executable)
        {
            WorkingDirectory = _folder.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", _folder.Path })
            start.ArgumentList.Add(argument);
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + Patience;
        while (!Answers())
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
                throw new InvalidOperationException($"{Executable} did not start on port {Port}.");
            Thread.Sleep(50);
        }
    }

    /// <summary>Kills the server: clients see their connections drop, as in an outage.</summary>
    public void Stop()
    {
        if (_process is null) return;
        if (!_process.HasExited) _process.Kill();
        _process.WaitForExit();
        _process.Dispose();
        _process = null;
    }

    bool Answers()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, Port);
            var stream = client.GetStream();
            stream.Write("PING\r\n"u8);
            var buffer = new byte[16];
            var read = stream.Read(buffer);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }

    static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public void Dispose()
    {
        Stop();
        _folder.Dispose();
    }
}
