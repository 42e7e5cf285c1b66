using GradeBench.Storage.Migrations;
using GradeBench.Storage.Studies;
using Microsoft.AspNetCore.DataProtection;

namespace GradeBench.Web.Hosting;

public static class DatabaseStartup
{
    /// <summary>The lease under which one node at a time does the first-run set-up.</summary>
    public const string FirstRunLease = "first-run";

    public enum DemoOutcome { Imported, StudiesExist, NotWanted, Failed }

    /// <summary>Migrates the database, then imports the demo study when there is no study yet, before the
    /// app serves anything. A database newer than this code stops the app with the reason.</summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app) => await PrepareAsync(app.Services, app.Configuration);

    /// <summary>As <see cref="PrepareDatabaseAsync"/>. Nodes starting together on one database migrate once (the migrator
    /// locks) and then do the rest one at a time under <see cref="FirstRunLease"/>: the keys of an older version's keys
    /// folder are imported and the first key is made once, and the demo is imported by one node only.</summary>
    public static async Task<DemoOutcome> PrepareAsync(IServiceProvider services, IConfiguration configuration, CancellationToken ct = default)
    {
        var log = services.GetRequiredService<ILoggerFactory>().CreateLogger("GradeBench.Database");
        var applied = await services.GetRequiredService<Migrator>().MigrateAsync(ct);
        if (applied.Count > 0) log.LogInformation("Applied migrations {Migrations}", string.Join(", ", applied.Select(m => $"{m.Version:D4}_{m.Name}")));
        if (!SharedKeys.Encrypted(configuration))
            log.LogWarning("The keys that sign cookies are stored unencrypted in the database: protect the database as you would the keys, or set {Setting} to encrypt them",
                SharedKeys.CertificateSetting);

        await using (await services.GetRequiredService<NodeLeases>().ExclusiveAsync(FirstRunLease, ct))
        {
            if (await SharedKeys.ImportLegacyFolderAsync(services, configuration, ct) is var imported and > 0)
                log.LogInformation("Imported {Count} keys from {Folder} into the database, which keeps them from now on; the folder is no longer used",
                    imported, SharedKeys.LegacyFolder(configuration));
            // Loads the key ring, making the first key if there is none: a node starting beside this one finds it made.
            services.GetRequiredService<IDataProtectionProvider>().CreateProtector("GradeBench.Startup").Protect([1]);
            return await ImportDemoAsync(services, configuration, log, ct);
        }
    }

    static async Task<DemoOutcome> ImportDemoAsync(IServiceProvider services, IConfiguration configuration, ILogger log, CancellationToken ct)
    {
        var demo = configuration["GradeBench:DemoStudy"] ?? AppPaths.DemoStudy;
        if (demo.Length == 0) return DemoOutcome.NotWanted;
        if (await services.GetRequiredService<StudyQuery>().CountAsync(ct) > 0) return DemoOutcome.StudiesExist;
        var result = await services.GetRequiredService<StudyImporter>().ImportAsync(demo, ct: ct);
        if (result.Succeeded)
        {
            log.LogInformation("Imported the demo study \"{Study}\" from {Path}", result.Bundle!.Study.Id, demo);
            return DemoOutcome.Imported;
        }
        log.LogError("The demo study at {Path} could not be imported:\n{Errors}", demo, string.Join('\n', result.Errors));
        return DemoOutcome.Failed;
    }
}
