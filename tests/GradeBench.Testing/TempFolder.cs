namespace GradeBench.Testing;

/// <summary>A new folder under the system's temporary folder, deleted with what it holds on dispose.</summary>
public sealed class TempFolder(string prefix = "gradebench-tests-") : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory(prefix).FullName;

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
