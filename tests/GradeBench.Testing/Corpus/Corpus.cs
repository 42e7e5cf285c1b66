using System.IO.Compression;
using System.Text;
using GradeBench.Core.Studies;

namespace GradeBench.Testing.Corpus;

/// <summary>The bundles under tests/corpus (see tests/corpus/README.md) and how to read one: a folder is read
/// as it is; a folder with a <c>zip-entries.txt</c> is first zipped, at run time, into <c>bundle.zip</c>.
/// Shared by each test project that reads the corpus.</summary>
public static class Corpus
{
    public const string ExpectedErrorsFile = "expected-errors.txt";
    public const string MaxFileBytesFile = "max-file-bytes.txt";
    public const string ZipEntriesFile = "zip-entries.txt";
    public const string ZipName = "bundle.zip";
    static readonly string[] TestFiles = [ExpectedErrorsFile, MaxFileBytesFile, ZipEntriesFile];
    const int UnixSymbolicLink = 0xA000, UnixPermissions = 0x1FF;

    public static string Root => Path.Combine(TestPaths.RepositoryRoot, "tests", "corpus");
    public static string Malformed(string name) => Path.Combine(Root, "malformed-bundles", name);
    public static string Valid(string name) => Path.Combine(Root, "valid-bundles", name);

    public static IEnumerable<string> MalformedNames() =>
        Directory.GetDirectories(Path.Combine(Root, "malformed-bundles")).Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    /// <summary>Reads a corpus folder as the importer would: with the size limit of its max-file-bytes.txt, and
    /// as a zip when it has a zip-entries.txt.</summary>
    public static BundleReadResult Read(string folder)
    {
        using var temp = new TempFolder();
        var (path, limit) = Prepare(folder, temp);
        return BundleReader.Read(path, limit);
    }

    /// <summary>What to hand the importer for a corpus folder: the folder itself, or the zip built from it in
    /// <paramref name="temp"/>; and the size limit to use.</summary>
    public static (string Path, long MaxFileBytes) Prepare(string folder, TempFolder temp)
    {
        var limitFile = Path.Combine(folder, MaxFileBytesFile);
        var limit = File.Exists(limitFile) ? long.Parse(File.ReadAllText(limitFile).Trim()) : BundleFiles.DefaultMaxFileBytes;
        var manifest = Path.Combine(folder, ZipEntriesFile);
        if (!File.Exists(manifest)) return (folder, limit);
        var zip = Path.Combine(temp.Path, ZipName);
        BuildZip(folder, File.ReadAllLines(manifest), zip);
        return (zip, limit);
    }

    /// <summary>Zips the bundle files of <paramref name="folder"/> (in name order), then adds the entries of the
    /// manifest, one per line: <c>folder NAME</c> puts the bundle files inside NAME/, <c>entry NAME</c> adds a
    /// small text entry, <c>symlink NAME TARGET</c> a symbolic link entry; # starts a comment.</summary>
    public static void BuildZip(string folder, IEnumerable<string> manifest, string zipPath)
    {
        var prefix = "";
        var extra = new List<(string Name, string? LinkTarget)>();
        foreach (var raw in manifest)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var parts = line.Split(' ', 3);
            switch (parts[0])
            {
                case "folder" when parts.Length == 2: prefix = parts[1].TrimEnd('/') + "/"; break;
                case "entry" when parts.Length == 2: extra.Add((parts[1], null)); break;
                case "symlink" when parts.Length == 3: extra.Add((parts[1], parts[2])); break;
                default: throw new InvalidDataException($"{Path.Combine(folder, ZipEntriesFile)}: cannot read \"{raw}\"");
            }
        }
        using var archive = ZipFile.Open(zipPath, ZipArchiveMode.Create);
        var files = Directory.GetFiles(folder).Where(f => !TestFiles.Contains(Path.GetFileName(f))).Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            using var stream = archive.CreateEntry(prefix + Path.GetFileName(file)).Open();
            stream.Write(File.ReadAllBytes(file));
        }
        foreach (var (name, linkTarget) in extra)
        {
            var entry = archive.CreateEntry(name);
            if (linkTarget is not null) entry.ExternalAttributes = unchecked((UnixSymbolicLink | UnixPermissions) << 16);
            using var stream = entry.Open();
            stream.Write(Encoding.UTF8.GetBytes(linkTarget ?? "not part of any bundle\n"));
        }
    }

    public static IReadOnlyList<string> ExpectedErrors(string folder) =>
        File.ReadAllLines(Path.Combine(folder, ExpectedErrorsFile)).Where(l => l.Length > 0).ToList();
}
