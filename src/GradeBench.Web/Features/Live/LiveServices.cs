using Microsoft.AspNetCore.Components.Server.Circuits;

namespace GradeBench.Web.Features.Live;

public static class LiveServices
{
    /// <summary>The hub's policy: a signed-in user, by cookie or API token.</summary>
    public const string HubPolicy = "hub";

    public static IServiceCollection AddLive(this IServiceCollection services)
    {
        services.AddSignalR();
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
