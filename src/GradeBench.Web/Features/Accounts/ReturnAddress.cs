namespace GradeBench.Web.Features.Accounts;

/// <summary>Where to go back to after signing in or out, as the address gave it.</summary>
public static class ReturnAddress
{
    /// <summary>The address when it is a path on this site, else null (absent). Control characters make it absent:
    /// browsers drop a tab or line break, so "/\t/evil.example" would lead off-site, and <c>LocalRedirect</c> refused
    /// it with a 500.</summary>
    public static string? Local(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//") && !url.StartsWith("/\\") && !url.Any(char.IsControl)
            ? url : null;
}
