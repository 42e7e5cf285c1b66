using System.Globalization;
using System.IO.Compression;
using GradeBench.Core.Messages;

namespace GradeBench.Core.Studies;

/// <summary>Reads the files of a bundle from a folder or a .zip, refusing anything that could escape the
/// bundle (symbolic links, absolute or <c>..</c> paths) and any file over the size limit.</summary>
public static class BundleFiles
{
    /// <summary>A bundle is a few files; a zip of more entries is refused before they are listed.</summary>
    public const int MaxZipEntries = 10_000;
    public const long DefaultMaxFileBytes = 10 * 1024 * 1024;
    public static readonly IReadOnlyList<string> RequiredFiles = ["study.json", "cases.jsonl", "responses.jsonl"];
    public static readonly IReadOnlyList<string> OptionalFiles = ["ratings.csv", "votes.csv"];
    static IEnumerable<string> KnownFiles => RequiredFiles.Concat(OptionalFiles);

    public static Dictionary<string, byte[]> Read(string path, long maxFileBytes, List<BundleError> errors)
    {
        var (files, ratings) = ReadRatingsAside(path, maxFileBytes, errors, aside: false);
        if (ratings is not null) files[BundleSyntax.RatingsFile] = ratings.GetAwaiter().GetResult();
        return files;
    }

    /// <summary>The bundle's files; from a folder, ratings.csv (most of a large bundle) is read on another thread while
    /// the others are read here, and returned apart.</summary>
    internal static (Dictionary<string, byte[]> Files, Task<byte[]>? Ratings) ReadRatingsAside(string path, long maxFileBytes, List<BundleError> errors, bool aside = true)
    {
        if (Directory.Exists(path)) return ReadFolder(path, maxFileBytes, errors, aside);
        if (File.Exists(path) && LooksLikeZip(path)) return (ReadZip(path, maxFileBytes, errors), null);
        errors.Add(new BundleError(Path.GetFileName(path), 0, "bundle", new Message("Bundle_NotABundle")));
        return ([], null);
    }

