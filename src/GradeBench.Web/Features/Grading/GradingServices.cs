namespace GradeBench.Web.Features.Grading;

public static class GradingServices
{
    public static IServiceCollection AddGrading(this IServiceCollection services)
    {
        services.AddSingleton<RatingRecorder>();
        return services;
    }
}
