using GradeBench.Storage.Nodes;
using GradeBench.Web.Hosting;
using StackExchange.Redis;

namespace GradeBench.Web.Features.Live;

/// <summary>This node's one connection to Redis (<c>GradeBench:Redis</c>, a StackExchange.Redis configuration string),
/// shared by the SignalR backplane and <see cref="EventBridge"/>. Every channel is under the installation's prefix
/// (migration 0029), so installations sharing a Redis never hear each other. Made on first use, once the database is
/// ready; it does not wait for Redis: it keeps reconnecting in the background.</summary>
public sealed class RedisLink(string configuration, InstallationQuery installation, NodeLeases node) : IAsyncDisposable
{
    public const string Setting = "GradeBench:Redis";

    readonly Lazy<Task<IConnectionMultiplexer>> _connection = new(() => ConnectAsync(configuration, installation));

    /// <summary>Tells this node's messages from other nodes': the id it holds leases under, so that the two can be matched.</summary>
    public string Node => node.NodeId;

    public Task<IConnectionMultiplexer> ConnectionAsync() => _connection.Value;

    public static string ChannelPrefix(string installationId) => "gradebench:" + installationId + ":";

    /// <summary>The settings as given, never failing for want of a server at start.</summary>
    public static ConfigurationOptions Options(string configuration)
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;
        return options;
    }

    static async Task<IConnectionMultiplexer> ConnectAsync(string configuration, InstallationQuery installation)
    {
        var options = Options(configuration);
        options.ChannelPrefix = RedisChannel.Literal(ChannelPrefix(await installation.IdAsync()));
        return await ConnectionMultiplexer.ConnectAsync(options);
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection.IsValueCreated) await (await _connection.Value).DisposeAsync();
    }
}