    static bool LooksLikeZip(string path)
    {
        Span<byte> magic = stackalloc byte[4];
        using var stream = File.OpenRead(path);
        return stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false) == 4 && magic[0] == 'P' && magic[1] == 'K';
    }

    static (Dictionary<string, byte[]>, Task<byte[]>?) ReadFolder(string folder, long maxFileBytes, List<BundleError> errors, bool ratingsAside)
    {
        var toRead = new List<(string Name, string Path)>();
        var root = Path.GetFullPath(folder);
        foreach (var name in KnownFiles)
        {
            var full = Path.Combine(root, name);
            if (Directory.Exists(full) && new DirectoryInfo(full).LinkTarget is null)
            {
                errors.Add(new BundleError(name, 0, "file", new Message("Bundle_NotARegularFile")));
                continue;
            }
            var info = new FileInfo(full);
            if (!info.Exists && info.LinkTarget is null)
            {
                if (RequiredFiles.Contains(name)) errors.Add(new BundleError(name, 0, "file", new Message("Bundle_RequiredFileMissing")));
                continue;
            }
            if (info.LinkTarget is not null)
            {
                var target = info.ResolveLinkTarget(returnFinalTarget: true);
                if (target is null || !IsInside(root, target.FullName))
                {
                    errors.Add(new BundleError(name, 0, "file", new Message("Bundle_LinkEscapes")));
                    continue;
                }
                // FileInfo.Exists is true for a symbolic link itself, even a broken one: check the target.
                if (Directory.Exists(target.FullName))
                {
                    errors.Add(new BundleError(name, 0, "file", new Message("Bundle_NotARegularFile")));
                    continue;
                }
                info = new FileInfo(target.FullName);
                if (!info.Exists)
                {
                    errors.Add(new BundleError(name, 0, "file", new Message("Bundle_BrokenLink")));
                    continue;
                }
            }
            if (info.Length > maxFileBytes)
            {
                errors.Add(TooLarge(name, info.Length, maxFileBytes));
                continue;
            }
            toRead.Add((name, info.FullName));
        }
        var ratings = toRead.Where(f => f.Name == BundleSyntax.RatingsFile).Select(f => Task.Run(() => File.ReadAllBytes(f.Path))).FirstOrDefault();
        var files = toRead.Where(f => f.Name != BundleSyntax.RatingsFile).ToDictionary(f => f.Name, f => File.ReadAllBytes(f.Path));
        if (ratingsAside || ratings is null) return (files, ratings);
        files[BundleSyntax.RatingsFile] = ratings.GetAwaiter().GetResult();
        return (files, null);
    }

    static bool IsInside(string root, string path)
    {
        var relative = Path.GetRelativePath(root, path);
        return relative != ".." && !relative.StartsWith(".." + Path.DirectorySeparatorChar) && !Path.IsPathRooted(relative);
    }

    static Dictionary<string, byte[]> ReadZip(string zipPath, long maxFileBytes, List<BundleError> errors)
    {
        var files = new Dictionary<string, byte[]>();
        var zipName = Path.GetFileName(zipPath);
        ZipArchive archive;
        var file = File.OpenRead(zipPath);
        try
        {
            // Counted before ZipArchive lists them: listing builds an object per entry, whatever the count.
            if (ZipDirectory.CountEntries(file, MaxZipEntries) > MaxZipEntries)
            {
                file.Dispose();
                errors.Add(new BundleError(zipName, 0, "zip", new Message("Bundle_TooManyZipEntries", MaxZipEntries.ToString("N0", CultureInfo.InvariantCulture))));
                return files;
            }
            file.Position = 0;
            archive = new ZipArchive(file, ZipArchiveMode.Read);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            file.Dispose();
            errors.Add(new BundleError(zipName, 0, "zip", new Message("Bundle_ZipUnreadable", e.Message)));
            return files;
        }
        using (archive)
        {
            var safe = new Dictionary<string, ZipArchiveEntry>();
            var duplicated = new HashSet<string>();
            foreach (var entry in archive.Entries)
            {
                var why = UnsafeEntryReason(entry);
                if (why is not null) errors.Add(new BundleError(zipName, 0, entry.FullName, why));
                else if (entry.FullName.EndsWith('/')) continue;
                // Two entries with one name: tools disagree on which one counts, so neither does.
                else if (!safe.TryAdd(entry.FullName, entry) && duplicated.Add(entry.FullName))
                    errors.Add(new BundleError(zipName, 0, entry.FullName, new Message("Bundle_DuplicateZipEntry")));
            }
            var prefix = BundleRootPrefix(safe.Keys);
            foreach (var name in KnownFiles)
            {
                if (duplicated.Contains(prefix + name)) continue;
                if (!safe.TryGetValue(prefix + name, out var entry))
                {
                    var listedButUnsafe = archive.Entries.Any(e => e.FullName == prefix + name);
                    if (RequiredFiles.Contains(name) && !listedButUnsafe)
                        errors.Add(new BundleError(name, 0, "file", new Message("Bundle_RequiredFileMissingFromZip")));
                    continue;
                }
                if (entry.Length > maxFileBytes)
                {
                    errors.Add(TooLarge(name, entry.Length, maxFileBytes));
                    continue;
                }
                try
                {
                    // The header's length can lie (zip bombs): read at most one chunk past the limit.
                    using var stream = entry.Open();
                    var buffer = new MemoryStream();
                    var chunk = new byte[81920];
                    int read;
                    while ((read = stream.Read(chunk)) > 0 && buffer.Length <= maxFileBytes) buffer.Write(chunk, 0, read);
                    if (buffer.Length > maxFileBytes)
                    {
                        errors.Add(new BundleError(name, 0, "file", new Message(OverSizeLimit, maxFileBytes)));
                        continue;
                    }
                    files[name] = buffer.ToArray();
                }
                catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException)
                {
                    errors.Add(new BundleError(name, 0, "file", new Message("Bundle_ZipEntryUnreadable", e.Message)));
                }
            }
        }
        return files;
    }

    /// <summary>Files sit at the top of the zip or inside one top-level folder (a zipped bundle folder).</summary>
    static string BundleRootPrefix(IEnumerable<string> names)
    {
        var list = names.ToList();
        if (list.Contains("study.json")) return "";
        var candidates = list.Where(n => n.Count(c => c == '/') == 1 && n.EndsWith("/study.json")).ToList();
        return candidates.Count == 1 ? candidates[0][..^"study.json".Length] : "";
    }

    static Message? UnsafeEntryReason(ZipArchiveEntry entry)
    {
        var name = entry.FullName;
        const int unixFileTypeMask = 0xF000, unixSymlink = 0xA000;
        if (((entry.ExternalAttributes >> 16) & unixFileTypeMask) == unixSymlink)
            return new Message("Bundle_ZipLink");
        if (name.StartsWith('/') || name.Contains('\\'))
            return new Message("Bundle_ZipPathAbsolute");
        if (name.Length >= 2 && char.IsAsciiLetter(name[0]) && name[1] == ':')
            return new Message("Bundle_ZipPathDriveLetter");
        if (name.Split('/').Any(part => part == ".."))
            return new Message("Bundle_ZipPathParent");
        return null;
    }

    static BundleError TooLarge(string name, long size, long limit) => new(name, 0, "file", new Message(TooLargeBy, size, limit));

    /// <summary>The keys of a file refused for its size: of known size, and of a zip entry whose header understated it.</summary>
    const string TooLargeBy = "Bundle_FileTooLarge", OverSizeLimit = "Bundle_FileOverSizeLimit";

    /// <summary>Whether <paramref name="error"/> refused a file for its size; <paramref name="bytes"/> is the file's size
    /// when known (a zip entry whose header understated it is known only to be larger).</summary>
    public static bool IsOverSizeLimit(BundleError error, out long? bytes)
    {
        bytes = error.Text.Key == TooLargeBy ? (long)error.Text.Args[0]! : null;
        return error.Text.Key is TooLargeBy or OverSizeLimit;
    }
}
