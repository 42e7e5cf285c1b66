using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using GradeBench.Core.Studies;
using static GradeBench.Testing.Corpus.BundleFileEdits;
using static GradeBench.Testing.Corpus.MutatedBundles;

namespace GradeBench.Testing.Corpus;

/// <summary>The mutations of <see cref="MutatedBundles"/> that damage the container rather than a file: folders, zips
/// (slips, links, bombs, nesting) and files that are not a bundle.</summary>
static class ContainerMutations
{
    const long HundredMegabytes = 100L * 1024 * 1024;

    public static void AddTo(List<MutatedBundle> list, IReadOnlyDictionary<string, byte[]> files)
    {
        MutatedBundle Zip(string name, string kind, string file, Action<ZipArchive> add, string prefix = "") =>
            new($"zip-{name}", kind, file, false, folder =>
            {
                var zip = Path.Combine(folder, ZipName);
                using var archive = ZipFile.Open(zip, ZipArchiveMode.Create);
                foreach (var (entry, bytes) in files) Entry(archive, prefix + entry, bytes);
                add(archive);
                return zip;
            });
        foreach (var (name, entry) in new[] { ("dotdot", "../evil.txt"), ("dotdot-inside", "a/../../evil.txt"), ("absolute", "/tmp/evil.txt"),
                     ("backslash", "..\\evil.txt"), ("drive-letter", "C:/evil.txt"), ("drive-backslash", "C:\\evil.txt"),
                     ("dotdot-study-json", "../study.json"), ("absolute-study-json", "/study.json") })
            list.Add(Zip($"slip-{name}", "zip slip", ZipName, a => Entry(a, entry, "evil\n"u8.ToArray())));
        list.Add(Zip("symlink-entry", "symbolic link", ZipName, a =>
        {
            var entry = a.CreateEntry("../link");
            entry.ExternalAttributes = unchecked((0xA000 | 0x1FF) << 16);
            using var stream = entry.Open();
            stream.Write("/etc/passwd"u8);
        }));
        list.Add(new("zip-symlink-as-ratings", "symbolic link", ZipName, false, folder =>
        {
            var zip = Path.Combine(folder, ZipName);
            using var archive = ZipFile.Open(zip, ZipArchiveMode.Create);
            foreach (var (entry, bytes) in files.Where(f => f.Key != RatingsFile)) Entry(archive, entry, bytes);
            var link = archive.CreateEntry(RatingsFile);
            link.ExternalAttributes = unchecked((0xA000 | 0x1FF) << 16);
            using var stream = link.Open();
            stream.Write("/etc/passwd"u8);
            return zip;
        }));
        list.Add(Zip("duplicate-study-json", "zip duplicate", ZipName, a => Entry(a, StudyFile, files[StudyFile])));
        // Zip bombs: a long run of zeros deflates about 1000 to 1; the test's disk and memory stay small.
        list.Add(new("zip-bomb-100MiB-cases", "zip bomb", CasesFile, false,
            folder => BombZip(folder, files, CasesFile, HundredMegabytes, lieAboutSize: false)));
        list.Add(new("zip-bomb-11MiB-responses-in-folder", "zip bomb", ResponsesFile, false,
            folder => BombZip(folder, files, ResponsesFile, 11L * 1024 * 1024, lieAboutSize: false, prefix: "demo/")));
        list.Add(new("zip-bomb-lying-header", "zip bomb", ResponsesFile, false,
            folder => BombZip(folder, files, ResponsesFile, 50L * 1024 * 1024, lieAboutSize: true)));
        list.Add(Zip("nested-two-levels", "nested folders", StudyFile, a => { }, prefix: "a/b/"));
        list.Add(Zip("two-top-folders", "nested folders", StudyFile, a =>
        {
            foreach (var (entry, bytes) in files) Entry(a, "other/" + entry, bytes);
        }, prefix: "demo/"));
        // study.json/ is then the one top-level folder holding a study.json, so the other files are missing.
        list.Add(new("zip-study-json-is-a-folder", "nested folders", CasesFile, false, folder =>
        {
            var zip = Path.Combine(folder, ZipName);
            using var archive = ZipFile.Open(zip, ZipArchiveMode.Create);
            foreach (var (entry, bytes) in files.Where(f => f.Key != StudyFile)) Entry(archive, entry, bytes);
            archive.CreateEntry(StudyFile + "/");
            Entry(archive, StudyFile + "/study.json", files[StudyFile]);
            return zip;
        }));
        list.Add(new("zip-empty", "broken zip", StudyFile, false, folder =>
        {
            var zip = Path.Combine(folder, ZipName);
            using (ZipFile.Open(zip, ZipArchiveMode.Create)) { }
            return zip;
        }));
        var whole = Zip("whole", "", ZipName, a => { });
        list.Add(new("zip-truncated-archive", "broken zip", ZipName, false, folder =>
        {
            var zip = whole.Write(folder);
            var bytes = System.IO.File.ReadAllBytes(zip);
            System.IO.File.WriteAllBytes(zip, bytes[..(bytes.Length / 2)]);
            return zip;
        }));
        list.Add(new("zip-magic-then-garbage", "broken zip", ZipName, false, folder =>
        {
            var zip = Path.Combine(folder, ZipName);
            System.IO.File.WriteAllBytes(zip, [.. "PK"u8, .. Enumerable.Repeat((byte)0x17, 4000)]);
            return zip;
        }));
        list.Add(new("not-a-bundle-text-file", "broken zip", "bundle.txt", false, folder =>
        {
            var path = Path.Combine(folder, "bundle.txt");
            System.IO.File.WriteAllBytes(path, files[StudyFile]);
            return path;
        }));
        list.Add(new("folder-files-one-level-down", "nested folders", StudyFile, false, folder =>
        {
            WriteFolder(Directory.CreateDirectory(Path.Combine(folder, "demo")).FullName, files);
            return folder;
        }));
        list.Add(new("folder-study-json-is-a-folder", "nested folders", StudyFile, false, folder =>
        {
            WriteFolder(folder, files, skip: StudyFile);
            Directory.CreateDirectory(Path.Combine(folder, StudyFile));
            return folder;
        }));
        foreach (var (name, file, target) in new[] { ("outside", CasesFile, "/etc/passwd"), ("broken", ResponsesFile, "/nonexistent/responses.jsonl"),
                     ("to-folder-inside", StudyFile, "sub"), ("to-copy-outside", CasesFile, "../outside/cases.jsonl") })
            list.Add(new($"folder-symlink-{name}", "symbolic link", file, false, folder =>
            {
                var bundle = Directory.CreateDirectory(Path.Combine(folder, "bundle")).FullName;
                WriteFolder(bundle, files, skip: file);
                // Never a folder outside the test's own: the temporary folder is deleted recursively afterwards.
                if (name == "to-folder-inside") Directory.CreateDirectory(Path.Combine(bundle, "sub"));
                if (name == "to-copy-outside")
                {
                    Directory.CreateDirectory(Path.Combine(folder, "outside"));
                    System.IO.File.WriteAllBytes(Path.Combine(folder, "outside", file), files[file]);
                }
                System.IO.File.CreateSymbolicLink(Path.Combine(bundle, file), target);
                return bundle;
            }));
        list.Add(new("folder-responses-100MiB", "100 MB file", ResponsesFile, false, folder =>
        {
            WriteFolder(folder, files, skip: ResponsesFile);
            WriteStreamed(Path.Combine(folder, ResponsesFile), files[ResponsesFile], (byte)'\n', HundredMegabytes);
            return folder;
        }));
        list.Add(new("folder-small-limit-4KiB", "100 MB file", CasesFile, false, folder =>
        {
            WriteFolder(folder, files);
            return folder;
        }) { MaxFileBytes = 4096 });
        foreach (var missing in BundleFiles.RequiredFiles)
            list.Add(new($"folder-without-{missing}", "missing file", missing, false, folder =>
            {
                WriteFolder(folder, files, skip: missing);
                return folder;
            }));
    }

