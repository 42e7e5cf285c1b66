namespace GradeBench.Web.Features.Dashboard;

public static class DashboardServices
{
    /// <summary>The agreement kept current in the background for the dashboards and the hub.</summary>
    public static IServiceCollection AddDashboard(this IServiceCollection services)
    {
        services.AddSingleton<AgreementMonitor>();
        services.AddHostedService(provider => provider.GetRequiredService<AgreementMonitor>());
        return services;
    }
}
