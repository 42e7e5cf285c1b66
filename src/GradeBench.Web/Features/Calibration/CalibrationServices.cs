namespace GradeBench.Web.Features.Calibration;

public static class CalibrationServices
{
    public static IServiceCollection AddCalibration(this IServiceCollection services)
    {
        services.AddSingleton<CalibrationRecorder>();
        return services;
    }
}
