namespace GradeBench.Web.Hosting;

/// <summary>Headers every answer carries. The content security policy lets pages run only the app's own scripts (no
/// inline or injected script, whatever rendered Markdown or a study's texts might hold), talk only to this server, and
/// never be framed. Inline styles stay allowed: MudBlazor's components set style attributes.</summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

    /// <summary>Set as the answer starts, so that an answer the exception handler cleared and rewrote carries them too.</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            if (NeverStored(context.Request.Path)) headers.CacheControl = "no-store";
            return Task.CompletedTask;
        });
        return next(context);
    });

    /// <summary>API answers and exports hold study data; the account pages hold sign-in forms and one-time links. No
    /// browser or proxy cache keeps them for the next person at a shared computer.</summary>
    static bool NeverStored(PathString path) =>
        path.StartsWithSegments("/api") || path.StartsWithSegments("/signin") || path.StartsWithSegments("/account") || path.StartsWithSegments("/invite");
}
