namespace GradeBench.Web.Components.Markdown;

public static class MarkdownServices
{
    /// <summary>One <see cref="MarkdownRenderer"/> for the whole app, so its cache is shared by every circuit (raters of
    /// one study read the same case texts).</summary>
    public static IServiceCollection AddMarkdown(this IServiceCollection services)
    {
        // A factory rather than an instance, so the container disposes the renderer's cache at shutdown.
        services.AddSingleton(_ => new MarkdownRenderer());
        return services;
    }
}
