using System.CommandLine;
using GradeBench.Storage;
using GradeBench.Storage.Accounts;

namespace GradeBench.Cli.Accounts;

/// <summary><c>gradebench token create|revoke</c>: personal API tokens for programs that grade on a user's behalf.</summary>
static class TokenCommand
{
    public static Command Create(Option<FileInfo> databaseOption, TextWriter output, TextWriter error)
    {
        var user = new Option<string>("--user") { Description = "User name the token acts as", Required = true };
        var label = new Option<string?>("--label") { Description = $"What the token is for, to revoke it by (default: {ApiTokenStore.DefaultLabel})" };
        var create = new Command("create", "Print a new API token for the user (shown only this once).") { databaseOption, user, label };
        // Standard output carries the token alone, so a script can capture it: TOKEN=$(gradebench token create ...).
        create.SetAction(async (parse, ct) =>
        {
            if (await GradeBenchCommand.OpenAsync(parse, databaseOption, error, ct) is not { } database) return ExitCodes.Failure;
            if (await FindUserAsync(database, parse.GetValue(user)!, error, ct) is not { } found) return ExitCodes.InvalidInput;
            var chosenLabel = parse.GetValue(label)?.Trim() is { Length: > 0 } text ? text : ApiTokenStore.DefaultLabel;
            output.WriteLine(await new ApiTokenStore(database, TimeProvider.System).CreateAsync(found.Id, chosenLabel, ct));
            error.WriteLine($"API token \"{chosenLabel}\" for {found.Username}: send it as \"Authorization: Bearer TOKEN\". It cannot be shown again.");
            return ExitCodes.Success;
        });

        var all = new Option<bool>("--all") { Description = "Revoke every token of the user" };
        var revokeLabel = new Option<string?>("--label") { Description = "Revoke the user's tokens with this label" };
        var revoke = new Command("revoke", "Revoke a user's API tokens, all of them or those with a label.") { databaseOption, user, all, revokeLabel };
        revoke.SetAction(async (parse, ct) =>
        {
            var byLabel = parse.GetValue(revokeLabel);
            if (parse.GetValue(all) == (byLabel is not null))
            {
                error.WriteLine("error: give either --all or --label");
                return ExitCodes.InvalidInput;
            }
            if (await GradeBenchCommand.OpenAsync(parse, databaseOption, error, ct) is not { } database) return ExitCodes.Failure;
            if (await FindUserAsync(database, parse.GetValue(user)!, error, ct) is not { } found) return ExitCodes.InvalidInput;
            var count = await new ApiTokenStore(database, TimeProvider.System).RevokeAsync(found.Id, byLabel, ct);
            output.WriteLine($"Revoked {count} API token{(count == 1 ? "" : "s")} of {found.Username}.");
            return ExitCodes.Success;
        });

        return new Command("token", "Manage personal API tokens.") { create, revoke };
    }

    static async Task<User?> FindUserAsync(Database database, string username, TextWriter error, CancellationToken ct)
    {
        var found = await new UserStore(database, TimeProvider.System).FindByUsernameAsync(username.Trim(), ct);
        if (found is null) error.WriteLine($"error: there is no user \"{username}\"");
        return found;
    }
}
