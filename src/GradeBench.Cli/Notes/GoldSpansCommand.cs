using System.CommandLine;
using GradeBench.Core.Agreement;
using GradeBench.Core.Notes;
using GradeBench.Storage.Notes;

namespace GradeBench.Cli.Notes;

/// <summary><c>gradebench import-gold-spans</c>: reads a gold-spans.csv (the export of span adjudication's gold set) back
/// into a study, replacing its gold set, all or nothing (docs/spans.md, "Gold spans").</summary>
static class GoldSpansCommand
{
    public static Command Create(Option<string> databaseOption, TextWriter output, TextWriter error)
    {
        var file = new Argument<FileInfo>("FILE") { Description = "gold-spans.csv as `gradebench export --kind gold-spans.csv` writes it" };
        var study = new Option<string>("--study") { Description = "Study id (from study.json)", Required = true };
        var command = new Command("import-gold-spans",
            "Replace a study's gold set of note passages with a gold-spans.csv, all or nothing: each row's case, note hash, label, " +
            "code points, quote and attributes must fit the study. Exit code 2 for bad input.") { file, databaseOption, study };
        command.SetAction(async (parse, ct) =>
        {
            if (await GradeBenchCommand.OpenAsync(parse, databaseOption, error, ct) is not { } database) return ExitCodes.Failure;
            if (await GradeBenchCommand.FindStudyAsync(database, parse.GetValue(study)!, error, ct) is not { } studyId) return ExitCodes.InvalidInput;
            var csv = parse.GetValue(file)!;
            if (CsvFile.Read(csv, GoldSpansCsv.Read, error) is not { } records) return ExitCodes.InvalidInput;
            try
            {
                var imported = await new GoldSpanImport(database, TimeProvider.System).ImportAsync(studyId, records, importedBy: null, ct);
                output.WriteLine($"{csv.Name}: {imported} decisions imported into {parse.GetValue(study)}; they replace its gold set");
                return ExitCodes.Success;
            }
            catch (RatingsCsvException e)
            {
                error.WriteLine($"{csv.Name}:{e.Line}: {e.Message}");
                return ExitCodes.InvalidInput;
            }
        });
        return command;
    }
}
