using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Dapper;
using GradeBench.Core.Notes;
using GradeBench.Core.Spans;
using GradeBench.Storage.Export;
using GradeBench.Storage.Notes;

namespace GradeBench.Storage.Tests.Notes;

/// <summary>notes-brat.zip and notes-bioc.json (docs/exports.md): the passages of the notes in brat standoff, a folder per
/// rater, and as a BioC collection whose offsets are code points, checked against the stored passages.</summary>
public sealed class NoteInterchangeExportTests : IAsyncLifetime
{
    const string Pilot = TestPaths.DemoStudyId + "/rater-1";
    NoteWorld _world = null!;

    public async Task InitializeAsync() => _world = await NoteWorld.CreateAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    NoteInterchangeExport Export => new(_world.Db.Database, _world.Db.Clock);

    /// <summary>The rater marks the emoji (one code point) and an NIHSS item after it with a score; a pilot rater (a user
    /// name with a slash) a symptom with a Chinese onset that is uncertain.</summary>
    async Task MarkAsync()
    {
        var (nihss, symptom, medication) = (_world.Labels[0], _world.Labels[1], _world.Labels[2]);
        var notes = _world.Notes;
        long pilot;
        await using (var connection = await _world.Db.Database.OpenAsync())
            pilot = await connection.ExecuteScalarAsync<long>("SELECT id FROM users WHERE username = @Pilot", new { Pilot });
        await _world.AssignAsync(pilot, _world.Response);
        Assert.Equal(NoteSpanOutcome.Saved, (await notes.AddAsync(_world.Rater, _world.Case, medication.Id, 0, 1, null, null)).Outcome);
        Assert.Equal(NoteSpanOutcome.Saved, (await notes.AddAsync(_world.Rater, _world.Case, nihss.Id, 2, 9,
            new Dictionary<long, string> { [nihss.Attributes[1].Id] = "7.50", [nihss.Attributes[0].Id] = "true" }, "not carried")).Outcome);
        Assert.Equal(NoteSpanOutcome.Saved, (await notes.AddAsync(pilot, _world.Case, symptom.Id, 2, 5,
            new Dictionary<long, string> { [symptom.Attributes[3].Id] = "发病3小时", [symptom.Attributes[1].Id] = "true" }, null)).Outcome);
    }

    /// <summary>A gold set: the NIHSS item with a score and no flag, a rejection (which gives no gold passage), and a
    /// medication in case-001 that no rater marked.</summary>
    async Task GoldAsync()
    {
        var sha = TextHash.Sha256(_world.Text);
        string first;
        await using (var connection = await _world.Db.Database.OpenAsync())
            first = await connection.ExecuteScalarAsync<string>("SELECT presentation_md FROM cases WHERE slug = 'case-001'") ?? "";
        var csv = string.Join(",", GoldSpansCsv.Columns.Prepend("study")) + "\n"
            + $"x,{DemoNotes.AstralCase},nihss,2,9,{sha},_虚构病例（非,\"{{\"\"score\"\":7}}\",edited,dr-lead,2026-11-25T10:00:00Z,\"[\"\"dr-note\"\"]\"\n"
            + $"x,{DemoNotes.AstralCase},,,,{sha},,{{}},rejected,dr-lead,2026-11-25T10:00:00Z,\"[\"\"{Pilot}\"\"]\"\n"
            + $"x,case-001,medication,0,10,{TextHash.Sha256(first)},_Synthetic,{{}},accepted,dr-lead,2026-11-25T10:00:00Z,[]\n";
        Assert.Equal(3, await new GoldSpanImport(_world.Db.Database, _world.Db.Clock).ImportAsync(_world.StudyId, GoldSpansCsv.Read(new StringReader(csv)), null));
    }

    async Task<Dictionary<string, string>> BratAsync()
    {
        using var output = new MemoryStream();
        await Export.WriteBratAsync(_world.StudyId, output);
        using var zip = new ZipArchive(new MemoryStream(output.ToArray()));
        return zip.Entries.ToDictionary(e => e.FullName, e => { using var reader = new StreamReader(e.Open(), Encoding.UTF8); return reader.ReadToEnd(); });
    }

