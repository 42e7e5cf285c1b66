using System.CommandLine;
using GradeBench.Core.Studies;
using GradeBench.Storage;
using GradeBench.Storage.Migrations;
using GradeBench.Storage.Studies;

namespace GradeBench.Cli.Studies;

static class ImportCommand
{
    public static Command Create(Option<string> databaseOption, TextWriter output, TextWriter error)
    {
        var path = new Argument<string>("PATH") { Description = "Study bundle: a folder or a .zip (see docs/bundle-format.md)" };
        var maxFileBytes = new Option<long>("--max-file-bytes")
        {
            Description = "Largest file a bundle may hold, in bytes",
            DefaultValueFactory = _ => BundleFiles.DefaultMaxFileBytes,
        };
        var state = new Option<string?>("--state") { Description = "draft or open (default: the bundle's \"state\", else draft)" };
        state.AcceptOnlyFromAmong(StudyLifecycle.Name(StudyState.Draft), StudyLifecycle.Name(StudyState.Open));
        var mapRaters = new Option<bool>("--map-raters-to-accounts")
        {
            Description = "Give pilot ratings to the existing accounts of the raters' user names (new ones without passwords when missing; " +
                "administrators refused) instead of accounts of this study only",
        };
        var command = new Command("import", "Import a study bundle, all or nothing. Exit code 2 when the bundle has errors.")
        {
            path,
            databaseOption,
            maxFileBytes,
            state,
            mapRaters,
        };
        command.SetAction(async (parse, ct) =>
        {
            var bundlePath = parse.GetValue(path)!;
            var file = Database.SqliteFileOf(parse.GetValue(databaseOption)!);
            // A new database file is built beside its path and appears only when complete (docs/bundle-format.md); an
            // existing one, or a PostgreSQL database, takes the study in one transaction.
            using var newFile = file is null || File.Exists(file) ? null : NewDatabaseFile.Begin(file);
            Database? database = null;
            if (newFile is null && (database = await GradeBenchCommand.OpenAsync(parse, databaseOption, error, ct)) is null) return ExitCodes.Failure;

            var progress = new Progress(error, "import");
            progress.Phase($"reading and checking {bundlePath}");
            var startState = parse.GetValue(state) is { } chosen ? StudyLifecycle.Parse(chosen) : (StudyState?)null;
            var pilotRaters = parse.GetValue(mapRaters) ? PilotRaterAccounts.ExistingByName : PilotRaterAccounts.OfTheStudy;
            ImportResult result;
            if (newFile is not null)
            {
                // A new file, which nobody else writes: cases and responses are written while ratings.csv is checked.
                var staged = BundleReader.ReadStaged(bundlePath, parse.GetValue(maxFileBytes));
                if (staged.Head is { } head)
                {
                    await new Migrator(newFile.Building, TimeProvider.System).MigrateAsync(ct);
                    progress.Phase($"writing {head.Cases.Count:N0} cases and {head.Responses.Count:N0} responses, then the {(head.Study.Pairwise is null ? "ratings" : "pairs and votes")}");
                }
                result = await new StudyImporter(newFile.Building, TimeProvider.System).ImportAsync(staged, state: startState, pilotRaters: pilotRaters, ct: ct);
                if (result.Succeeded) database = await newFile.CompleteAsync(ct);
            }
            else
            {
                // An existing database: the bundle is read whole before the transaction, which keeps the write lock short.
                var read = BundleReader.Read(bundlePath, parse.GetValue(maxFileBytes));
                if (read.Bundle is { } parsed)
                {
                    progress.Phase($"writing {parsed.Cases.Count:N0} cases, {parsed.Responses.Count:N0} responses and {Collected(parsed)}");
                    result = await new StudyImporter(database!, TimeProvider.System).ImportAsync(parsed, read.Warnings, state: startState, pilotRaters: pilotRaters, ct: ct);
                }
                else result = new ImportResult(null, null, read.Errors, read.Warnings);
            }
            foreach (var warning in result.Warnings) error.WriteLine($"warning: {warning}");
            foreach (var problem in result.Errors) error.WriteLine(problem);
            if (!result.Succeeded)
            {
                if (SizeLimitHint(result.Errors, parse.GetValue(maxFileBytes)) is { } hint) error.WriteLine(hint);
                error.WriteLine($"{bundlePath}: {BundleError.Count(result.Errors):N0} error(s); nothing was imported.");
                return ExitCodes.InvalidInput;
            }
            var bundle = result.Bundle!;
            progress.Done(bundle.Cases.Count + bundle.Responses.Count + bundle.Ratings.Count + bundle.Pairs.Count + bundle.Votes.Count);
            var design = bundle.Study.Pairwise is { } pairwise
                ? $"{bundle.Responses.Count} responses, {pairwise.Axes.Count} axes, {bundle.Pairs.Count} pairs, {bundle.Votes.Count} votes"
                : bundle.Study.Annotation
                    ? $"to annotate, {bundle.Study.NoteLabels.Count} note labels, {bundle.Study.RatersPerResponse} raters per case"
                    : $"{bundle.Responses.Count} responses, {bundle.Study.Criteria.Count} criteria, {bundle.Ratings.Count} ratings";
            output.WriteLine($"Imported study \"{bundle.Study.Id}\" into {database!.DisplayName}: {bundle.Cases.Count} cases" +
                $"{(bundle.Study.Annotation ? " " : ", ")}{design}; " +
                (bundle.Study.State == StudyState.Open ? "open: raters can start." : "a draft: calibrate, then open it on the dashboard."));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>What the bundle brings that raters gave: ratings, or a side-by-side study's pairs and votes.</summary>
    static string Collected(StudyBundle bundle) => bundle.Study.Pairwise is null
        ? $"{bundle.Ratings.Count:N0} ratings"
        : $"{bundle.Pairs.Count:N0} pairs with {bundle.Votes.Count:N0} votes";

    /// <summary>The default limit is the web upload's (docs/bundle-format.md): say how to lift it when a file is over it.</summary>
    static string? SizeLimitHint(IReadOnlyList<BundleError> errors, long limit)
    {
        var over = errors.Select(e => BundleFiles.IsOverSizeLimit(e, out var bytes) ? (Over: true, Bytes: bytes) : (false, null)).Where(e => e.Over).ToList();
        if (over.Count == 0) return null;
        var needed = over.Max(e => e.Bytes) is { } largest && largest > limit ? largest : limit * 2;
        return $"hint: a bundle's files may be at most {limit:N0} bytes each unless you raise the limit, e.g. --max-file-bytes {needed}";
    }
}
