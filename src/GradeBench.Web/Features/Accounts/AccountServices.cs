using System.Globalization;
using System.Security.Claims;
using GradeBench.Storage.Accounts;
using GradeBench.Web.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.SignalR;
using System.Threading.RateLimiting;

namespace GradeBench.Web.Features.Accounts;

public static class AccountServices
{
    /// <summary>The authorization policy of <c>/api</c>: a signed-in user, by API token or by cookie.</summary>
    public const string ApiPolicy = "api";

    // The default scheme picks one way in per request: under /api a request with a bearer token is judged by the token
    // alone (a bad token is a 401 even beside a valid cookie, and a request never carries two users); everything else,
    // and /api without a token, by the cookie. Being the default, it also covers /api answers that no endpoint of ours
    // gives (an unknown path, a 415 for a body that is not JSON), so a valid token never meets a cookie-only 401.
    // Tokens do nothing outside /api and the hub: pages and the Blazor circuit stay cookie-only.
    const string TokenOrCookieScheme = "token-or-cookie";

    /// <summary>The rate limit on the ways in (password form, one-time link, invite form), per client address.</summary>
    public const string SignInRateLimit = "sign-in";

    /// <summary>Setting: attempts per minute per client address on the ways in; 0 turns the limit off.</summary>
    public const string SignInAttemptsPerMinuteSetting = "GradeBench:SignInAttemptsPerMinute";
    // Generous: a hospital signs its physicians in from one address; guessing one account is stopped by the per-name lockout.
    const int DefaultSignInAttemptsPerMinute = 60;

