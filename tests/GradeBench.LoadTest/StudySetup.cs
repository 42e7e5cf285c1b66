using GradeBench.Storage;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Migrations;
using GradeBench.Storage.Studies;
using GradeBench.Testing;
using Microsoft.AspNetCore.Identity;

namespace GradeBench.LoadTest;

public sealed record Account(long Id, string Username);

public sealed record PreparedStudy(long StudyId, IReadOnlyList<Account> Raters, Account Coordinator, string Password);

/// <summary>A fresh database holding one open study big enough for the run, its raters (with passwords, balanced
/// assignments) and a coordinator, made through the same stores and importer the app and the CLI use.</summary>
static class StudySetup
{
    const string Password = "load-test-password";

    /// <summary>The generated study's title, which the home page lists.</summary>
    public const string Title = "Load test (synthetic)";

    /// <summary>A valid rating for the generated rubric (<see cref="SyntheticBundle"/>).</summary>
    public static Dictionary<string, object> RatingValues(Random random) => SyntheticBundle.RatingValues(random);

    public static async Task<PreparedStudy> PrepareAsync(Database database, string folder, LoadSettings settings, CancellationToken ct)
    {
        var clock = TimeProvider.System;
        await new Migrator(database, clock).MigrateAsync(ct);
        var bundle = WriteBundle(Path.Combine(folder, "bundle"), settings);
        // The bundle is ours, and a large study's responses file passes the import's default 10 MiB limit.
        var imported = await new StudyImporter(database, clock).ImportAsync(bundle, maxFileBytes: 1L << 30, ct: ct);
        if (!imported.Succeeded) throw new InvalidOperationException($"The generated bundle did not import:\n{string.Join('\n', imported.Errors)}");
        var studyId = imported.StudyId!.Value;

        var users = new UserStore(database, clock);
        // One hash for everyone: the hasher salts each hash but never looks at the user, and 200 PBKDF2 runs would only slow the setup.
        var hash = new PasswordHasher<User>().HashPassword(new User { Username = "", DisplayName = "" }, Password);
        async Task<Account> CreateAsync(string username)
        {
            var user = await users.CreateAsync(username, username, isAdmin: false, ct) ?? throw new InvalidOperationException($"{username} exists already.");
            await users.SetPasswordHashAsync(user.Id, hash, ct);
            return new Account(user.Id, username);
        }
        var coordinator = await CreateAsync("load-coordinator");
        var raters = new List<Account>();
        for (var i = 1; i <= settings.Raters; i++) raters.Add(await CreateAsync($"load-rater-{i:D3}"));

        // All memberships, then one rebalance: UserStore.AddMembershipAsync would plan the study again for every rater.
        var now = clock.GetUtcNow();
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await Memberships.AddAsync(connection, transaction, studyId, coordinator.Id, "coordinator", now);
        foreach (var rater in raters) await Memberships.AddAsync(connection, transaction, studyId, rater.Id, "rater", now);
        await Assignments.RebalanceAsync(connection, transaction, studyId, now);
        await transaction.CommitAsync(ct);
        return new PreparedStudy(studyId, raters, coordinator, Password);
    }

    /// <summary>A bundle folder of synthetic cases, three models' answers to each, and the shared rubric.</summary>
    static string WriteBundle(string folder, LoadSettings settings) =>
        SyntheticBundle.Write(folder, "load-test", Title, settings.ResponseCount, settings.RatersPerResponse);
}