    [Fact]
    public async Task TheBratZipHasTheConfigurationAndAFolderPerRaterWithEachNoteAndTheirSpans()
    {
        await MarkAsync();

        var files = await BratAsync();

        var pilotFolder = $"raters/{TestPaths.DemoStudyId}+rater-1/";
        Assert.Equal(
        [
            "annotation.conf",
            $"raters/dr-note/{DemoNotes.AstralCase}.txt", $"raters/dr-note/{DemoNotes.AstralCase}.ann", "raters/dr-note/annotation.conf",
            $"{pilotFolder}{DemoNotes.AstralCase}.txt", $"{pilotFolder}{DemoNotes.AstralCase}.ann", $"{pilotFolder}annotation.conf",
        ], files.Keys);
        Assert.Equal(_world.Text, files[$"raters/dr-note/{DemoNotes.AstralCase}.txt"]);
        Assert.Equal("T1\tmedication 0 1\t🩺\nT2\tnihss 2 9\t_虚构病例（非\nA1\tnegated T2\nA2\tscore T2 7.5\n", files[$"raters/dr-note/{DemoNotes.AstralCase}.ann"]);
        Assert.Equal("T1\tsymptom 2 5\t_虚构\nA1\tuncertain T1\nA2\tonset T1 发病3小时\n", files[$"{pilotFolder}{DemoNotes.AstralCase}.ann"]);
        // The top configuration offers every value of any rater; each folder's those of its own spans.
        Assert.Contains("onset\tArg:symptom, Value:发病3小时\n", files["annotation.conf"]);
        Assert.Contains("score\tArg:nihss, Value:7.5\n", files["annotation.conf"]);
        Assert.DoesNotContain("onset", files["raters/dr-note/annotation.conf"]);
        Assert.StartsWith("# The labels and attributes", files["annotation.conf"]);
        Assert.Contains("[entities]\nnihss\nsymptom\nmedication\n", files["annotation.conf"]);
    }

    [Fact]
    public async Task TheGoldSetHasAFolderOfItsOwnInBratAndNoAnnotatorInBioC()
    {
        await MarkAsync();
        await GoldAsync();

        var files = await BratAsync();
        using var output = new MemoryStream();
        await Export.WriteBioCAsync(_world.StudyId, output);

        Assert.Equal(
        [
            "annotation.conf",
            "gold/case-001.txt", "gold/case-001.ann", $"gold/{DemoNotes.AstralCase}.txt", $"gold/{DemoNotes.AstralCase}.ann", "gold/annotation.conf",
        ], files.Keys.Take(6));
        Assert.Equal("T1\tmedication 0 10\t_Synthetic\n", files["gold/case-001.ann"]);
        Assert.Equal("T1\tnihss 2 9\t_虚构病例（非\nA1\tscore T1 7\n", files[$"gold/{DemoNotes.AstralCase}.ann"]);
        Assert.Equal("", files["raters/dr-note/case-001.ann"]);
        using var json = JsonDocument.Parse(output.ToArray());
        var annotations = json.RootElement.GetProperty("documents").EnumerateArray()
            .SelectMany(d => d.GetProperty("passages")[0].GetProperty("annotations").EnumerateArray()
                .Select(a => $"{d.GetProperty("id").GetString()} {a.GetProperty("infons").GetProperty("type").GetString()} "
                             + (a.GetProperty("infons").TryGetProperty("annotator", out var rater) ? rater.GetString() : "gold")))
            .ToList();
        Assert.Equal(["case-001 medication gold", $"{DemoNotes.AstralCase} nihss gold", $"{DemoNotes.AstralCase} medication dr-note",
            $"{DemoNotes.AstralCase} nihss dr-note", $"{DemoNotes.AstralCase} symptom {Pilot}"], annotations);
    }

    [Fact]
    public async Task AStudyWithoutPassagesGivesAZipWithTheConfigurationAloneAndAnEmptyBioCCollection()
    {
        var files = await BratAsync();
        using var output = new MemoryStream();
        var spans = await Export.WriteBioCAsync(_world.StudyId, output);

        Assert.Equal(["annotation.conf"], files.Keys);
        Assert.Contains("[entities]\nnihss\nsymptom\nmedication\n", files["annotation.conf"]);
        Assert.Equal(0, spans);
        using var json = JsonDocument.Parse(output.ToArray());
        Assert.Equal(0, json.RootElement.GetProperty("documents").GetArrayLength());
    }

