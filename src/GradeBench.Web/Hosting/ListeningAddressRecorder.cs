using GradeBench.Storage;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace GradeBench.Web.Hosting;

/// <summary>Once the server listens, records where (the real port, also when asked for port 0) beside the database,
/// for <c>gradebench invite</c>'s links.</summary>
public sealed class ListeningAddressRecorder(IServer server, IHostApplicationLifetime lifetime, Database database, ILogger<ListeningAddressRecorder> log) : IHostedService
{
    public Task StartAsync(CancellationToken ct)
    {
        lifetime.ApplicationStarted.Register(Record);
        return Task.CompletedTask;
    }

    void Record()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        try
        {
            ListeningAddresses.Record(database, addresses);
        }
        catch (IOException e)
        {
            // Not fatal: invites then need --base-url, and the CLI says so.
            log.LogWarning(e, "Could not record the listening address in {File}", ListeningAddresses.FileOf(database));
        }
        catch (UnauthorizedAccessException e)
        {
            log.LogWarning(e, "Could not record the listening address in {File}", ListeningAddresses.FileOf(database));
        }
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
