using System.IO.Compression;
using System.Text;
using GradeBench.Core.Spans.Interchange;

namespace GradeBench.Storage.Export;

/// <summary>The study's note annotation for clinical NLP tools (docs/exports.md, docs/spans.md "Interchange"):
/// notes-brat.zip and notes-bioc.json, from <see cref="Notes.NoteDocumentsQuery"/>. Each is built whole in memory (the notes
/// with passages and their spans) and then copied to the output, so that a study the format cannot carry (a label brat
/// cannot name) is refused with an <see cref="InterchangeException"/> before a byte is written, and the web response is
/// written asynchronously throughout. Each returns the number of spans written.</summary>
public sealed class NoteInterchangeExport(Database database, TimeProvider clock)
{
    /// <summary>notes-brat.zip: <c>annotation.conf</c> for all the spans at the top, and a brat folder for the gold set,
    /// <c>gold/</c> (if it has spans), and for each rater, <c>raters/RATER/</c> (<see cref="BratStandoff.WriteByRater"/>),
    /// each with every note that has a passage as <c>CASE.txt</c> and its spans of it as <c>CASE.ann</c>, and its own
    /// <c>annotation.conf</c>.</summary>
    /// <exception cref="InterchangeException">A label, attribute, value or case id that brat cannot carry.</exception>
    public async Task<long> WriteBratAsync(long studyId, Stream output, CancellationToken ct = default)
    {
        var notes = await new Notes.NoteDocumentsQuery(database).LoadAsync(studyId, ct);
        var documents = notes.Documents.Select(d => d with { Annotations = [.. d.Annotations.Select(a => a.Rater is null ? a : a with { Rater = BratFolder(a.Rater) })] }).ToList();
        var files = BratStandoff.WriteByRater(documents, notes.Scheme)
            .Prepend(new InterchangeFile(BratStandoff.ConfigurationFile, Encoding.UTF8.GetBytes(BratStandoff.WriteConfiguration(notes.Scheme, documents))));
        using var zipped = new MemoryStream();
        using (var zip = new ZipArchive(zipped, ZipArchiveMode.Create, leaveOpen: true, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)))
        {
            var written = clock.GetUtcNow();
            foreach (var file in files)
            {
                var entry = zip.CreateEntry(file.Path, CompressionLevel.Optimal);
                entry.LastWriteTime = written;
                using var content = entry.Open();
                content.Write(file.Content);
            }
        }
        zipped.Position = 0;
        await zipped.CopyToAsync(output, ct);
        return documents.Sum(d => d.Annotations.Count);
    }

    /// <summary>The folder of a rater's spans in notes-brat.zip: their username, a pilot rater's <c>STUDY/NAME</c> with a
    /// <c>+</c> for the slash, which no username has, so that every rater has a folder of their own.</summary>
    public static string BratFolder(string username) => username.Replace('/', '+');

    /// <summary>notes-bioc.json: one BioC collection (<see cref="BioCJson.Write"/>) whose source is the study's id and
    /// date today's (UTC), a document per note with a passage, each span an annotation with its rater as annotator (none
    /// for the gold set).</summary>
    /// <exception cref="InterchangeException">An attribute named <c>type</c> or <c>annotator</c>.</exception>
    public async Task<long> WriteBioCAsync(long studyId, Stream output, CancellationToken ct = default)
    {
        var notes = await new Notes.NoteDocumentsQuery(database).LoadAsync(studyId, ct);
        using var json = new MemoryStream();
        BioCJson.Write(json, notes.Documents, notes.Study, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
        json.Position = 0;
        await json.CopyToAsync(output, ct);
        return notes.Documents.Sum(d => d.Annotations.Count);
    }
}
