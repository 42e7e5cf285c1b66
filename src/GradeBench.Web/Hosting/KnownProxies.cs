using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace GradeBench.Web.Hosting;

/// <summary>Which proxies may say who the client is (<c>X-Forwarded-For</c>) and that it came over HTTPS
/// (<c>X-Forwarded-Proto</c>): by default only one on this machine (loopback); <c>GradeBench:KnownProxies</c>, a
/// comma-separated list of addresses and networks (<c>10.0.0.5, 10.1.0.0/16</c>), replaces that. A header from any
/// other address is ignored, so a client cannot pick the address the sign-in back-off and rate limit count it under.</summary>
public static class KnownProxies
{
    public const string Setting = "GradeBench:KnownProxies";

    public static IServiceCollection AddKnownProxies(this IServiceCollection services)
    {
        services.AddOptions<ForwardedHeadersOptions>().Configure<IConfiguration>((options, configuration) =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            var configured = configuration[Setting]?.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (configured is not { Length: > 0 }) return;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            // Several trusted proxies in a row each add an address: walk back through all of them.
            options.ForwardLimit = null;
            foreach (var entry in configured)
            {
                if (entry.Contains('/')) options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(entry));
                else if (IPAddress.TryParse(entry, out var address)) options.KnownProxies.Add(address);
                else throw new InvalidOperationException($"{Setting}: \"{entry}\" is not an IP address or a network such as 10.1.0.0/16");
            }
        });
        return services;
    }
}
