using System.Text;
using System.Text.Json;
using Dapper;
using GradeBench.Core.Spans;
using GradeBench.Storage;

namespace GradeBench.Cli.Tests.Notes;

/// <summary><c>gradebench notes import-brat</c>: a brat folder's spans stored as one rater's passages of the notes, with
/// the study's note labels and attributes; any error names the file, line and field, and nothing is stored.</summary>
public sealed class ImportBratCommandTests : IDisposable
{
    const string Study = TestPaths.DemoStudyId, Rater = "dr-brat", Astral = DemoNotes.AstralCase;
    static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);
    readonly CliWorkspace _workspace = new();
    string _db = null!;
    Dictionary<string, string> _notes = null!;

    /// <summary>The demo study with note labels, and <see cref="Rater"/> one of its raters.</summary>
    async Task SetUpAsync()
    {
        var bundle = DemoNotes.AddTo(_workspace.CopyDemoBundle("bundle"));
        _notes = File.ReadAllLines(Path.Combine(bundle, "cases.jsonl")).Where(l => l.Trim().Length > 0).Select(l => JsonDocument.Parse(l).RootElement)
            .ToDictionary(c => c.GetProperty("id").GetString()!, c => c.GetProperty("presentation_md").GetString()!);
        _db = await _workspace.ImportAsync(bundle, "notes.db");
        var added = await CliWorkspace.RunAsync("users", "add", "--db", _db, "--name", Rater, "--role", "rater", "--study", Study);
        Assert.True(added.ExitCode == 0, added.Error);
    }

    /// <summary>A brat folder of this workspace with the files given (by name, UTF-8).</summary>
    string Folder(string name, params (string File, string Content)[] files)
    {
        var folder = Directory.CreateDirectory(_workspace.PathOf(name)).FullName;
        foreach (var (file, content) in files) File.WriteAllText(Path.Combine(folder, file), content, Utf8);
        return folder;
    }

    static string Lines(params string[] lines) => string.Concat(lines.Select(l => l + "\n"));

    Task<CliOutcome> ImportAsync(string folder, string rater = Rater, string study = Study) =>
        CliWorkspace.RunAsync("notes", "import-brat", "--db", _db, "--study", study, "--rater", rater, folder);

    /// <summary>Every passage of the database: rater, case, label, bounds, quote, hash, attributes by id.</summary>
    async Task<List<string>> PassagesAsync()
    {
        await using var connection = await new Database(_db).OpenAsync();
        return [.. await connection.QueryAsync<string>("""
            SELECT u.username || ' ' || c.slug || ' ' || l.slug || ' ' || n.start_code_point || '-' || n.end_code_point || ' ' || n.quote || ' '
                   || n.text_sha256 || ' ' || COALESCE((SELECT string_agg(a.slug || '=' || v.value, ',' ORDER BY a.position)
                                                      FROM note_span_attributes v JOIN note_label_attributes a ON a.id = v.attribute_id
                                                      WHERE v.note_span_id = n.id), '') || ' ' || COALESCE(n.note, '-')
            FROM note_spans n JOIN users u ON u.id = n.rater_id JOIN cases c ON c.id = n.case_id JOIN note_labels l ON l.id = n.label_id
            ORDER BY c.position, n.start_code_point, l.position
            """)];
    }

    /// <summary>A good note beside the one a test breaks, so that "nothing stored" means the good one too.</summary>
    (string, string)[] GoodCase001 => [("case-001.txt", _notes["case-001"]), ("case-001.ann", "T1\tmedication 0 10\t_Synthetic\n")];

    [Fact]
    public async Task TheFoldersSpansAreStoredAsTheRatersPassagesAndWhatGradeBenchHasNoPlaceForIsCounted()
    {
        await SetUpAsync();
        var folder = Folder("pilot",
        [
            (Astral + ".txt", _notes[Astral]),
            (Astral + ".ann", Lines("T1\tsymptom 2 5\t_虚构", "A1\tuncertain T1", "A2\tonset T1 3h", "T2\tmedication 0 1\t🩺",
                "#1\tAnnotatorNotes T1\tchecked", "R1\tCause Arg1:T1 Arg2:T2", "T3\tnihss 3 5\t虚构", "A3\tscore T3 7.50", "M4\tnegated T3")),
            ("case-002.txt", _notes["case-002"]),
            ("annotation.conf", "[entities]\nsymptom\n"),
        ]);

        var run = await ImportAsync(folder);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal($"Imported 3 passages of {Rater} in 2 notes of {Study}.\n" +
                     "Left out, as GradeBench has no place for them: 1 annotator note (#), 1 relation (R).\n", run.Output.ReplaceLineEndings("\n"));
        var hash = TextHash.Sha256(_notes[Astral]);
        Assert.Equal(
        [
            $"{Rater} {Astral} medication 0-1 🩺 {hash}  -",
            $"{Rater} {Astral} symptom 2-5 _虚构 {hash} uncertain=true,onset=3h -",
            $"{Rater} {Astral} nihss 3-5 虚构 {hash} negated=true,score=7.5 -",
        ], await PassagesAsync());
    }

    [Fact]
    public async Task ATextThatIsNotTheCasesNoteIsAnErrorAtTheLineWhereItDiffers()
    {
        await SetUpAsync();
        var changed = _notes[Astral].Replace("63 岁男性", "64 岁男性");
        var folder = Folder("changed", [(Astral + ".txt", changed), (Astral + ".ann", ""), .. GoodCase001]);

        var run = await ImportAsync(folder);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"{Path.Combine(folder, Astral)}.txt:3: text: the text is not the note of {Astral} (its presentation_md), from this line on: the .txt must hold the note exactly\n" +
                     $"{folder}: 1 error(s); nothing was imported.\n", run.Error.ReplaceLineEndings("\n"));
        Assert.Empty(await PassagesAsync());
    }

    [Theory]
    [InlineData("T1\tdiagnosis 2 5\t_虚构", ":1: type: diagnosis is not a label of the study")]
    [InlineData("T1\tsymptom 2 5\t_虚构\nA1\tsevere T1", ":2: attribute: severe is not an attribute of the label symptom")]
    [InlineData("T1\tnihss 2 5\t_虚构\nA1\tscore T1 high", ":2: value: score takes a number, found high")]
    [InlineData("T1\tsymptom 2 5\t_虚构\nA1\tnegated T1 yes", ":2: value: negated is a flag and takes no value, found yes")]
    [InlineData("T1\tsymptom 2 5\t虚构", ":1: text: the covered text \"虚构\" is not the text at these offsets, \"_虚构\"")]
    [InlineData("T1\tsymptom 2 2\t", ":1: offsets: T1 covers no text: a passage covers at least one character")]
    [InlineData("T1\tsymptom 2 5\t_虚构\nT2\tmedication 2 5\t_虚构\nT3\tsymptom 2 5\t_虚构", ":3: offsets: T3 marks the same text with the same label as T1")]
    public async Task AnAnnotationTheStudyCannotTakeIsAnErrorNamingTheFileLineAndField(string ann, string error)
    {
        await SetUpAsync();
        var folder = Folder("bad", [(Astral + ".txt", _notes[Astral]), (Astral + ".ann", ann + "\n"), .. GoodCase001]);

        var run = await ImportAsync(folder);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"{Path.Combine(folder, Astral)}.ann{error}\n{folder}: 1 error(s); nothing was imported.\n", run.Error.ReplaceLineEndings("\n"));
        Assert.Empty(await PassagesAsync());
    }

    [Fact]
    public async Task AnOnsetLongerThanGradeBenchKeepsIsAnErrorAtItsAttributesLine()
    {
        await SetUpAsync();
        var folder = Folder("long", (Astral + ".txt", _notes[Astral]), (Astral + ".ann", Lines("T1\tsymptom 2 5\t_虚构", "A1\tonset T1 " + new string('x', 201))));

        var run = await ImportAsync(folder);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith($"{Path.Combine(folder, Astral)}.ann:2: value: onset takes a text of at most 200 code points\n", run.Error.ReplaceLineEndings("\n"));
        Assert.Empty(await PassagesAsync());
    }

    [Fact]
    public async Task AFileOfNoCaseAndAnAnnWithoutItsTextAreErrorsAndEveryNotesErrorIsTold()
    {
        await SetUpAsync();
        var folder = Folder("strays", [("case-999.txt", "A note of no case."), ("case-998.ann", "T1\tsymptom 0 1\tA\n"), .. GoodCase001]);

        var run = await ImportAsync(folder);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"{Path.Combine(folder, "case-998.ann")}: file: the annotations have no text file case-998.txt beside them\n" +
                     $"{Path.Combine(folder, "case-999.txt")}: document: case-999 is not a case of the study: each note is named after its case's id\n" +
                     $"{folder}: 2 error(s); nothing was imported.\n", run.Error.ReplaceLineEndings("\n"));
        Assert.Empty(await PassagesAsync());
    }

    [Fact]
    public async Task ImportingTheSamePassagesTwiceIsAnErrorAndStoresNothingTheSecondTime()
    {
        await SetUpAsync();
        var folder = Folder("twice", GoodCase001);

        var first = await ImportAsync(folder);
        var second = await ImportAsync(folder);

        Assert.True(first.ExitCode == 0, first.Error);
        Assert.Equal(2, second.ExitCode);
        Assert.StartsWith($"{Path.Combine(folder, "case-001.ann")}:1: offsets: {Rater} has marked this text with this label already\n", second.Error.ReplaceLineEndings("\n"));
        Assert.Single(await PassagesAsync());
    }

    [Fact]
    public async Task TheRaterMustBeARaterOfTheStudyAndTheFolderAndStudyMustExist()
    {
        await SetUpAsync();
        var added = await CliWorkspace.RunAsync("users", "add", "--db", _db, "--name", "coord", "--role", "coordinator", "--study", Study);
        Assert.True(added.ExitCode == 0, added.Error);
        var folder = Folder("good", GoodCase001);
        var empty = Folder("unzipped", ("annotation.conf", "[entities]\n"));

        var nobody = await ImportAsync(folder, rater: "nobody");
        var coordinator = await ImportAsync(folder, rater: "coord");
        var noStudy = await ImportAsync(folder, study: "no-such-study");
        var noFolder = await ImportAsync(_workspace.PathOf("missing"));
        var noNotes = await ImportAsync(empty);

        Assert.All(new[] { nobody, coordinator, noStudy, noFolder, noNotes }, run => Assert.Equal(2, run.ExitCode));
        Assert.Equal("error: there is no user \"nobody\"\n", nobody.Error.ReplaceLineEndings("\n"));
        Assert.Equal($"error: coord is not a rater of {Study}\n", coordinator.Error.ReplaceLineEndings("\n"));
        Assert.Equal("error: there is no study \"no-such-study\"\n", noStudy.Error.ReplaceLineEndings("\n"));
        Assert.Equal($"error: there is no folder {_workspace.PathOf("missing")}\n", noFolder.Error.ReplaceLineEndings("\n"));
        Assert.StartsWith($"{empty}: folder: no CASE.txt here: a brat folder holds each note as CASE.txt beside its CASE.ann", noNotes.Error);
        Assert.Empty(await PassagesAsync());
    }

    public void Dispose() => _workspace.Dispose();
}
