namespace GradeBench.Web.Features.Grading;

public static class GradingServices
{
    /// <summary>The services of the grading page: one <see cref="MarkdownRenderer"/> for the whole app, so its cache
    /// is shared by every circuit (raters of one study read the same case texts), and a <see cref="GradingSession"/> per circuit.</summary>
    public static IServiceCollection AddGrading(this IServiceCollection services)
    {
        // A factory rather than an instance, so the container disposes the renderer's cache at shutdown.
        services.AddSingleton(_ => new MarkdownRenderer());
        services.AddSingleton<RatingRecorder>();
        // One per circuit: the grading page's draft, typing pause, journal bookkeeping and save lock.
        services.AddScoped<GradingSession>();
        return services;
    }
}
