namespace GradeBench.Testing;

/// <summary>The repository the tests run in, found by walking up from the test assembly to GradeBench.sln.</summary>
public static class TestPaths
{
    public static string RepositoryRoot { get; } = FindRoot();
    public static string DemoBundle => Path.Combine(RepositoryRoot, "data", "demo-stroke");

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "GradeBench.sln"))) return dir.FullName;
        throw new InvalidOperationException("GradeBench.sln not found above " + AppContext.BaseDirectory);
    }
}
