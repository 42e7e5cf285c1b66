using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using GradeBench.Storage.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace GradeBench.Web.Features.Accounts;

/// <summary>Signs in the user behind <c>Authorization: Bearer TOKEN</c>, with the same claims as the cookie, so
/// every authorization check treats a program exactly like the person whose token it uses. The token is looked up
/// on every request, so a revoked or expired token stops working at once.</summary>
public sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiTokenStore tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";
    const string Prefix = "Bearer ";

    /// <summary>Whether the request carries a bearer token at all (then it is judged by the token alone).</summary>
    public static bool HasBearerToken(HttpRequest request) => BearerToken(request) is not null;

    // Browsers cannot set headers on a WebSocket, so SignalR sends the token as ?access_token= on the hub only.
    static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)) return header[Prefix.Length..].Trim();
        return AccountServices.IsHub(request) && request.Query.TryGetValue("access_token", out var query) ? query.ToString().Trim() : null;
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (BearerToken(Request) is not { } token) return AuthenticateResult.NoResult();
        if (token.Length == 0) return AuthenticateResult.Fail("Empty bearer token.");
        if (await tokens.FindOwnerAsync(token, Context.RequestAborted) is not { } owner) return AuthenticateResult.Fail("Unknown, revoked or expired API token.");
        var principal = CurrentUser.ToPrincipal(owner.User);
        // Which token, so that a hub connection it opens can be closed when it is revoked or expires (HubSignIns).
        var identity = (ClaimsIdentity)principal.Identity!;
        identity.AddClaim(new Claim(CurrentUser.ApiTokenClaim, owner.TokenHash));
        if (owner.ExpiresAt is { } expiresAt) identity.AddClaim(new Claim(CurrentUser.ApiTokenExpiresClaim, expiresAt.ToString("O", CultureInfo.InvariantCulture)));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }
}
