using System.Security.Claims;
using GradeBench.Storage.Accounts;

namespace GradeBench.Web.Features.Accounts;

/// <summary>The claims a signed-in user carries in the authentication cookie.</summary>
public static class CurrentUser
{
    public const string AdministratorRole = "admin";

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

    public static long Id(this ClaimsPrincipal principal) =>
        long.Parse(principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("Not signed in."));

    public static string DisplayName(this ClaimsPrincipal principal) =>
        principal.FindFirstValue("display_name") ?? principal.Identity?.Name ?? "";

    public static bool IsAdministrator(this ClaimsPrincipal principal) => principal.IsInRole(AdministratorRole);
}
