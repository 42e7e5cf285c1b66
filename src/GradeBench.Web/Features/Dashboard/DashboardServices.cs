namespace GradeBench.Web.Features.Dashboard;

public static class DashboardServices
{
    /// <summary>The agreement (per criterion, and on highlights) kept current in the background for the dashboards and the hub, the dashboards' counts, and the study results
    /// computed off the request path for the results page.</summary>
    public static IServiceCollection AddDashboard(this IServiceCollection services)
    {
        services.AddSingleton<AgreementMonitor>();
        services.AddSingleton<DashboardCounts>();
        services.AddHostedService(provider => provider.GetRequiredService<AgreementMonitor>());
        services.AddSingleton<SpanAgreementMonitor>();
        services.AddHostedService(provider => provider.GetRequiredService<SpanAgreementMonitor>());
        services.AddSingleton<StudyResults.ResultsCache>();
        return services;
    }
}
