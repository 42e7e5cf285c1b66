using GradeBench.Storage.Accounts;

namespace GradeBench.Web.Features.Accounts;

/// <summary>The account rules as the forms state them beside their fields, before anyone breaks them. Each says exactly
/// what the endpoints check; <c>InviteTests</c> holds each sentence to its check.</summary>
public static class AccountRules
{
    /// <summary><c>BundleReader.IsIdentifier</c>, which the invite endpoint and <c>gradebench users add</c> apply; names
    /// are unique ignoring case (<c>users_username_unique</c>).</summary>
    public const string Username = "1 to 64 characters: letters A to Z (upper or lower case, no accents), digits, dots (.), "
        + "dashes (-) and underscores (_); no spaces. Upper and lower case count as the same letter.";

    /// <summary><see cref="UserStore.MinimumPasswordLength"/>, the only check besides the repeat matching.</summary>
    public static readonly string Password =
        $"At least {UserStore.MinimumPasswordLength} characters; spaces and any other characters count. A short sentence is easy to remember.";

    /// <summary>The HTML pattern of <see cref="Username"/>, so the browser says so before the form is sent.</summary>
    public const string UsernamePattern = @"[A-Za-z0-9._\-]{1,64}";
}
