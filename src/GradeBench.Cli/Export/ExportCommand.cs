using System.CommandLine;
using System.Text;
using GradeBench.Core.Spans.Interchange;
using GradeBench.Storage;
using GradeBench.Storage.Export;
using GradeBench.Storage.Notes;
using GradeBench.Storage.Pairwise;
using GradeBench.Storage.Studies;

namespace GradeBench.Cli.Export;

/// <summary><c>gradebench export</c>: writes one of a study's exports to a file (or standard output with <c>--out -</c>).</summary>
static class ExportCommand
{
    const string Bundle = ExportKinds.Bundle;

    static IEnumerable<string> AllKinds => ExportKinds.Names;

    static Task<long> WriteTextAsync(string kind, TextExport export, long studyId, TextWriter output, CancellationToken ct) =>
        ExportKinds.Text.Single(k => k.Name == kind).Write(export, studyId, output, ct);

    public static Command Create(Option<string> databaseOption, TextWriter output, TextWriter error)
    {
        var study = new Option<string>("--study") { Description = "Study id (from study.json)", Required = true };
        var kind = new Option<string>("--kind") { Description = "What to export: " + string.Join(", ", AllKinds), Required = true };
        kind.AcceptOnlyFromAmong([.. AllKinds]);
        var outPath = new Option<string>("--out") { Description = "File to write, or - for standard output", Required = true };
        var excel = new Option<bool>("--excel")
        {
            Description = "For Excel: start the file with a UTF-8 byte-order mark (so Excel reads non-ASCII text right) and put an " +
                          "apostrophe before a CSV text cell that Excel would run as a formula (= + - @, tab, CR)",
        };
        var asId = new Option<string?>("--as") { Description = "bundle.zip only: the study id the bundle gives the study (to import a copy beside it)" };
        var command = new Command("export", "Export a study's ratings, audit trail, annotations or whole bundle.") { databaseOption, study, kind, outPath, excel, asId };
        command.SetAction(async (parse, ct) =>
        {
            if (await GradeBenchCommand.OpenAsync(parse, databaseOption, error, ct) is not { } database) return ExitCodes.Failure;
            if (await GradeBenchCommand.FindStudyAsync(database, parse.GetValue(study)!, error, ct) is not { } studyId)
                return ExitCodes.InvalidInput;
            var kindName = parse.GetValue(kind)!;
            var noteStore = new NoteSpanStore(database, TimeProvider.System);
            var (noteLabels, noteOnly) = (await noteStore.HasLabelsAsync(studyId, ct), await new StudyQuery(database).IsNoteOnlyAsync(studyId, ct));
            if (!ExportKinds.Offers(kindName, await new PairwiseStore(database, TimeProvider.System).IsPairwiseAsync(studyId, ct), noteLabels, noteOnly))
            {
                error.WriteLine(noteOnly && ExportKinds.IsAboutAnswers(kindName)
                    ? $"error: {kindName} is for studies with answers; {parse.GetValue(study)} is a note-only study"
                    : ExportKinds.Notes.All(k => k.Name != kindName)
                    ? $"error: {kindName} is for side-by-side (pairwise) studies; {parse.GetValue(study)} is not one"
                    : $"error: {kindName} is for studies with note labels; {parse.GetValue(study)} has none");
                return ExitCodes.InvalidInput;
            }
            var newId = parse.GetValue(asId);
            if (newId is not null && (kindName != Bundle || !Core.Studies.BundleReader.IsIdentifier(newId)))
            {
                error.WriteLine(kindName != Bundle ? "error: --as only applies to bundle.zip" : $"error: --as \"{newId}\" is not a study id ([A-Za-z0-9._-], 1-64 characters)");
                return ExitCodes.InvalidInput;
            }
            var target = parse.GetValue(outPath)!;
            // Progress goes to standard error, and never when the export itself goes to standard output.
            var progress = target == "-" ? null : new Progress(error, kindName,
                kindName == "ratings.csv" && Progress.IsTerminal(error) ? await new TextExport(database).CountRatingsAsync(studyId, ct) : null);
            var export = new TextExport(database, progress, forExcel: parse.GetValue(excel));
            var notes = ExportKinds.Notes.SingleOrDefault(k => k.Name == kindName);
            if (target == "-")
            {
                if (kindName == Bundle || notes is not null)
                {
                    await using var stdout = Console.OpenStandardOutput();
                    if (notes is null) await new BundleExport(database).WriteAsync(studyId, stdout, newId, ct: ct);
                    else if (await WriteNotesAsync(notes, database, studyId, stdout, error, ct) is null) return ExitCodes.InvalidInput;
                }
                else await WriteTextAsync(kindName, export, studyId, output, ct);
                return ExitCodes.Success;
            }
            // Written beside the target and moved into place, so a failed export never leaves half a file under its name.
            var partial = target + ".partial";
            long rows;
            if (kindName == Bundle)
            {
                await using var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
                rows = await new BundleExport(database).WriteAsync(studyId, file, newId, progress, ct);
            }
            else if (notes is not null)
            {
                long? written;
                await using (var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
                    written = await WriteNotesAsync(notes, database, studyId, file, error, ct);
                if (written is not { } spans)
                {
                    File.Delete(partial);
                    return ExitCodes.InvalidInput;
                }
                rows = spans;
            }
            else
            {
                var encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: parse.GetValue(excel));
                await using var file = new StreamWriter(partial, append: false, encoding, bufferSize: 1 << 16);
                rows = await WriteTextAsync(kindName, export, studyId, file, ct);
            }
            progress?.Done(rows);
            File.Move(partial, target, overwrite: true);
            output.WriteLine($"{target}: {rows} rows");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Writes the note annotation in one of its formats; null (after saying why, with nothing written) when
    /// the study holds what the format cannot carry.</summary>
    static async Task<long?> WriteNotesAsync(NoteExportKind kind, Database database, long studyId, Stream output, TextWriter error, CancellationToken ct)
    {
        try
        {
            return await kind.Write(new NoteInterchangeExport(database, TimeProvider.System), studyId, output, ct);
        }
        catch (InterchangeException e)
        {
            error.WriteLine($"error: {kind.Name}: {e.Message}");
            return null;
        }
    }
}
