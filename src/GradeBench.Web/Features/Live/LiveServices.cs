using GradeBench.Storage.Nodes;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;

namespace GradeBench.Web.Features.Live;

public static class LiveServices
{
    /// <summary>The hub's policy: a signed-in user, by cookie or API token.</summary>
    public const string HubPolicy = "hub";

    /// <summary>The live services; with <paramref name="redis"/> (<see cref="RedisLink.Setting"/>), for one of several
    /// nodes: the SignalR Redis backplane and <see cref="EventBridge"/> over one shared connection.</summary>
    public static IServiceCollection AddLive(this IServiceCollection services, string? redis = null)
    {
        services.AddSignalR();
        services.AddSingleton(new LiveStatus { Shared = redis is { Length: > 0 } });
        if (redis is { Length: > 0 })
        {
            services.AddSingleton(provider => new RedisLink(redis, provider.GetRequiredService<InstallationQuery>(), provider.GetRequiredService<GradeBench.Web.Hosting.NodeLeases>()));
            // The backplane for the study hub only, as AddStackExchangeRedis would register it for every hub: Blazor's
            // circuits stay on their node (sticky) and must keep working while Redis is away.
            services.AddSingleton<HubLifetimeManager<StudyHub>, RedisHubLifetimeManager<StudyHub>>();
            services.AddOptions<RedisOptions>().Configure<RedisLink>((options, link) =>
            {
                options.Configuration = RedisLink.Options(redis);
                options.ConnectionFactory = _ => link.ConnectionAsync();
            });
            services.AddHostedService<EventBridge>();
        }
        services.AddSingleton<StudyEvents>();
        services.AddSingleton<PresenceTracker>();
        services.AddHostedService<HubRelay>();
        services.AddSingleton<HubConnections>();
        services.AddScoped<CircuitPresence>();
        services.AddScoped<CircuitHandler, PresenceCircuitHandler>();
        return services;
    }

    public static IEndpointRouteBuilder MapLive(this IEndpointRouteBuilder app)
    {
        app.MapHub<StudyHub>("/hubs/study");
        return app;
    }
}
