using System.CommandLine;
using System.Text;
using GradeBench.Storage;
using GradeBench.Storage.Export;
using GradeBench.Storage.Studies;

namespace GradeBench.Cli.Export;

/// <summary><c>gradebench export</c>: writes one of a study's exports to a file (or standard output with <c>--out -</c>).</summary>
static class ExportCommand
{
    delegate Task<long> Writer(CsvExport export, long studyId, TextWriter output, CancellationToken ct);

    static readonly Dictionary<string, Writer> Kinds = new()
    {
        ["ratings.csv"] = (export, id, output, ct) => export.WriteRatingsAsync(id, output, ct),
        ["history.csv"] = (export, id, output, ct) => export.WriteHistoryAsync(id, output, ct),
        ["agreement.csv"] = (export, id, output, ct) => export.WriteAgreementAsync(id, output, ct),
    };

    public static Command Create(Option<FileInfo> databaseOption, TextWriter output, TextWriter error)
    {
        var study = new Option<string>("--study") { Description = "Study id (from study.json)", Required = true };
        var kind = new Option<string>("--kind") { Description = "What to export: " + string.Join(", ", Kinds.Keys), Required = true };
        kind.AcceptOnlyFromAmong([.. Kinds.Keys]);
        var outPath = new Option<string>("--out") { Description = "File to write, or - for standard output", Required = true };
        var excel = new Option<bool>("--excel") { Description = "Start the file with a UTF-8 byte-order mark, so Excel reads non-ASCII text right" };
        var command = new Command("export", "Export a study's ratings or audit trail.") { databaseOption, study, kind, outPath, excel };
        command.SetAction(async (parse, ct) =>
        {
            var database = new Database(parse.GetValue(databaseOption)!.FullName);
            if (await GradeBenchCommand.OpenAsync(database, error, ct) is null) return ExitCodes.Failure;
            var slug = parse.GetValue(study)!;
            if (await new StudyQuery(database).FindIdAsync(slug, ct) is not { } studyId)
            {
                error.WriteLine($"error: there is no study \"{slug}\"");
                return ExitCodes.InvalidInput;
            }
            var target = parse.GetValue(outPath)!;
            var encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: parse.GetValue(excel));
            var write = Kinds[parse.GetValue(kind)!];
            var export = new CsvExport(database);
            if (target == "-")
            {
                await write(export, studyId, output, ct);
                return ExitCodes.Success;
            }
            // Written beside the target and moved into place, so a failed export never leaves half a file under its name.
            var partial = target + ".partial";
            long rows;
            await using (var file = new StreamWriter(partial, append: false, encoding, bufferSize: 1 << 16))
                rows = await write(export, studyId, file, ct);
            File.Move(partial, target, overwrite: true);
            output.WriteLine($"{target}: {rows} rows");
            return ExitCodes.Success;
        });
        return command;
    }
}
