using System.CommandLine;
using GradeBench.Core.Studies;
using GradeBench.Storage;
using GradeBench.Storage.Accounts;

namespace GradeBench.Cli.Accounts;

/// <summary><c>gradebench invite</c>: prints a single-use, expiring link that lets a person create an account and
/// join a study; <c>invite list</c> and <c>invite revoke</c> show and stop the links still pending.</summary>
static class InviteCommand
{
    public static Command Create(Option<string> databaseOption, TextWriter output, TextWriter error)
    {
        var study = new Option<string>("--study") { Description = "Study id (from study.json)", Required = true };
        var role = new Option<string>("--role") { Description = "rater or coordinator", DefaultValueFactory = _ => StudyRoles.Rater };
        role.AcceptOnlyFromAmong(StudyRoles.Rater, StudyRoles.Coordinator);
        var baseUrl = new Option<string?>("--base-url") { Description = "The address people open GradeBench at (default: where the web server serving this database last listened)" };
        var days = new Option<int>("--days") { Description = "Days until the link expires", DefaultValueFactory = _ => (int)InviteStore.DefaultLifetime.TotalDays };
        var command = new Command("invite", "Print a single-use invite link to join a study.")
        {
            databaseOption, study, role, baseUrl, days, List(databaseOption, output, error), Revoke(databaseOption, output, error),
        };
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
                error.WriteLine($"error: no web server has recorded its address for {database.DisplayName}: start it once " +
                    "(it records where it listens), or pass --base-url with the address people open GradeBench at");
                return ExitCodes.InvalidInput;
            }
            var token = await new InviteStore(database, TimeProvider.System).CreateAsync(studyId, parse.GetValue(role)!, null, TimeSpan.FromDays(parse.GetValue(days)), ct);
            output.WriteLine(InviteStore.Link(address, token));
            return ExitCodes.Success;
        });
        return command;
    }

    static Option<string> StudyOption() => new("--study") { Description = "Study id (from study.json)", Required = true };

    static Command List(Option<string> databaseOption, TextWriter output, TextWriter error)
    {
        var study = StudyOption();
        var command = new Command("list", "List the study's invites that can still be used, numbered for invite revoke --id.") { databaseOption, study };
        command.SetAction(async (parse, ct) =>
        {
            if (await GradeBenchCommand.OpenAsync(parse, databaseOption, error, ct) is not { } database) return ExitCodes.Failure;
            if (await GradeBenchCommand.FindStudyAsync(database, parse.GetValue(study)!, error, ct) is not { } studyId)
                return ExitCodes.InvalidInput;
            output.WriteLine("id  role         created (UTC)     expires (UTC)     invited by");
            foreach (var invite in await new InviteStore(database, TimeProvider.System).ListPendingAsync(studyId, ct))
                output.WriteLine($"{invite.Number,-3} {invite.Role,-12} {invite.CreatedAt:yyyy-MM-dd HH:mm}  {invite.ExpiresAt:yyyy-MM-dd HH:mm}  " +
                    (invite.InvitedBy ?? "gradebench invite"));
            return ExitCodes.Success;
        });
        return command;
    }

    static Command Revoke(Option<string> databaseOption, TextWriter output, TextWriter error)
    {
        var study = StudyOption();
        var token = new Option<string?>("--token") { Description = "The invite link, or the token at its end" };
        var id = new Option<long?>("--id") { Description = "The invite's number in gradebench invite list" };
        var all = new Option<bool>("--all-pending") { Description = "Every invite of the study that can still be used" };
        var command = new Command("revoke", "Stop invite links from working; whoever opens one is told it was revoked.") { databaseOption, study, token, id, all };
        command.SetAction(async (parse, ct) =>
        {
            var (link, number, everyOne) = (parse.GetValue(token), parse.GetValue(id), parse.GetValue(all));
            if ((link is null ? 0 : 1) + (number is null ? 0 : 1) + (everyOne ? 1 : 0) != 1)
            {
                error.WriteLine("error: give one of --token, --id or --all-pending");
                return ExitCodes.InvalidInput;
            }
            if (await GradeBenchCommand.OpenAsync(parse, databaseOption, error, ct) is not { } database) return ExitCodes.Failure;
            if (await GradeBenchCommand.FindStudyAsync(database, parse.GetValue(study)!, error, ct) is not { } studyId)
                return ExitCodes.InvalidInput;
            // A whole link pasted in works as well as its token: the token is what follows the last slash.
            var revoked = await new InviteStore(database, TimeProvider.System).RevokePendingAsync(studyId, link?.Trim().Split('/')[^1], number, ct);
            if (revoked == 0 && !everyOne)
            {
                error.WriteLine("error: the study has no pending invite like that (already used, revoked or expired?); see gradebench invite list");
                return ExitCodes.InvalidInput;
            }
            output.WriteLine($"Revoked {revoked} invite{(revoked == 1 ? "" : "s")}.");
            return ExitCodes.Success;
        });
        return command;
    }
}