    /// <summary>Cookie sign-in, bearer API tokens for <c>/api</c>, ASP.NET Core Identity's password hasher, the
    /// first-run sign-in link, and a fallback policy under which everything needs a signed-in user unless it says
    /// otherwise. The keys that sign the cookies (and antiforgery tokens) are the database's (<see cref="SharedKeys"/>).</summary>
    public static IServiceCollection AddAccounts(this IServiceCollection services)
    {
        services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<AccountRecorder>();
        services.AddSingleton<RevocationFeed>();
        services.AddSingleton<HubSignIns>();
        services.AddSingleton<HubSignInFilter>();
        // The study hub's own options (the global ones copied, then this): the Blazor circuit's hub is checked by its cookie.
        services.AddSignalR().AddHubOptions<Live.StudyHub>(options => options.AddFilter<HubSignInFilter>());
        services.AddHostedService(provider => provider.GetRequiredService<RevocationFeed>());
        services.AddHostedService<SignInLinkAnnouncer>();
        services.AddCascadingAuthenticationState();
        services.AddAuthentication(TokenOrCookieScheme).AddCookie(options =>
        {
            options.LoginPath = "/signin";
            options.Cookie.Name = "gradebench.auth";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            // Secure whenever the request came over HTTPS (directly, or through a proxy on this machine that says so);
            // "Always" would lock out the plain-HTTP localhost address a newcomer starts on.
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.ExpireTimeSpan = TimeSpan.FromHours(12);
            options.SlidingExpiration = true;
            // A program calling the API wants a status code, not a redirect to an HTML sign-in page.
            options.Events.OnRedirectToLogin = context => StatusOrRedirect(context, StatusCodes.Status401Unauthorized);
            options.Events.OnRedirectToAccessDenied = context => StatusOrRedirect(context, StatusCodes.Status403Forbidden);
            // A cookie lives for hours; a disabled account or an ended sign-in must lose it at its very next request.
            options.Events.OnValidatePrincipal = RejectEndedAsync;
            options.Events.OnSigningIn = AddSessionVersionAsync;
            // Every way in (password, first-run link, invite, set-password link) ends in a cookie sign-in: one place to note it.
            options.Events.OnSignedIn = context => context.HttpContext.RequestServices.GetRequiredService<UserStore>()
                .RecordSignInAsync(context.Principal!.Id(), context.HttpContext.RequestAborted);
        })
        .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null)
        .AddPolicyScheme(TokenOrCookieScheme, "API token or cookie", options => options.ForwardDefaultSelector = context =>
            (IsApi(context.Request) || IsHub(context.Request)) && ApiTokenAuthenticationHandler.HasBearerToken(context.Request)
                ? ApiTokenAuthenticationHandler.SchemeName
                : CookieAuthenticationDefaults.AuthenticationScheme);
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(ApiPolicy, policy => policy.AddAuthenticationSchemes(TokenOrCookieScheme).RequireAuthenticatedUser())
            .AddPolicy(Live.LiveServices.HubPolicy, policy => policy.AddAuthenticationSchemes(TokenOrCookieScheme).RequireAuthenticatedUser());
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = async (context, ct) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "60";
                context.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
                await context.HttpContext.Response.WriteAsync(await TooManyAttemptsAsync(context.HttpContext), ct);
            };
            options.AddPolicy(SignInRateLimit, context =>
            {
                var perMinute = context.RequestServices.GetRequiredService<IConfiguration>().GetValue(SignInAttemptsPerMinuteSetting, DefaultSignInAttemptsPerMinute);
                return perMinute <= 0
                    ? RateLimitPartition.GetNoLimiter("off")
                    : RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                        _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
            });
        });
        return services;
    }

    /// <summary>The rate limiter's refusal in the language of the request: the limiter answers before the request
    /// localization middleware has run (and before authentication, so a saved choice is not known), so the cookie and
    /// Accept-Language are asked here, as that middleware would.</summary>
    static async Task<string> TooManyAttemptsAsync(HttpContext http)
    {
        var options = http.RequestServices.GetRequiredService<IOptions<RequestLocalizationOptions>>().Value;
        var language = options.DefaultRequestCulture.UICulture;
        foreach (var provider in options.RequestCultureProviders)
            if ((await provider.DetermineProviderCultureResult(http))?.UICultures.FirstOrDefault().Value is { } asked
                && options.SupportedUICultures?.FirstOrDefault(c => c.Name.Equals(asked, StringComparison.OrdinalIgnoreCase)) is { } offered)
            {
                language = offered;
                break;
            }
        var before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = language;
        try
        {
            return http.RequestServices.GetRequiredService<IStringLocalizer<AccountsText>>()["TooManyFromAddress"];
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    static async Task RejectEndedAsync(CookieValidatePrincipalContext context)
    {
        var users = context.HttpContext.RequestServices.GetRequiredService<UserStore>();
        // A sign-out, "sign out everywhere", a password change or a disabling raised the version: every cookie issued
        // before, a copy included, is refused from here on.
        if (context.Principal is { } principal && await users.FindSessionAsync(principal.Id(), context.HttpContext.RequestAborted) is { User.DisabledAt: null } session
            && session.SessionVersion == principal.SessionVersion())
        {
            Languages.NoteSavedLanguage(context.HttpContext, session.Language);
            // Administrator rights given or taken on the accounts page count from the next request, not the next sign-in.
            if (principal.IsAdministrator() == session.User.IsAdmin) return;
            context.ReplacePrincipal(WithSessionVersion(CurrentUser.ToPrincipal(session.User), session.SessionVersion));
            context.ShouldRenew = true;
            return;
        }
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }

    /// <summary>Every cookie carries the account's session version as it is when the cookie is issued.</summary>
    static async Task AddSessionVersionAsync(CookieSigningInContext context)
    {
        var users = context.HttpContext.RequestServices.GetRequiredService<UserStore>();
        var version = (await users.FindSessionAsync(context.Principal!.Id(), context.HttpContext.RequestAborted))?.SessionVersion ?? 0;
        context.Principal = WithSessionVersion(context.Principal!, version);
    }

    static ClaimsPrincipal WithSessionVersion(ClaimsPrincipal principal, long version)
    {
        var identity = (ClaimsIdentity)principal.Identity!;
        if (identity.FindFirst(CurrentUser.SessionVersionClaim) is { } old) identity.RemoveClaim(old);
        identity.AddClaim(new Claim(CurrentUser.SessionVersionClaim, version.ToString(CultureInfo.InvariantCulture)));
        return principal;
    }

    static Task StatusOrRedirect(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (IsApi(context.Request) || IsHub(context.Request))
        {
            context.Response.StatusCode = status;
            if (status == StatusCodes.Status401Unauthorized) context.Response.Headers.WWWAuthenticate = ApiTokenAuthenticationHandler.SchemeName;
        }
        else context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api");

    /// <summary>The SignalR hub takes tokens too (scripts following a study live).</summary>
    internal static bool IsHub(HttpRequest request) => request.Path.StartsWithSegments("/hubs");
}
