namespace GradeBench.Web.Features.Adjudication;

public static class AdjudicationServices
{
    /// <summary>The services of the adjudication pages and the hub method (the stores come with AddStorage).</summary>
    public static IServiceCollection AddAdjudication(this IServiceCollection services)
    {
        services.AddSingleton<AdjudicationRecorder>();
        services.AddSingleton<GoldSpanRecorder>();
        return services;
    }
}
