using System.CommandLine;
using GradeBench.Storage;
using GradeBench.Storage.Backup;

namespace GradeBench.Cli.Backup;

/// <summary><c>gradebench backup</c>: a consistent copy of the database, safe to take while the web app runs.
/// Restoring is copying the file back while GradeBench is stopped (docs/backup.md).</summary>
static class BackupCommand
{
    public static Command Create(Option<string> databaseOption, TextWriter output, TextWriter error)
    {
        var target = new Option<FileInfo>("--out") { Description = "The backup file to write (replaced if it exists)", Required = true };
        var command = new Command("backup", "Copy the database while GradeBench runs (SQLite online backup), then check the copy.") { databaseOption, target };
        command.SetAction(async (parse, ct) =>
        {
            if (Database.SqliteFileOf(parse.GetValue(databaseOption)!) is not { } file)
            {
                error.WriteLine("error: backup copies an SQLite file; back up a PostgreSQL database with pg_dump (docs/backup.md)");
                return ExitCodes.InvalidInput;
            }
            var source = new FileInfo(file);
            var copy = parse.GetValue(target)!;
            // Never create or migrate the database being backed up.
            if (!source.Exists)
            {
                error.WriteLine($"error: there is no database {source.FullName}");
                return ExitCodes.InvalidInput;
            }
            if (copy.FullName == source.FullName)
            {
                error.WriteLine("error: --out must be another file than --db");
                return ExitCodes.InvalidInput;
            }
            var bytes = await DatabaseBackup.CopyAsync(new Database(source.FullName), copy.FullName, ct);
            output.WriteLine($"{copy.FullName}: {bytes:N0} bytes, integrity check ok");
            return ExitCodes.Success;
        });
        return command;
    }
}
