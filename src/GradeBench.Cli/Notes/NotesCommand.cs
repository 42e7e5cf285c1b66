using System.CommandLine;
using GradeBench.Core.Spans.Interchange;
using GradeBench.Storage.Notes;

namespace GradeBench.Cli.Notes;

/// <summary><c>gradebench notes import-brat</c>: a rater's passages of the cases' clinical notes, brought in from brat
/// standoff files (docs/spans.md, "Interchange").</summary>
static class NotesCommand
{
    public static Command Create(Option<string> databaseOption, TextWriter output, TextWriter error) =>
        new("notes", "The passages marked in the cases' clinical notes: import a rater's from brat.") { ImportBrat(databaseOption, output, error) };

    static Command ImportBrat(Option<string> databaseOption, TextWriter output, TextWriter error)
    {
        var study = new Option<string>("--study") { Description = "Study id (from study.json)", Required = true };
        var rater = new Option<string>("--rater") { Description = "User name of the rater the passages are stored as (a rater of the study)", Required = true };
        var folder = new Argument<string>("folder")
        {
            Description = "A brat folder: for each note CASE.txt (the case's note exactly) and CASE.ann (its spans), CASE the case id; " +
                          "of notes-brat.zip, one rater's folder raters/RATER",
        };
        var command = new Command("import-brat",
            "Import a rater's passages of the cases' notes from a brat folder, with the study's note labels and attributes: all of them, or nothing.")
        {
            databaseOption, study, rater, folder,
        };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(folder)!;
            if (!Directory.Exists(path))
            {
                error.WriteLine($"error: there is no folder {path}");
                return ExitCodes.InvalidInput;
            }
            var files = Directory.EnumerateFiles(path).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes, StringComparer.Ordinal);
            if (await GradeBenchCommand.OpenAsync(parse, databaseOption, error, ct) is not { } database) return ExitCodes.Failure;
            var (studyName, username) = (parse.GetValue(study)!, parse.GetValue(rater)!.Trim());
            if (await GradeBenchCommand.FindStudyAsync(database, studyName, error, ct) is not { } studyId) return ExitCodes.InvalidInput;
            var import = await new NoteSpanImport(database, TimeProvider.System).ImportBratAsync(studyId, username, files, ct);
            switch (import.Outcome)
            {
                case NoteImportOutcome.NoSuchUser:
                    error.WriteLine($"error: there is no user \"{username}\"");
                    return ExitCodes.InvalidInput;
                case NoteImportOutcome.NotARater:
                    error.WriteLine($"error: {username} is not a rater of {studyName}");
                    return ExitCodes.InvalidInput;
                case NoteImportOutcome.Invalid:
                    // The places are the folder's files as the command was given them.
                    foreach (var e in import.Errors)
                        error.WriteLine(new InterchangeException(Path.Combine(path, e.File), e.Line, e.Field, e.Text).Message);
                    error.WriteLine($"{path}: {import.Errors.Count:N0} error(s); nothing was imported.");
                    return ExitCodes.InvalidInput;
            }
            output.WriteLine($"Imported {import.Spans:N0} passages of {username} in {import.Notes:N0} notes of {studyName}.");
            if (import.Skipped.Total > 0) output.WriteLine($"Left out, as GradeBench has no place for them: {LeftOut(import.Skipped)}.");
            return ExitCodes.Success;
        });
        return command;
    }

    static string LeftOut(BratSkipped skipped) => string.Join(", ", new[]
    {
        (skipped.Notes, "annotator note", "annotator notes", "#"), (skipped.Relations, "relation", "relations", "R"),
        (skipped.Events, "event", "events", "E; their triggers were imported as spans"), (skipped.Equivalences, "equivalence", "equivalences", "*"),
        (skipped.Normalizations, "normalization", "normalizations", "N"), (skipped.Attributes, "attribute of these", "attributes of these", "A"),
    }.Where(s => s.Item1 > 0).Select(s => $"{s.Item1:N0} {(s.Item1 == 1 ? s.Item2 : s.Item3)} ({s.Item4})"));
}
