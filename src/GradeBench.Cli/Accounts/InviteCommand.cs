using System.CommandLine;
using GradeBench.Core.Studies;
using GradeBench.Storage;
using GradeBench.Storage.Accounts;

namespace GradeBench.Cli.Accounts;

/// <summary><c>gradebench invite</c>: prints a single-use, expiring link that lets a person create an account and
/// join a study.</summary>
static class InviteCommand
{
    public static Command Create(Option<FileInfo> databaseOption, TextWriter output, TextWriter error)
    {
        var study = new Option<string>("--study") { Description = "Study id (from study.json)", Required = true };
        var role = new Option<string>("--role") { Description = "rater or coordinator", DefaultValueFactory = _ => StudyRoles.Rater };
        role.AcceptOnlyFromAmong(StudyRoles.Rater, StudyRoles.Coordinator);
        var baseUrl = new Option<string?>("--base-url") { Description = "The address people open GradeBench at (default: where the web server serving this database last listened)" };
        var days = new Option<int>("--days") { Description = "Days until the link expires", DefaultValueFactory = _ => (int)InviteStore.DefaultLifetime.TotalDays };
        var command = new Command("invite", "Print a single-use invite link to join a study.") { databaseOption, study, role, baseUrl, days };
        command.SetAction(async (parse, ct) =>
        {
            if (await GradeBenchCommand.OpenAsync(parse, databaseOption, error, ct) is not { } database) return ExitCodes.Failure;
            if (await GradeBenchCommand.FindStudyAsync(database, parse.GetValue(study)!, error, ct) is not { } studyId)
                return ExitCodes.InvalidInput;
            if (parse.GetValue(days) < 1)
            {
                error.WriteLine("error: --days must be at least 1");
                return ExitCodes.InvalidInput;
            }
            if ((parse.GetValue(baseUrl) ?? ListeningAddresses.Read(database)) is not { } address)
            {
                error.WriteLine($"error: no web server has recorded its address for {database.FilePath}: start it once " +
                    "(it records where it listens), or pass --base-url with the address people open GradeBench at");
                return ExitCodes.InvalidInput;
            }
            var token = await new InviteStore(database, TimeProvider.System).CreateAsync(studyId, parse.GetValue(role)!, null, TimeSpan.FromDays(parse.GetValue(days)), ct);
            output.WriteLine(InviteStore.Link(address, token));
            return ExitCodes.Success;
        });
        return command;
    }
}
