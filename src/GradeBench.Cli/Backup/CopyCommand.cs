using System.CommandLine;
using System.Data.Common;
using GradeBench.Storage;
using GradeBench.Storage.Backup;

namespace GradeBench.Cli.Backup;

/// <summary><c>gradebench copy</c>: moves a whole installation between databases, SQLite and PostgreSQL either way
/// (docs/backup.md, "Moving between SQLite and PostgreSQL").</summary>
static class CopyCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var from = new Option<string>("--from") { Description = "The database to copy (never written): an SQLite file, or a PostgreSQL connection string or URL", Required = true };
        var to = new Option<string>("--to") { Description = "The database to fill: created and migrated if need be, and holding no data", Required = true };
        var round = new Option<bool>("--round-timestamps")
        {
            Description = "Round SQLite timestamps finer than the microsecond down to it (PostgreSQL keeps microseconds); without it they are refused",
        };
        var command = new Command("copy", "Copy a whole installation to another database (SQLite or PostgreSQL), ids, history and timestamps included.") { from, to, round };
        command.SetAction(async (parse, ct) =>
        {
            Database source, target;
            try
            {
                source = new Database(parse.GetValue(from)!);
                target = new Database(parse.GetValue(to)!);
            }
            catch (ArgumentException e)
            {
                error.WriteLine($"error: {e.Message}");
                return ExitCodes.InvalidInput;
            }
            await using (source)
            await using (target)
            {
                IReadOnlyList<CopiedTable> copied;
                try
                {
                    // Each table as it is done: the large ones take a while. Synchronous, so lines keep their order.
                    var progress = new Reporter(table => output.WriteLine($"{table.Name,-24} {table.Rows,12:N0}"));
                    copied = await new DatabaseCopy(source, target, TimeProvider.System) { RoundTimestamps = parse.GetValue(round), Progress = progress }.CopyAsync(ct);
                }
                catch (DatabaseCopyException e)
                {
                    error.WriteLine($"error: {e.Message}");
                    return ExitCodes.Failure;
                }
                // A server that cannot be reached, a file that cannot be opened: before anything was copied.
                catch (DbException e)
                {
                    error.WriteLine($"error: copying {source.DisplayName} to {target.DisplayName}: {e.Message}");
                    return ExitCodes.Failure;
                }
                output.WriteLine($"{source.DisplayName} → {target.DisplayName}: {copied.Count} tables, {copied.Sum(t => t.Rows):N0} rows copied; every table's row count checked in both.");
                return ExitCodes.Success;
            }
        });
        return command;
    }

    sealed class Reporter(Action<CopiedTable> report) : IProgress<CopiedTable>
    {
        public void Report(CopiedTable value) => report(value);
    }
}
