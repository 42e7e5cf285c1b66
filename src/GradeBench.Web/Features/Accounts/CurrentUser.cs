using System.Globalization;
using System.Security.Claims;
using GradeBench.Storage.Accounts;

namespace GradeBench.Web.Features.Accounts;

/// <summary>The claims a signed-in user carries in the authentication cookie.</summary>
public static class CurrentUser
{
    public const string AdministratorRole = "admin";

    /// <summary>In a cookie: the account's session version when it was issued (see <c>UserStore.EndSessionsAsync</c>).</summary>
    public const string SessionVersionClaim = "session_version";

    /// <summary>On a request signed in by API token: the token's SHA-256 and, if it has one, its expiry (never in a cookie).</summary>
    public const string ApiTokenClaim = "api_token", ApiTokenExpiresClaim = "api_token_expires";

    public static ClaimsPrincipal ToPrincipal(User user)
    {
        List<Claim> claims =
        [
            new(ClaimTypes.NameIdentifier, user.Id.ToString()),
            new(ClaimTypes.Name, user.Username),
            new("display_name", user.DisplayName),
        ];
        if (user.IsAdmin) claims.Add(new Claim(ClaimTypes.Role, AdministratorRole));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, "cookie"));
    }

    /// <summary>The session version of a cookie sign-in; a cookie issued before versions existed counts as version 0.</summary>
    public static long SessionVersion(this ClaimsPrincipal principal) =>
        long.TryParse(principal.FindFirstValue(SessionVersionClaim), out var version) ? version : 0;

    /// <summary>The SHA-256 of the API token the user signed in with; null for a cookie sign-in.</summary>
    public static string? ApiTokenHash(this ClaimsPrincipal principal) => principal.FindFirstValue(ApiTokenClaim);

    public static DateTimeOffset? ApiTokenExpiresAt(this ClaimsPrincipal principal) =>
        DateTimeOffset.TryParse(principal.FindFirstValue(ApiTokenExpiresClaim), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) ? at : null;

    public static long Id(this ClaimsPrincipal principal) =>
        long.Parse(principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("Not signed in."));

    public static string DisplayName(this ClaimsPrincipal principal) =>
        principal.FindFirstValue("display_name") ?? principal.Identity?.Name ?? "";

    public static bool IsAdministrator(this ClaimsPrincipal principal) => principal.IsInRole(AdministratorRole);
}
