using System.CommandLine;
using System.Globalization;
using GradeBench.Storage;
using GradeBench.Storage.Accounts;

namespace GradeBench.Cli.Accounts;

/// <summary><c>gradebench token create|list|revoke</c>: personal API tokens for programs that grade on a user's behalf.</summary>
static class TokenCommand
{
    public static Command Create(Option<string> databaseOption, TextWriter output, TextWriter error)
    {
        var user = new Option<string>("--user") { Description = "User name the token acts as", Required = true };
        var label = new Option<string?>("--label") { Description = $"What the token is for, to revoke it by (default: {ApiTokenStore.DefaultLabel})" };
        var expires = new Option<string?>("--expires") { Description = "When it stops working: a number of days (30d) or a date (2027-01-31, from 00:00 UTC that day)" };
        var create = new Command("create", "Print a new API token for the user (shown only this once).") { databaseOption, user, label, expires };
        // Standard output carries the token alone, so a script can capture it: TOKEN=$(gradebench token create ...).
        create.SetAction(async (parse, ct) =>
        {
            var now = TimeProvider.System.GetUtcNow();
            DateTimeOffset? expiresAt = null;
            if (parse.GetValue(expires) is { } text)
            {
                expiresAt = ParseExpiry(text, now);
                if (expiresAt is null || expiresAt <= now)
                {
                    error.WriteLine($"error: --expires {text} is not a number of days (30d) or a date to come (2027-01-31)");
                    return ExitCodes.InvalidInput;
                }
            }
            if (await GradeBenchCommand.OpenAsync(parse, databaseOption, error, ct) is not { } database) return ExitCodes.Failure;
            if (await FindUserAsync(database, parse.GetValue(user)!, error, ct) is not { } found) return ExitCodes.InvalidInput;
            var chosenLabel = parse.GetValue(label)?.Trim() is { Length: > 0 } given ? given : ApiTokenStore.DefaultLabel;
            output.WriteLine(await new ApiTokenStore(database, TimeProvider.System).CreateAsync(found.Id, chosenLabel, expiresAt, ct));
            error.WriteLine($"API token \"{chosenLabel}\" for {found.Username}{(expiresAt is { } at ? $", until {Format(at)}" : "")}: "
                + "send it as \"Authorization: Bearer TOKEN\". It cannot be shown again.");
            return ExitCodes.Success;
        });

        var listUser = new Option<string?>("--user") { Description = "Only this user's tokens" };
        var list = new Command("list", "List API tokens (never the tokens themselves): user, label, created, expires, state.") { databaseOption, listUser };
        list.SetAction(async (parse, ct) =>
        {
            if (await GradeBenchCommand.OpenAsync(parse, databaseOption, error, ct) is not { } database) return ExitCodes.Failure;
            long? userId = null;
            if (parse.GetValue(listUser) is { } name)
            {
                if (await FindUserAsync(database, name, error, ct) is not { } found) return ExitCodes.InvalidInput;
                userId = found.Id;
            }
            var now = TimeProvider.System.GetUtcNow();
            output.WriteLine("user\tlabel\tcreated\texpires\tstate");
            foreach (var token in await new ApiTokenStore(database, TimeProvider.System).ListAsync(userId, ct))
            {
                var state = token.RevokedAt is not null ? "revoked" : token.ExpiresAt <= now ? "expired" : "active";
                output.WriteLine($"{token.Username}\t{token.Label}\t{Format(token.CreatedAt)}\t{(token.ExpiresAt is { } at ? Format(at) : "never")}\t{state}");
            }
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

        return new Command("token", "Manage personal API tokens.") { create, list, revoke };
    }

    /// <summary><c>30d</c>: that many days from now; a date: 00:00 UTC that day; or a full timestamp. Null when it is none of these.</summary>
    internal static DateTimeOffset? ParseExpiry(string text, DateTimeOffset now)
    {
        text = text.Trim();
        if (text.EndsWith('d') && int.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var days) && days is > 0 and <= 36_500)
            return now.AddDays(days);
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            return new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at) ? at : null;
    }

    static string Format(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    static async Task<User?> FindUserAsync(Database database, string username, TextWriter error, CancellationToken ct)
    {
        var found = await new UserStore(database, TimeProvider.System).FindByUsernameAsync(username.Trim(), ct);
        if (found is null) error.WriteLine($"error: there is no user \"{username}\"");
        return found;
    }
}