    /// <summary>A zip with one bundle file replaced by the valid file followed by <paramref name="size"/> bytes of
    /// zeros, written through the deflater in chunks. With <paramref name="lieAboutSize"/> the local and central
    /// headers claim 1000 bytes, so only the bytes actually read can catch it.</summary>
    static string BombZip(string folder, IReadOnlyDictionary<string, byte[]> files, string file, long size, bool lieAboutSize, string prefix = "")
    {
        var zip = Path.Combine(folder, ZipName);
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
        {
            foreach (var (entry, bytes) in files.Where(f => f.Key != file)) Entry(archive, prefix + entry, bytes);
            using var stream = archive.CreateEntry(prefix + file, CompressionLevel.SmallestSize).Open();
            stream.Write(files[file]);
            var zeros = new byte[1 << 20];
            for (long written = 0; written < size; written += zeros.Length) stream.Write(zeros);
        }
        if (lieAboutSize) SetUncompressedSize(zip, prefix + file, 1000);
        return zip;
    }

    static void SetUncompressedSize(string zip, string entryName, uint size)
    {
        var bytes = System.IO.File.ReadAllBytes(zip);
        var name = Encoding.UTF8.GetBytes(entryName);
        for (var i = 0; i + 46 <= bytes.Length; i++)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(i)) != 0x02014b50) continue;
            var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(i + 28));
            if (!bytes.AsSpan(i + 46, nameLength).SequenceEqual(name)) continue;
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i + 24), size);
            var local = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(i + 42));
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(local + 22), size);
            System.IO.File.WriteAllBytes(zip, bytes);
            return;
        }
        throw new InvalidOperationException($"no central directory entry {entryName} in {zip}");
    }
}
