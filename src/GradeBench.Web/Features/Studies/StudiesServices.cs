namespace GradeBench.Web.Features.Studies;

public static class StudiesServices
{
    /// <summary>The study lifecycle and membership writes of the dashboard, the set-up page and the hub.</summary>
    public static IServiceCollection AddStudies(this IServiceCollection services)
    {
        services.AddSingleton<StudyRecorder>();
        return services;
    }
}
