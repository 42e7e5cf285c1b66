using GradeBench.Storage.Migrations;
using GradeBench.Storage.Studies;

namespace GradeBench.Web.Hosting;

public static class DatabaseStartup
{
    /// <summary>Migrates the database, then imports the demo study when there is no study yet, before the
    /// app serves anything. A database newer than this code stops the app with the reason.</summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("GradeBench.Database");
        var applied = await app.Services.GetRequiredService<Migrator>().MigrateAsync();
        if (applied.Count > 0) log.LogInformation("Applied migrations {Migrations}", string.Join(", ", applied.Select(m => $"{m.Version:D4}_{m.Name}")));

        var demo = app.Configuration["GradeBench:DemoStudy"] ?? AppPaths.DemoStudy;
        if (demo.Length == 0 || await app.Services.GetRequiredService<StudyQuery>().CountAsync() > 0) return;
        var result = await app.Services.GetRequiredService<StudyImporter>().ImportAsync(demo);
        if (result.Succeeded)
            log.LogInformation("Imported the demo study \"{Study}\" from {Path}", result.Bundle!.Study.Id, demo);
        else
            log.LogError("The demo study at {Path} could not be imported:\n{Errors}", demo, string.Join('\n', result.Errors));
    }
}
