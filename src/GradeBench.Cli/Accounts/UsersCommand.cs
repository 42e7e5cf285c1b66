using System.CommandLine;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Studies;
using Microsoft.AspNetCore.Identity;

namespace GradeBench.Cli.Accounts;

/// <summary><c>gradebench users add|disable|enable</c>: scripted set-up of accounts and study roles, and suspending an
/// account; safe while the web app runs on the same database (SQLite in WAL mode with a busy timeout).</summary>
static class UsersCommand
{
    public static Command Create(Option<string> databaseOption, TextReader input, TextWriter output, TextWriter error)
    {
        var name = new Option<string>("--name") { Description = "User name (what they sign in with)", Required = true };
        var displayName = new Option<string?>("--display-name") { Description = "Name shown to others (default: the user name)" };
        var role = new Option<string>("--role") { Description = "admin, coordinator or rater", Required = true };
        role.AcceptOnlyFromAmong("admin", "coordinator", "rater");
        var study = new Option<string?>("--study") { Description = "Study id (from study.json); needed for coordinator and rater" };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the password from the first line of standard input" };
        var add = new Command("add", "Create a user, or give an existing user a role in a study.")
        {
            databaseOption, name, displayName, role, study, passwordStdin,
        };
        add.SetAction(async (parse, ct) =>
        {
            if (await GradeBenchCommand.OpenAsync(parse, databaseOption, error, ct) is not { } database) return ExitCodes.Failure;
            var username = parse.GetValue(name)!.Trim();
            var chosenRole = parse.GetValue(role)!;
            if (!Core.Studies.BundleReader.IsIdentifier(username))
                return Fail(error, "--name must be 1-64 characters from A-Z a-z 0-9 . _ -");
            long? studyId = null;
            if (chosenRole != "admin")
            {
                if (parse.GetValue(study) is not { } slug) return Fail(error, $"--study is needed for the role {chosenRole}");
                studyId = await new StudyQuery(database).FindIdAsync(slug, ct);
                if (studyId is null) return Fail(error, $"there is no study \"{slug}\"");
            }
            string? password = null;
            if (parse.GetValue(passwordStdin))
            {
                password = (await input.ReadLineAsync(ct))?.TrimEnd('\r');
                if (password is null || password.Length < UserStore.MinimumPasswordLength)
                    return Fail(error, $"the password on standard input must have at least {UserStore.MinimumPasswordLength} characters");
            }

            var users = new UserStore(database, TimeProvider.System);
            var user = await users.FindByUsernameAsync(username, ct);
            var created = user is null;
            user ??= await users.CreateAsync(username, parse.GetValue(displayName) ?? username, chosenRole == "admin", ct);
            if (user is null) return Fail(error, $"could not create \"{username}\"");
            if (password is not null) await users.SetPasswordHashAsync(user.Id, new PasswordHasher<User>().HashPassword(user, password), ct);
            if (chosenRole == "admin" && !user.IsAdmin) await users.MakeAdministratorAsync(user.Id, ct);
            if (studyId is { } id) await users.AddMembershipAsync(id, user.Id, chosenRole, ct);
            output.WriteLine($"{(created ? "Created" : "Updated")} {username}: {chosenRole}{(studyId is null ? "" : $" of {parse.GetValue(study)}")}" +
                (password is null && created ? " (no password yet: send an invite, or run again with --password-stdin)" : "") + ".");
            return ExitCodes.Success;
        });
        return new Command("users", "Manage user accounts.")
        {
            add,
            StatusCommand("disable", "Disable an account: it can no longer sign in, use its API tokens or act in any study.", true, databaseOption, output, error),
            StatusCommand("enable", "Enable a disabled account again.", false, databaseOption, output, error),
        };
    }

    static Command StatusCommand(string name, string description, bool disable, Option<string> databaseOption, TextWriter output, TextWriter error)
    {
        var username = new Argument<string>("name") { Description = "User name of the account" };
        var command = new Command(name, description) { username, databaseOption };
        command.SetAction(async (parse, ct) =>
        {
            if (await GradeBenchCommand.OpenAsync(parse, databaseOption, error, ct) is not { } database) return ExitCodes.Failure;
            var users = new UserStore(database, TimeProvider.System);
            var given = parse.GetValue(username)!.Trim();
            if (await users.FindByUsernameAsync(given, ct) is not { } user) return Fail(error, $"there is no user \"{given}\"");
            switch (await users.SetDisabledAsync(user.Id, disable, actorId: null, ct))
            {
                case AccountStatusOutcome.LastAdministrator:
                    return Fail(error, $"{user.Username} is the last administrator who can sign in; make someone else an administrator first");
                case AccountStatusOutcome.Unchanged:
                    output.WriteLine($"{user.Username} was already {(disable ? "disabled" : "enabled")}.");
                    return ExitCodes.Success;
            }
            // A running web app reads the change from the database within seconds (RevocationFeed.PollInterval).
            output.WriteLine(disable
                ? $"Disabled {user.Username}: they can no longer sign in, use API tokens or act in any study; a running GradeBench closes their open pages within seconds."
                : $"Enabled {user.Username}: they can sign in again, with their studies and API tokens.");
            return ExitCodes.Success;
        });
        return command;
    }

    static int Fail(TextWriter error, string message)
    {
        error.WriteLine($"error: {message}");
        return ExitCodes.InvalidInput;
    }
}
