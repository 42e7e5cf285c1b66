namespace GradeBench.Web.Features.Grading;

public static class GradingServices
{
    /// <summary>The services of the grading pages: a <see cref="GradingSession"/> and a <see cref="PairSession"/> per circuit.</summary>
    public static IServiceCollection AddGrading(this IServiceCollection services)
    {
        services.AddSingleton<RatingRecorder>();
        services.AddSingleton<PairRecorder>();
        services.AddSingleton<Flags.FlagRecorder>();
        services.AddSingleton<GradeBench.Storage.Pairwise.PairAnswerFlags>();
        services.AddSingleton<PairFlagRecorder>();
        services.AddScoped<GradingSession>();
        services.AddScoped<PairSession>();
        return services;
    }
}
