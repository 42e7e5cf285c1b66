using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using GradeBench.Core.Studies;
using static GradeBench.Testing.Corpus.BundleFileEdits;

namespace GradeBench.Testing.Corpus;

/// <summary>One damaged copy of the demo bundle: <see cref="Write"/> puts it in a folder (as a bundle folder, a
/// .zip or a file) and returns the path to hand the importer. It must be refused with an error naming
/// <see cref="File"/>, on a line (1 or more) when <see cref="NeedsLine"/>.</summary>
public sealed record MutatedBundle(string Name, string Kind, string File, bool NeedsLine, Func<string, string> Write)
{
    public long MaxFileBytes { get; init; } = BundleFiles.DefaultMaxFileBytes;
}

/// <summary>Generates, at test time, a few hundred malformed bundles from <c>data/demo-stroke</c> (see
/// docs/reliability.md, "Malformed bundles"): truncations, missing fields, wrong types, bad references, duplicate
/// ids, invalid UTF-8, huge lines, off-scale values, unsafe and oversized zips. Deterministic (one seeded
/// <see cref="Random"/>); nothing binary is committed, big files are streamed to disk and deleted after use.
/// The study id is changed so that, undamaged, the bundle would import next to the demo study.</summary>
public static class MutatedBundles
{
    public const string StudyFile = "study.json", CasesFile = "cases.jsonl", ResponsesFile = "responses.jsonl", RatingsFile = "ratings.csv";
    public const string ZipName = "bundle.zip";
    const string DemoId = TestPaths.DemoStudyId, MutantId = "stroke-mutant";
    const int Seed = 20261125;
    const long HugeLineBytes = 20L * 1024 * 1024;
    static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Byte sequences that are not UTF-8: a stray 0xFF, a lead byte followed by ASCII, an overlong '/',
    /// a UTF-16 surrogate, a code point past U+10FFFF, a lone continuation byte.</summary>
    static readonly byte[][] InvalidUtf8 = [[0xFF], [0xC3, (byte)'x'], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x80]];

    /// <summary>The demo bundle's files, with the study id changed.</summary>
    public static IReadOnlyDictionary<string, byte[]> BaseFiles()
    {
        var folder = TestPaths.DemoBundle;
        var files = new[] { StudyFile, CasesFile, ResponsesFile, RatingsFile }
            .ToDictionary(f => f, f => System.IO.File.ReadAllBytes(Path.Combine(folder, f)));
        var study = Encoding.UTF8.GetString(files[StudyFile]);
        files[StudyFile] = Encoding.UTF8.GetBytes(study.Replace($"\"id\": \"{DemoId}\"", $"\"id\": \"{MutantId}\"", StringComparison.Ordinal));
        return files;
    }

    public static IReadOnlyList<MutatedBundle> All()
    {
        var random = new Random(Seed);
        var files = BaseFiles();
        var list = new List<MutatedBundle>();
        JsonLinesMutations(list, random, files, CasesFile, ["id", "title", "presentation_md", "question_md"],
            [("tags", [JsonValue.Create("stroke"), JsonValue.Create(3), new JsonObject()]), ("language", [JsonValue.Create(5), new JsonArray()])]);
        JsonLinesMutations(list, random, files, ResponsesFile, ["id", "case_id", "model", "content_md"],
            [("meta", [new JsonArray(JsonValue.Create(1)), JsonValue.Create(3), JsonValue.Create("meta")])]);
        ResponseReferenceMutations(list, random, files);
        RatingsMutations(list, random, files);
        StudyMutations(list, random, files);
        ContainerMutations.AddTo(list, files);
        var duplicates = list.GroupBy(m => m.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0) throw new InvalidOperationException($"mutation names used twice: {string.Join(", ", duplicates)}");
        return list;
    }

    // ---- the four files ----

    static void JsonLinesMutations(List<MutatedBundle> list, Random random, IReadOnlyDictionary<string, byte[]> files, string file,
        string[] required, (string Field, JsonNode[] Values)[] optional)
    {
        var lines = Lines(files[file]);
        var stem = Path.GetFileNameWithoutExtension(file);
        Truncations(list, random, files, file);
        foreach (var field in required)
        {
            var k = random.Next(lines.Count);
            list.Add(Folder($"{stem}-drop-{field}-line{k + 1}", "missing field", files, file, true,
                f => Edit(f, file, k, o => o.Remove(field))));
        }
        JsonNode?[] types = [JsonValue.Create(42), JsonValue.Create(true), new JsonArray(JsonValue.Create("x")), new JsonObject(), null];
        foreach (var field in required)
            foreach (var value in types)
            {
                var k = random.Next(lines.Count);
                list.Add(Folder($"{stem}-{field}-as-{TypeName(value)}-line{k + 1}", "wrong type", files, file, true,
                    f => Edit(f, file, k, o => o[field] = value?.DeepClone())));
            }
        foreach (var (field, values) in optional)
            foreach (var value in values)
            {
                var k = random.Next(lines.Count);
                list.Add(Folder($"{stem}-{field}-as-{TypeName(value)}-line{k + 1}", "wrong type", files, file, true,
                    f => Edit(f, file, k, o => o[field] = value.DeepClone())));
            }
        foreach (var (name, text) in new[] { ("array", "[]"), ("string", "\"case\""), ("null", "null"), ("number", "42") })
        {
            var k = random.Next(lines.Count);
            list.Add(Folder($"{stem}-line{k + 1}-is-{name}", "wrong type", files, file, true, f => SetLine(f, file, k, text)));
        }
        foreach (var (name, id) in new[] { ("space", "case 001"), ("65-chars", new string('a', 65)), ("dotdot-slash", "../x"), ("empty", "") })
        {
            var k = random.Next(lines.Count);
            list.Add(Folder($"{stem}-id-{name}-line{k + 1}", "bad id", files, file, true, f => Edit(f, file, k, o => o["id"] = id)));
        }
        foreach (var _ in Enumerable.Range(0, 3))
        {
            var k = 1 + random.Next(lines.Count - 1);
            var first = random.Next(k);
            list.Add(Folder($"{stem}-duplicate-id-line{k + 1}-of-line{first + 1}", "duplicate id", files, file, true,
                f => Edit(f, file, k, o => o["id"] = JsonNode.Parse(Lines(f[file])[first])!["id"]!.DeepClone())));
        }
        InvalidUtf8Mutations(list, random, files, file);
        list.Add(HugeLine(files, file));
    }

    static void ResponseReferenceMutations(List<MutatedBundle> list, Random random, IReadOnlyDictionary<string, byte[]> files)
    {
        var lines = Lines(files[ResponsesFile]);
        foreach (var (name, caseId) in new[] { ("unknown", "case-999"), ("other-case", "CASE-001"), ("a-response-id", "case-001.model-a"), ("empty", "") })
        {
            var k = random.Next(lines.Count);
            list.Add(Folder($"responses-case-id-{name}-line{k + 1}", "bad reference", files, ResponsesFile, true,
                f => Edit(f, ResponsesFile, k, o => o["case_id"] = caseId)));
        }
    }

    static void RatingsMutations(List<MutatedBundle> list, Random random, IReadOnlyDictionary<string, byte[]> files)
    {
        const string file = RatingsFile;
        var rows = Lines(files[file]);
        // Lines of one criterion (0-based, the header is line 0) and the columns response_id,rater,criterion,value,comment.
        int RowOf(string criterion) => Enumerable.Range(1, rows.Count - 1).Where(i => rows[i].Split(',')[2] == criterion).ElementAt(random.Next(10));
        MutatedBundle Cell(string name, string kind, string criterion, int column, string value)
        {
            var k = RowOf(criterion);
            return Folder($"ratings-{name}-line{k + 1}", kind, files, file, true, f => SetLine(f, file, k, WithCell(rows[k], column, value)));
        }
        Truncations(list, random, files, file);
        foreach (var (column, name) in new[] { (0, "response_id"), (1, "rater"), (2, "criterion"), (3, "value") })
            list.Add(Cell($"empty-{name}", "missing field", "consensus", column, ""));
        var dropped = 1 + random.Next(rows.Count - 1);
        list.Add(Folder($"ratings-row-without-comment-column-line{dropped + 1}", "missing field", files, file, true,
            f => SetLine(f, file, dropped, rows[dropped][..rows[dropped].LastIndexOf(',')])));
        list.Add(Folder("ratings-row-with-extra-column", "missing field", files, file, true, f => SetLine(f, file, 3, rows[3] + ",extra")));
        list.Add(Folder("ratings-header-missing", "missing field", files, file, true, f => SetLines(f, file, rows.Skip(1))));
        list.Add(Folder("ratings-header-without-value", "missing field", files, file, true,
            f => SetLine(f, file, 0, "response_id,rater,criterion,comment")));
        foreach (var (name, value) in new[] { ("five", "five"), ("four-and-a-half", "4.5"), ("array", "[1]"), ("null", "null"), ("true", "true"), ("hex", "0x3") })
            list.Add(Cell($"likert-{name}", "wrong type", "overall", 3, value));
        list.Add(Cell("binary-maybe", "wrong type", "hallucination", 3, "maybe"));
        list.Add(Cell("ordinal-number", "wrong type", "completeness", 3, "2"));
        list.Add(Cell("ordinal-wrong-case", "wrong type", "harm_extent", 3, "NONE"));
        foreach (var (name, value) in new[] { ("zero", "0"), ("six", "6"), ("minus-one", "-1"), ("huge", "99999999999999999999"), ("exponent", "1e3"),
                     ("nan", "NaN"), ("infinity", "Infinity"), ("padded", " 3") })
            list.Add(Cell($"likert-{name}", "off scale", "reasoning", 3, value));
        list.Add(Cell("unknown-response", "bad reference", "consensus", 0, "case-999.model-a"));
        list.Add(Cell("response-is-a-case", "bad reference", "consensus", 0, "case-001"));
        list.Add(Cell("unknown-criterion", "bad reference", "consensus", 2, "clarity"));
        list.Add(Cell("rater-bad-id", "bad id", "consensus", 1, "rater 2"));
        foreach (var _ in Enumerable.Range(0, 2))
        {
            var k = 1 + random.Next(rows.Count - 1);
            list.Add(Folder($"ratings-duplicate-row-{k + 1}", "duplicate id", files, file, true, f => SetLines(f, file, rows.Append(rows[k]))));
        }
        InvalidUtf8Mutations(list, random, files, file);
        list.Add(HugeLine(files, file));
    }

    static void StudyMutations(List<MutatedBundle> list, Random random, IReadOnlyDictionary<string, byte[]> files)
    {
        const string file = StudyFile;
        MutatedBundle Study(string name, string kind, Action<JsonObject> edit) => Folder($"study-{name}", kind, files, file, true, f =>
        {
            var root = JsonNode.Parse(f[file])!.AsObject();
            edit(root);
            f[file] = Encoding.UTF8.GetBytes(root.ToJsonString(Indented) + "\n");
        });
        JsonObject Criterion(JsonObject root, int i) => root["rubric"]!["criteria"]![i]!.AsObject();

        Truncations(list, random, files, file);
        foreach (var field in new[] { "format", "id", "title", "rubric" })
            list.Add(Study($"drop-{field}", "missing field", o => o.Remove(field)));
        list.Add(Study("drop-criteria", "missing field", o => o["rubric"]!.AsObject().Remove("criteria")));
        list.Add(Study("empty-criteria", "missing field", o => o["rubric"]!["criteria"] = new JsonArray()));
        foreach (var (i, field) in new[] { (0, "id"), (0, "type"), (1, "min"), (7, "max"), (2, "options"), (3, "label") })
            list.Add(Study($"criterion{i}-drop-{field}", "missing field", o => Criterion(o, i).Remove(field)));
        list.Add(Study("span-label-drop-id", "missing field", o => o["rubric"]!["span_labels"]![1]!.AsObject().Remove("id")));

        (string Name, Action<JsonObject, JsonNode?> Set, JsonNode?[] Values)[] typed =
        [
            ("format", (o, v) => o["format"] = v, [JsonValue.Create(1), null]),
            ("id", (o, v) => o["id"] = v, [JsonValue.Create(7), new JsonArray(), null]),
            ("title", (o, v) => o["title"] = v, [JsonValue.Create(7), new JsonArray(JsonValue.Create("t")), null]),
            ("raters_per_response", (o, v) => o["raters_per_response"] = v, [JsonValue.Create("3"), new JsonArray(), JsonValue.Create(true)]),
            ("blinding", (o, v) => o["blinding"] = v, [JsonValue.Create("yes"), new JsonArray()]),
            ("hide_model", (o, v) => o["blinding"]!["hide_model"] = v, [JsonValue.Create("true"), JsonValue.Create(1)]),
            ("rubric", (o, v) => o["rubric"] = v, [JsonValue.Create("rubric"), new JsonArray(), null]),
            ("criteria", (o, v) => o["rubric"]!["criteria"] = v, [new JsonObject(), JsonValue.Create("c")]),
            ("criterion0", (o, v) => o["rubric"]!["criteria"]![0] = v, [JsonValue.Create("consensus"), null]),
            ("criterion0-min", (o, v) => o["rubric"]!["criteria"]![0]!["min"] = v, [JsonValue.Create("1"), null]),
            ("criterion1-max", (o, v) => o["rubric"]!["criteria"]![1]!["max"] = v, [new JsonArray(JsonValue.Create(5))]),
            ("criterion0-required", (o, v) => o["rubric"]!["criteria"]![0]!["required"] = v, [JsonValue.Create("yes")]),
            ("criterion2-options", (o, v) => o["rubric"]!["criteria"]![2]!["options"] = v, [JsonValue.Create("none,minor,major")]),
            ("criterion2-option-value", (o, v) => o["rubric"]!["criteria"]![2]!["options"]![0]!["value"] = v, [JsonValue.Create(0)]),
            ("span_labels", (o, v) => o["rubric"]!["span_labels"] = v, [JsonValue.Create("factual_error")]),
            ("span-label-color", (o, v) => o["rubric"]!["span_labels"]![0]!["color"] = v, [JsonValue.Create(0xd1495b)]),
        ];
        foreach (var (name, set, values) in typed)
            foreach (var value in values)
                list.Add(Study($"{name}-as-{TypeName(value)}", "wrong type", o => set(o, value?.DeepClone())));

        foreach (var (name, value) in new[] { ("zero", 0.0), ("minus-one", -1.0), ("one-and-a-half", 1.5) })
            list.Add(Study($"raters-per-response-{name}", "off scale", o => o["raters_per_response"] = value));
        list.Add(Study("likert-min-above-max", "off scale", o => { Criterion(o, 0)["min"] = 5; Criterion(o, 0)["max"] = 1; }));
        list.Add(Study("likert-min-equals-max", "off scale", o => { Criterion(o, 7)["min"] = 3; Criterion(o, 7)["max"] = 3; }));
        list.Add(Study("format-version-2", "off scale", o => o["format"] = "gradebench-study/2"));
        list.Add(Study("criterion-type-unknown", "off scale", o => Criterion(o, 1)["type"] = "stars"));
        list.Add(Study("language-not-a-tag", "off scale", o => o["language"] = "english!"));
        list.Add(Study("span-label-color-name", "off scale", o => o["rubric"]!["span_labels"]![0]!["color"] = "red"));
        list.Add(Study("ordinal-one-option", "off scale", o => Criterion(o, 2)["options"] = new JsonArray(Criterion(o, 2)["options"]![0]!.DeepClone())));
        list.Add(Study("duplicate-criterion-id", "duplicate id", o => Criterion(o, 1)["id"] = "consensus"));
        list.Add(Study("duplicate-span-label-id", "duplicate id", o => o["rubric"]!["span_labels"]![2]!["id"] = "unsafe"));
        list.Add(Study("duplicate-option-value", "duplicate id", o => Criterion(o, 2)["options"]![1]!["value"] = "none"));
        list.Add(Study("id-with-space", "bad id", o => o["id"] = "stroke mutant"));
        list.Add(Study("criterion-id-with-slash", "bad id", o => Criterion(o, 0)["id"] = "a/b"));
        InvalidUtf8Mutations(list, random, files, file);
        list.Add(HugeLine(files, file));
    }

    /// <summary>Cuts the file in the middle of five lines picked at random (a line of its own, not the first).</summary>
    static void Truncations(List<MutatedBundle> list, Random random, IReadOnlyDictionary<string, byte[]> files, string file)
    {
        var bytes = files[file];
        var starts = new List<int> { 0 };
        for (var i = 0; i < bytes.Length - 1; i++) if (bytes[i] == '\n') starts.Add(i + 1);
        var stem = Path.GetFileNameWithoutExtension(file);
        foreach (var k in Enumerable.Range(1, starts.Count - 2).OrderBy(_ => random.Next()).Take(5).Order())
        {
            var length = starts[k + 1] - 1 - starts[k];
            if (length < 4) continue;
            var cut = starts[k] + 1 + random.Next(length - 2);
            list.Add(Folder($"{stem}-truncated-at-byte{cut}-line{k + 1}", "truncation", files, file, true, f => f[file] = f[file][..cut]));
        }
    }

    /// <summary>Puts each invalid sequence inside a line picked at random, after its first character.</summary>
    static void InvalidUtf8Mutations(List<MutatedBundle> list, Random random, IReadOnlyDictionary<string, byte[]> files, string file)
    {
        var lines = Lines(files[file]);
        var stem = Path.GetFileNameWithoutExtension(file);
        foreach (var sequence in InvalidUtf8)
        {
            var k = random.Next(lines.Count);
            var position = 1 + random.Next(Math.Max(1, lines[k].Length - 2));
            while (position < lines[k].Length && char.IsSurrogate(lines[k][position])) position++;
            list.Add(Folder($"{stem}-invalid-utf8-{Convert.ToHexString(sequence)}-line{k + 1}", "invalid UTF-8", files, file, true, f =>
            {
                var all = Lines(f[file]);
                var before = Encoding.UTF8.GetBytes(string.Join('\n', all.Take(k)) + (k > 0 ? "\n" : "") + all[k][..position]);
                var after = Encoding.UTF8.GetBytes(all[k][position..] + "\n" + string.Join('\n', all.Skip(k + 1)) + (k + 1 < all.Count ? "\n" : ""));
                f[file] = [.. before, .. sequence, .. after];
            }));
        }
    }

    /// <summary>The file as one 20 MiB line (a JSON string or a CSV comment), streamed to disk: the size limit
    /// must refuse it before it is read.</summary>
    static MutatedBundle HugeLine(IReadOnlyDictionary<string, byte[]> files, string file) =>
        new($"{Path.GetFileNameWithoutExtension(file)}-huge-line-20MiB", "huge line", file, false, folder =>
        {
            WriteFolder(folder, files, skip: file);
            var prefix = file == RatingsFile ? "response_id,rater,criterion,value,comment\ncase-001.model-a,rater-2,comment,," : "{\"id\": \"";
            WriteStreamed(Path.Combine(folder, file), Encoding.UTF8.GetBytes(prefix), (byte)'a', HugeLineBytes);
            return folder;
        });
}