    [Fact]
    public async Task BioCOffsetsAreCodePointsOfTheNoteAndTheInfonsAreTheLabelAttributesAndRater()
    {
        await MarkAsync();
        using var output = new MemoryStream();

        var written = await Export.WriteBioCAsync(_world.StudyId, output);

        Assert.Equal(3, written);
        using var json = JsonDocument.Parse(output.ToArray());
        var root = json.RootElement;
        Assert.Equal(TestPaths.DemoStudyId, root.GetProperty("source").GetString());
        Assert.Equal("2026-11-25", root.GetProperty("date").GetString());
        Assert.Equal("Unicode code points", root.GetProperty("infons").GetProperty("offsets").GetString());
        var document = Assert.Single(root.GetProperty("documents").EnumerateArray());
        Assert.Equal(DemoNotes.AstralCase, document.GetProperty("id").GetString());
        var passage = Assert.Single(document.GetProperty("passages").EnumerateArray());
        var text = passage.GetProperty("text").GetString()!;
        Assert.Equal(_world.Text, text);
        Assert.Equal(0, passage.GetProperty("offset").GetInt32());

        var stored = new List<string>();
        await using (var connection = await _world.Db.Database.OpenAsync())
            stored.AddRange(await connection.QueryAsync<string>("""
                SELECT u.username || ' ' || l.slug || ' ' || n.start_code_point || ' ' || (n.end_code_point - n.start_code_point) || ' ' || n.quote || ' '
                       || COALESCE((SELECT string_agg(a.slug || '=' || v.value, ',' ORDER BY a.slug) FROM note_span_attributes v
                                    JOIN note_label_attributes a ON a.id = v.attribute_id WHERE v.note_span_id = n.id), '')
                FROM note_spans n JOIN users u ON u.id = n.rater_id JOIN note_labels l ON l.id = n.label_id
                """));
        var exported = passage.GetProperty("annotations").EnumerateArray().Select(a =>
        {
            var location = Assert.Single(a.GetProperty("locations").EnumerateArray());
            var (offset, length) = (location.GetProperty("offset").GetInt32(), location.GetProperty("length").GetInt32());
            // Offsets count code points: the emoji before the spans is one, not the two UTF-16 units of a .NET string.
            Assert.Equal(CodePoints.Slice(text, offset, offset + length), a.GetProperty("text").GetString());
            var infons = a.GetProperty("infons").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
            var (rater, label) = (infons["annotator"], infons["type"]);
            var attributes = string.Join(',', infons.Where(i => i.Key is not "annotator" and not "type").OrderBy(i => i.Key, StringComparer.Ordinal).Select(i => $"{i.Key}={i.Value}"));
            return $"{rater} {label} {offset} {length} {a.GetProperty("text").GetString()} {attributes}";
        }).ToList();
        Assert.Equal(stored.Order(StringComparer.Ordinal), exported.Order(StringComparer.Ordinal));
        Assert.Contains("dr-note medication 0 1 🩺 ", exported);
        Assert.Contains("dr-note nihss 2 7 _虚构病例（非 negated=true,score=7.5", exported);
        Assert.Contains($"{Pilot} symptom 2 3 _虚构 onset=发病3小时,uncertain=true", exported);
    }

    [Fact]
    public void OnlyAStudyWithNoteLabelsOffersTheNoteFormats()
    {
        Assert.True(ExportKinds.Offers("notes-brat.zip", pairwiseStudy: false, noteLabels: true));
        Assert.True(ExportKinds.Offers("notes-bioc.json", pairwiseStudy: true, noteLabels: true));
        Assert.False(ExportKinds.Offers("notes-brat.zip", pairwiseStudy: false, noteLabels: false));
        Assert.False(ExportKinds.Offers("notes-bioc.json", pairwiseStudy: true, noteLabels: false));
        Assert.True(ExportKinds.Offers("note-spans.csv", pairwiseStudy: false, noteLabels: false));
        Assert.Equal(["notes-brat.zip", "notes-bioc.json", "bundle.zip"], ExportKinds.Names.TakeLast(3));
    }
}
