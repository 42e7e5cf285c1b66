using System.Text.Json;
using GradeBench.Storage;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Migrations;
using GradeBench.Storage.Studies;
using Microsoft.AspNetCore.Identity;

namespace GradeBench.LoadTest;

public sealed record Account(long Id, string Username);

public sealed record PreparedStudy(long StudyId, IReadOnlyList<Account> Raters, Account Coordinator, string Password);

/// <summary>A fresh database holding one open study big enough for the run, its raters (with passwords, balanced
/// assignments) and a coordinator, made through the same stores and importer the app and the CLI use.</summary>
static class StudySetup
{
    const string Password = "load-test-password";

    /// <summary>The rubric every generated rating fills in; <see cref="RatingValues"/> must match it.</summary>
    static readonly object[] Criteria =
    [
        new { id = "consensus", label = "Agreement with consensus", type = "likert", min = 1, max = 5, required = true },
        new
        {
            id = "completeness", label = "Missing content", type = "ordinal", required = true,
            options = new[] { new { value = "none", label = "None" }, new { value = "minor", label = "Minor" }, new { value = "major", label = "Major" } },
        },
        new { id = "hallucination", label = "Hallucination", type = "binary", required = true },
        new { id = "overall", label = "Overall quality", type = "likert", min = 1, max = 5, required = true },
        new { id = "comment", label = "Comment", type = "text", required = false },
    ];

    static readonly string[] Models = ["model-a", "model-b", "model-c"];

    /// <summary>A valid rating for the rubric above, varied so that agreement has something to compute.</summary>
    public static Dictionary<string, object> RatingValues(Random random) => new()
    {
        ["consensus"] = random.Next(1, 6),
        ["completeness"] = new[] { "none", "minor", "major" }[random.Next(3)],
        ["hallucination"] = random.Next(4) == 0,
        ["overall"] = random.Next(1, 6),
    };

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

    /// <summary>A bundle folder of synthetic cases, three models' answers to each, and the rubric above.</summary>
    static string WriteBundle(string folder, LoadSettings settings)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "study.json"), JsonSerializer.Serialize(new
        {
            format = "gradebench-study/1",
            id = "load-test",
            title = "Load test (synthetic)",
            raters_per_response = settings.RatersPerResponse,
            state = "open",
            rubric = new { criteria = Criteria },
        }));
        var cases = (settings.ResponseCount + Models.Length - 1) / Models.Length;
        File.WriteAllLines(Path.Combine(folder, "cases.jsonl"), Enumerable.Range(1, cases).Select(c => JsonSerializer.Serialize(new
        {
            id = $"case-{c:D5}",
            title = $"Synthetic case {c}",
            presentation_md = $"_Synthetic case {c}._ A 70-year-old with sudden right arm weakness, onset two hours ago.",
            question_md = "What is the next step?",
        })));
        File.WriteAllLines(Path.Combine(folder, "responses.jsonl"), Enumerable.Range(0, settings.ResponseCount).Select(r => JsonSerializer.Serialize(new
        {
            id = $"case-{r / Models.Length + 1:D5}.{Models[r % Models.Length]}",
            case_id = $"case-{r / Models.Length + 1:D5}",
            model = Models[r % Models.Length],
            content_md = "## Assessment\nA candidate for **IV thrombolysis** once blood pressure is below 185/110 mmHg.\n\n- Check glucose.\n- CT angiography for a large-vessel occlusion.",
        })));
        return folder;
    }
}
