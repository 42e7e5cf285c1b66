using System.Diagnostics;
using System.Net;

namespace GradeBench.EndToEnd.Tests;

public sealed class PublishTests
{
    /// <summary>A published app has no repository around it: it must carry the root wwwroot and the demo study.</summary>
    [Fact]
    public async Task PublishedAppServesOurFilesAndTheFrameworkAndImportsTheDemoStudy()
    {
        var output = Directory.CreateTempSubdirectory("gradebench-publish-").FullName;
        try
        {
            var project = Path.Combine(Path.GetDirectoryName(RunningApp.BuiltAppPath)!, "..", "..", "..", "GradeBench.Web.csproj");
            var configuration = new DirectoryInfo(Path.GetDirectoryName(RunningApp.BuiltAppPath)!).Parent!.Name;
            await RunAsync("dotnet", "publish", Path.GetFullPath(project), "--no-build", "-c", configuration, "-o", output, "-nologo");

            await using var app = await RunningApp.StartAsync(Path.Combine(output, "GradeBench.Web.dll"));
            using var http = new HttpClient { BaseAddress = new Uri(app.BaseAddress) };

            foreach (var path in new[] { "/css/app.css", "/_framework/blazor.web.js", "/_content/MudBlazor/MudBlazor.min.css" })
                Assert.Equal((path, HttpStatusCode.OK), (path, (await http.GetAsync(path)).StatusCode));
            Assert.True(File.Exists(Path.Combine(output, "data", "demo-stroke", "study.json")));
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    static async Task RunAsync(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', args)} failed:\n{await stdout}\n{await stderr}");
    }
}
