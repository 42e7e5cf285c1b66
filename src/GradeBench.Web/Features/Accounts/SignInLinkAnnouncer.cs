using GradeBench.Storage;
using GradeBench.Storage.Accounts;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace GradeBench.Web.Features.Accounts;

/// <summary>Until an administrator has a password, each start prints a fresh single-use sign-in link built
/// from the address the server actually listens on (like a notebook server's token).</summary>
public sealed class SignInLinkAnnouncer(IServer server, IHostApplicationLifetime lifetime, UserStore users, ILogger<SignInLinkAnnouncer> log) : IHostedService
{
    public static readonly TimeSpan LinkLifetime = TimeSpan.FromHours(24);

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

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
