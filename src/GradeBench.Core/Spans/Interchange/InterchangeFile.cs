namespace GradeBench.Core.Spans.Interchange;

/// <summary>A file of an interchange format: its path (relative, <c>/</c> between folders) and its bytes.</summary>
public sealed record InterchangeFile(string Path, byte[] Content)
{
    /// <summary>Writes <paramref name="files"/> under <paramref name="directory"/>, creating the folders they need.</summary>
    public static void WriteAll(string directory, IEnumerable<InterchangeFile> files)
    {
        foreach (var file in files)
        {
            var path = System.IO.Path.Combine(directory, file.Path);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            System.IO.File.WriteAllBytes(path, file.Content);
        }
    }

    /// <summary>Every file under <paramref name="directory"/>, by its path relative to it with <c>/</c> between folders.</summary>
    public static Dictionary<string, byte[]> ReadAll(string directory) =>
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).ToDictionary(
            path => System.IO.Path.GetRelativePath(directory, path).Replace(System.IO.Path.DirectorySeparatorChar, '/'),
            System.IO.File.ReadAllBytes,
            StringComparer.Ordinal);
}
