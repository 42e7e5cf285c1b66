namespace GradeBench.Web.Tests;

static class TestPaths
{
    public static string RepositoryRoot { get; } = FindRoot();

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "GradeBench.sln"))) return dir.FullName;
        throw new InvalidOperationException("GradeBench.sln not found above " + AppContext.BaseDirectory);
    }
}
