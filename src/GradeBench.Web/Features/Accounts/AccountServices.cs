using GradeBench.Storage.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;

namespace GradeBench.Web.Features.Accounts;

public static class AccountServices
{
    /// <summary>The authorization policy of <c>/api</c>: a signed-in user, by API token or by cookie.</summary>
    public const string ApiPolicy = "api";

    // One scheme that picks a single way in per request: a request with a bearer token is judged by the token alone
    // (a bad token is a 401 even beside a valid cookie, and a request never carries two users), else by the cookie.
    const string ApiScheme = "api";

    /// <summary>Cookie sign-in, bearer API tokens for <c>/api</c>, ASP.NET Core Identity's password hasher, the
    /// first-run sign-in link, and a fallback policy under which everything needs a signed-in user unless it says
    /// otherwise.</summary>
    public static IServiceCollection AddAccounts(this IServiceCollection services)
    {
        services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
        services.AddSingleton<SignInThrottle>();
        services.AddHostedService<SignInLinkAnnouncer>();
        services.AddCascadingAuthenticationState();
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(options =>
        {
            options.LoginPath = "/signin";
            options.Cookie.Name = "gradebench.auth";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.ExpireTimeSpan = TimeSpan.FromHours(12);
            options.SlidingExpiration = true;
            // A program calling the API wants a status code, not a redirect to an HTML sign-in page.
            options.Events.OnRedirectToLogin = context => StatusOrRedirect(context, StatusCodes.Status401Unauthorized);
            options.Events.OnRedirectToAccessDenied = context => StatusOrRedirect(context, StatusCodes.Status403Forbidden);
        })
        .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null)
        .AddPolicyScheme(ApiScheme, "API token or cookie", options => options.ForwardDefaultSelector = context =>
            ApiTokenAuthenticationHandler.HasBearerToken(context.Request)
                ? ApiTokenAuthenticationHandler.SchemeName
                : CookieAuthenticationDefaults.AuthenticationScheme);
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(ApiPolicy, policy => policy.AddAuthenticationSchemes(ApiScheme).RequireAuthenticatedUser());
        return services;
    }

    static Task StatusOrRedirect(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (IsApi(context.Request)) context.Response.StatusCode = status;
        else context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api");
}
