using System.CommandLine;
using GradeBench.Cli.Accounts;
using GradeBench.Cli.Agreement;
using GradeBench.Cli.Backup;
using GradeBench.Cli.Checklists;
using GradeBench.Cli.Export;
using GradeBench.Cli.Judges;
using GradeBench.Cli.Notes;
using GradeBench.Cli.Pairwise;
using GradeBench.Cli.Spans;
using GradeBench.Cli.Studies;
using GradeBench.Storage;
using GradeBench.Storage.Migrations;
using GradeBench.Storage.Studies;

namespace GradeBench.Cli;

public static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int InvalidInput = 2;
}

/// <summary>The <c>gradebench</c> command line: one subcommand per feature.</summary>
public static class GradeBenchCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, TextReader? input = null, CancellationToken ct = default)
    {
        var database = new Option<string>("--db")
        {
            Description = "SQLite database file (created when missing), or a PostgreSQL connection string (Host=…;Database=…) or URL (postgres://…)",
            DefaultValueFactory = _ => "gradebench.db",
        };
        var root = new RootCommand("GradeBench: physician grading of LLM answers, with inter-rater agreement.")
        {
            ImportCommand.Create(database, output, error),
            MigrateCommand(database, output, error),
            AgreementCommand.Create(output, error),
            JudgeAgreementCommand.Create(output, error),
            PairwiseCommand.Create(output, error),
            ChecklistCommand.Create(output, error),
            SpanAgreementCommand.Create(output, error),
            UsersCommand.Create(database, input ?? TextReader.Null, output, error),
            InviteCommand.Create(database, output, error),
            TokenCommand.Create(database, output, error),
            JudgesCommand.Create(database, output, error),
            ExportCommand.Create(database, output, error),
            NotesCommand.Create(database, output, error),
            BackupCommand.Create(database, output, error),
            CopyCommand.Create(output, error),
            GoldSpansCommand.Create(database, output, error),
        };
        var invocation = new InvocationConfiguration { Output = output, Error = error };
        return await root.Parse(args).InvokeAsync(invocation, ct);
    }

    static Command MigrateCommand(Option<string> databaseOption, TextWriter output, TextWriter error)
    {
        var command = new Command("migrate", "Create the database or bring its schema up to date.") { databaseOption };
        command.SetAction(async (parse, ct) =>
        {
            var database = new Database(parse.GetValue(databaseOption)!);
            var applied = await MigrateAsync(database, error, ct);
            if (applied is null) return ExitCodes.Failure;
            output.WriteLine(applied.Count == 0
                ? $"{database.DisplayName}: schema is up to date (version {Migrator.LatestVersion})."
                : $"{database.DisplayName}: applied {string.Join(", ", applied.Select(m => $"{m.Version:D4}_{m.Name}"))}.");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The database named by <c>--db</c>, migrated; null (after saying why) when it cannot be used.</summary>
    internal static async Task<Database?> OpenAsync(ParseResult parse, Option<string> databaseOption, TextWriter error, CancellationToken ct)
    {
        var database = new Database(parse.GetValue(databaseOption)!);
        return await MigrateAsync(database, error, ct) is null ? null : database;
    }

    /// <summary>Migrates the database; null (after saying why) when it cannot be used.</summary>
    static async Task<IReadOnlyList<Migration>?> MigrateAsync(Database database, TextWriter error, CancellationToken ct)
    {
        try
        {
            return await new Migrator(database, TimeProvider.System).MigrateAsync(ct);
        }
        catch (SchemaTooNewException e)
        {
            error.WriteLine($"error: {e.Message}");
            return null;
        }
    }

    /// <summary>The id of the study with this slug; null (after saying so) when there is none.</summary>
    internal static async Task<long?> FindStudyAsync(Database database, string slug, TextWriter error, CancellationToken ct)
    {
        if (await new StudyQuery(database).FindIdAsync(slug, ct) is { } studyId) return studyId;
        error.WriteLine($"error: there is no study \"{slug}\"");
        return null;
    }
}
