using System.CommandLine;
using GradeBench.Storage;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Studies;
using Microsoft.AspNetCore.Identity;

namespace GradeBench.Cli.Accounts;

/// <summary><c>gradebench users add</c>: scripted set-up of accounts and study roles; safe while the web app runs
/// on the same database (SQLite in WAL mode with a busy timeout).</summary>
static class UsersCommand
{
    public static Command Create(Option<FileInfo> databaseOption, TextReader input, TextWriter output, TextWriter error)
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
            var database = new Database(parse.GetValue(databaseOption)!.FullName);
            if (await GradeBenchCommand.OpenAsync(database, error, ct) is null) return ExitCodes.Failure;
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
        return new Command("users", "Manage user accounts.") { add };
    }

    static int Fail(TextWriter error, string message)
    {
        error.WriteLine($"error: {message}");
        return ExitCodes.InvalidInput;
    }
}
