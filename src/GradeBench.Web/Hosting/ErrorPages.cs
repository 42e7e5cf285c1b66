namespace GradeBench.Web.Hosting;

/// <summary>What a failure shows. Outside Development, never the exception: browsers get the plain error page
/// (Components/Error.razor), API and hub callers an RFC 7807 problem (<c>application/problem+json</c>), which is also
/// what an empty refusal under <c>/api</c> carries. Kestrel names no server. The error page speaks the request's language;
/// problem details stay English: programs read their status and type, not their words.</summary>
public static class ErrorPages
{
    public static WebApplicationBuilder AddHostingDefaults(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        builder.Services.AddProblemDetails();
        return builder;
    }

    public static WebApplication UseErrorPages(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseWhen(IsForPrograms, programs => programs.UseExceptionHandler());
            app.UseWhen(context => !IsForPrograms(context), web => web.UseExceptionHandler("/Error", createScopeForErrors: true));
            app.UseHsts();
        }
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/api"), api => api.UseStatusCodePages());
        // Browsers get the HTML pages; hub callers keep the bare status code: re-executing a refused hub negotiate (a
        // POST) as the not-found page turned its 401 into antiforgery's 400.
        app.UseWhen(context => !IsForPrograms(context),
            web => web.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
        return app;
    }

    static bool IsForPrograms(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/hubs");
}
