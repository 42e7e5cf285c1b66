using GradeBench.Storage;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Nodes;
using GradeBench.Web.Features.Live;
using GradeBench.Web.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace GradeBench.Web.Features.Accounts;

/// <summary>Until an administrator has a password, each start prints a fresh single-use sign-in link built
/// from the address the server actually listens on (like a notebook server's token). Of several nodes (<c>--redis</c>)
/// starting together only one prints it (the one that takes <see cref="Lease"/>): a newer link ends the older, so a second
/// would void the first. A single node prints one on every start, however soon after the last (a restart after a crash).</summary>
public sealed class SignInLinkAnnouncer(IServer server, IHostApplicationLifetime lifetime, UserStore users, LeaseStore leases, NodeLeases node,
    LiveStatus live, ILogger<SignInLinkAnnouncer> log) : IHostedService
{
    public static readonly TimeSpan LinkLifetime = TimeSpan.FromHours(24);

    /// <summary>Taken and left to expire: a node starting within its length of another prints no link of its own.</summary>
    public const string Lease = "sign-in-link";

    public Task StartAsync(CancellationToken ct)
    {
        lifetime.ApplicationStarted.Register(() => _ = AnnounceAsync());
        return Task.CompletedTask;
    }

    async Task AnnounceAsync()
    {
        try
        {
            var admin = await users.AdministratorWithoutPasswordAsync();
            if (admin is null) return;
            if (live.Shared && !await leases.TryAcquireAsync(Lease, node.NodeId, NodeLeases.Length))
            {
                log.LogInformation("A node started in the last {Seconds} s printed the administrator sign-in link (if that was this one before a restart, start it again after that for a new link)",
                    NodeLeases.Length.TotalSeconds);
                return;
            }
            _printed = live.Shared;
            var token = await users.CreateSignInTokenAsync(admin.Id, LinkLifetime);
            var link = $"{BrowsableAddress(server)}/account/link?token={token}";
            // Written to the console directly too, so that it shows whatever the log level.
            Console.WriteLine();
            Console.WriteLine("GradeBench: open this link to sign in as the administrator (single use, valid for 24 hours):");
            Console.WriteLine($"    {link}");
            Console.WriteLine();
            log.LogInformation("Printed a one-time administrator sign-in link");
        }
        catch (Exception e)
        {
            log.LogError(e, "Could not create the administrator sign-in link");
        }
    }

    /// <summary>The first address the server listens on, with a wildcard host replaced by localhost.</summary>
    static string BrowsableAddress(IServer server) =>
        ListeningAddresses.Browsable(server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost:5080");

    bool _printed;

    /// <summary>A node stopped in order lets the next start print a link at once.</summary>
    public async Task StopAsync(CancellationToken ct)
    {
        if (!_printed) return;
        try
        {
            await leases.ReleaseAsync(Lease, node.NodeId, ct);
        }
        catch (Exception e)
        {
            log.LogWarning(e, "The sign-in link's lease could not be released; it expires by itself");
        }
    }
}
