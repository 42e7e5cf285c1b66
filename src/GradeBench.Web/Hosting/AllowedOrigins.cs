namespace GradeBench.Web.Hosting;

/// <summary>Refuses (403) a request to the hub or the Blazor circuit endpoint (negotiate and WebSocket alike) that a page
/// of another site started: browsers send <c>Origin</c> with those and do not hold WebSockets to the same-origin
/// policy, so without this any site could open a live connection with the visitor's cookie. Allowed: no <c>Origin</c>
/// at all (a program with an API token), the app's own origin (the request's scheme, host and port, as a trusted proxy
/// forwarded them), and those listed in <see cref="Setting"/> (a reverse proxy that rewrites the host).</summary>
public static class AllowedOrigins
{
    /// <summary>Setting: origins besides the app's own, e.g. <c>https://gradebench.example.org</c>; a list
    /// (<c>GradeBench:AllowedOrigins:0</c>, …) or one string separated by commas or spaces.</summary>
    public const string Setting = "GradeBench:AllowedOrigins";

    public static IApplicationBuilder UseAllowedOrigins(this IApplicationBuilder app)
    {
        var configuration = app.ApplicationServices.GetRequiredService<IConfiguration>();
        var listed = configuration.GetSection(Setting).GetChildren().Select(c => c.Value).Append(configuration[Setting])
            .SelectMany(value => (value ?? "").Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(Parse).OfType<Uri>().ToList();
        return app.Use((context, next) =>
        {
            var request = context.Request;
            if (!request.Path.StartsWithSegments("/hubs") && !request.Path.StartsWithSegments("/_blazor")) return next(context);
            if (!request.Headers.TryGetValue("Origin", out var origin)) return next(context);
            var own = Parse($"{request.Scheme}://{request.Host}");
            if (Parse(origin.ToString()) is { } from && (SameOrigin(from, own) || listed.Any(allowed => SameOrigin(from, allowed)))) return next(context);
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return Task.CompletedTask;
        });
    }

    // "null" (a sandboxed page, a file) and anything else that is not an absolute http(s) address is never allowed.
    static Uri? Parse(string? origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) ? uri : null;

    static bool SameOrigin(Uri a, Uri? b) =>
        b is not null && a.Scheme == b.Scheme && a.Port == b.Port && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase);
}
