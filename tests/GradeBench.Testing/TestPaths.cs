namespace GradeBench.Testing;

/// <summary>The repository the tests run in, found by walking up from the test assembly to GradeBench.sln.</summary>
public static class TestPaths
{
    public static string RepositoryRoot { get; } = FindRoot();
    public static string DemoBundle => Path.Combine(RepositoryRoot, "data", "demo-stroke");

    /// <summary>The id of the study in <see cref="DemoBundle"/>.</summary>
    public const string DemoStudyId = "stroke-llm-synthetic-demo";

    /// <summary>Copies the demo bundle's files into <paramref name="folder"/> (created if need be), for a test that
    /// changes them; returns the folder.</summary>
    public static string CopyDemoBundle(string folder)
    {
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(DemoBundle)) File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        return folder;
    }

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "GradeBench.sln"))) return dir.FullName;
        throw new InvalidOperationException("GradeBench.sln not found above " + AppContext.BaseDirectory);
    }
}
