using GradeBench.Storage.Accounts;
using Microsoft.Extensions.Localization;

namespace GradeBench.Web.Features.Accounts;

/// <summary>The account rules as the forms state them beside their fields, before anyone breaks them (AccountsText.resx).
/// Each says exactly what the endpoints check; <c>InviteTests</c> holds each sentence to its check.</summary>
public static class AccountRules
{
    /// <summary><c>BundleReader.IsIdentifier</c>, which the invite endpoint and <c>gradebench users add</c> apply; names
    /// are unique ignoring case (<c>users_username_unique</c>).</summary>
    public static string Username(IStringLocalizer<AccountsText> text) => text["UsernameRule"];

    /// <summary><see cref="UserStore.MinimumPasswordLength"/>, the only check besides the repeat matching.</summary>
    public static string Password(IStringLocalizer<AccountsText> text) => text["PasswordRule", UserStore.MinimumPasswordLength];

    /// <summary>The HTML pattern of <see cref="Username"/>, so the browser says so before the form is sent.</summary>
    public const string UsernamePattern = @"[A-Za-z0-9._\-]{1,64}";

    /// <summary>The sign-in back-off's answer (<see cref="SignInThrottle"/>), on the sign-in and invite pages.</summary>
    public static string TryAgainIn(IStringLocalizer<AccountsText> text, int minutes) =>
        text[minutes == 1 ? "TooManyAttemptsOneMinute" : "TooManyAttempts", minutes];
}
