using GradeBench.LoadTest;

namespace GradeBench.EndToEnd.Tests;

/// <summary>Keeps the load tool (tests/GradeBench.LoadTest) working: a tiny run, checked for errors, never for timings.</summary>
public sealed class LoadToolTests
{
    [Fact]
    public async Task AFewRatersSubmitWithoutErrorsAndTheCoordinatorHearsOfEverySubmit()
    {
        var progress = new StringWriter();
        var report = await LoadRun.RunAsync(new LoadSettings
        {
            Raters = 5,
            Rate = 5,
            Duration = TimeSpan.FromSeconds(3),
            WarmUp = TimeSpan.FromSeconds(1),
            Responses = 30,
            ServerDll = RunningApp.BuiltAppPath,
        }, progress);

        var details = $"{progress}\n{report.ToJson()}";
        Assert.True(report.Sent == 20, details);
        Assert.True(report.HttpErrors == 0, details);
        Assert.True(report.MissingEvents == 0, details);
        Assert.True(report.SubmitToEvent.Count == 15, details);
    }
}
