namespace GradeBench.Web.Hosting;

/// <summary>Where the shared static assets and the demo study live: in the repository (found by walking up
/// to GradeBench.sln) when run from a checkout, else next to the published app.</summary>
public static class AppPaths
{
    static readonly string? RepositoryRoot = FindRepositoryRoot(AppContext.BaseDirectory);

    public static string WebRoot => Path.Combine(RepositoryRoot ?? AppContext.BaseDirectory, "wwwroot");

    public static string DemoStudy => Path.Combine(RepositoryRoot ?? AppContext.BaseDirectory, "data", "demo-stroke");

    static string? FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "GradeBench.sln"))) return dir.FullName;
        return null;
    }
}
