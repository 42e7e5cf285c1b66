namespace GradeBench.Web.Features.Grading;

public static class GradingServices
{
    /// <summary>The services of the grading page: a <see cref="GradingSession"/> per circuit.</summary>
    public static IServiceCollection AddGrading(this IServiceCollection services)
    {
        services.AddSingleton<RatingRecorder>();
        services.AddSingleton<Flags.FlagRecorder>();
        services.AddScoped<GradingSession>();
        return services;
    }
}
