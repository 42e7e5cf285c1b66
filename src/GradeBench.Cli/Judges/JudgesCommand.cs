using System.CommandLine;
using System.Globalization;
using System.Text;
using GradeBench.Core.Messages;
using GradeBench.Core.Studies;
using GradeBench.Storage;
using GradeBench.Storage.Judges;
using GradeBench.Storage.Rubrics;

namespace GradeBench.Cli.Judges;

/// <summary><c>gradebench judges add|list|import</c>: a study's LLM judges (docs/setup.md, "Judges"), their provenance,
/// and their ratings in bulk.</summary>
static class JudgesCommand
{
    const string All = "all";

    public static Command Create(Option<string> databaseOption, TextWriter output, TextWriter error) =>
        new("judges", "Manage a study's LLM judges: add one (printing its API token), list them, import their ratings.")
        {
            Add(databaseOption, output, error),
            List(databaseOption, output, error),
            Import(databaseOption, output, error),
        };

    static Option<string> StudyOption() => new("--study") { Description = "Study id (from study.json)", Required = true };

    static Command Add(Option<string> databaseOption, TextWriter output, TextWriter error)
    {
        var study = StudyOption();
        var name = new Option<string>("--name") { Description = "The judge's name in the study (A-Z a-z 0-9 . _ -)", Required = true };
        var model = new Option<string>("--model") { Description = "The model that judges, as its provider names it (e.g. gpt-4o)", Required = true };
        var version = new Option<string?>("--version") { Description = "The model's version or snapshot (e.g. 2024-08-06)" };
        var promptFile = new Option<FileInfo?>("--prompt-file") { Description = "The judge's prompt, a UTF-8 text file: stored with its SHA-256" };
        var temperature = new Option<double?>("--temperature") { Description = "The sampling temperature the judge runs at" };
        var responses = new Option<string>("--responses")
        {
            Description = "Which responses it rates: all (default; those added later too), or a file of response ids from responses.jsonl, one a line",
            DefaultValueFactory = _ => All,
        };
        var command = new Command("add", "Add an LLM judge to a study and print its API token (shown only this once).")
        {
            databaseOption, study, name, model, version, promptFile, temperature, responses,
        };
        // Standard output carries the token alone, as `gradebench token create` does: TOKEN=$(gradebench judges add ...).
        command.SetAction(async (parse, ct) =>
        {
            var judgeName = parse.GetValue(name)!.Trim();
            if (!BundleReader.IsIdentifier(judgeName)) return Fail(error, "--name must be 1-64 characters from A-Z a-z 0-9 . _ -");
            var modelName = parse.GetValue(model)!.Trim();
            if (modelName.Length == 0) return Fail(error, "--model cannot be empty");
            if (parse.GetValue(temperature) is { } t && (!double.IsFinite(t) || t < 0)) return Fail(error, "--temperature must be a number of at least 0");
            string? prompt = null;
            if (parse.GetValue(promptFile) is { } file && (prompt = ReadText(file, error)) is null) return ExitCodes.InvalidInput;
            IReadOnlyList<(int Line, string Id)>? chosen = null;
            var responsesFile = parse.GetValue(responses)!;
            if (responsesFile != All && (chosen = ReadLines(responsesFile, error)) is null) return ExitCodes.InvalidInput;

            if (await GradeBenchCommand.OpenAsync(parse, databaseOption, error, ct) is not { } database) return ExitCodes.Failure;
            if (await GradeBenchCommand.FindStudyAsync(database, parse.GetValue(study)!, error, ct) is not { } studyId) return ExitCodes.InvalidInput;
            var judge = new NewJudge(judgeName, modelName, parse.GetValue(version)?.Trim() is { Length: > 0 } v ? v : null, prompt, parse.GetValue(temperature));
            var added = await Store(database).AddAsync(studyId, judge, chosen?.Select(r => r.Id).ToList(), ct);
            switch (added.Outcome)
            {
                case JudgeAddOutcome.NameTaken:
                    return Fail(error, $"the study {parse.GetValue(study)} has a judge named \"{judgeName}\" already");
                case JudgeAddOutcome.PairwiseStudy:
                    return Fail(error, $"the study {parse.GetValue(study)} compares answers side by side; LLM judges rate single answers on a rubric and cannot join it");
                case JudgeAddOutcome.NoteOnlyStudy:
                    return Fail(error, $"the study {parse.GetValue(study)} is a note-only study; LLM judges rate single answers on a rubric and cannot join it");
                case JudgeAddOutcome.UnknownResponses:
                    foreach (var at in added.UnknownResponses)
                        error.WriteLine(new BundleError(responsesFile, chosen![at].Line, "response_id", new Message("Bundle_UnknownResponse", chosen[at].Id)));
                    error.WriteLine($"{responsesFile}: {added.UnknownResponses.Count:N0} error(s); no judge was added.");
                    return ExitCodes.InvalidInput;
            }
            output.WriteLine(added.Token);
            error.WriteLine($"Added the judge {judgeName} ({modelName}) to {parse.GetValue(study)}: {added.Judge!.Assigned:N0} responses to rate. "
                + $"Its API token is above (user {added.Judge.Username}); send it as \"Authorization: Bearer TOKEN\". It cannot be shown again.");
            return ExitCodes.Success;
        });
        return command;
    }

    static Command List(Option<string> databaseOption, TextWriter output, TextWriter error)
    {
        var study = StudyOption();
        var command = new Command("list", "List a study's judges with their provenance and progress.") { databaseOption, study };
        command.SetAction(async (parse, ct) =>
        {
            if (await GradeBenchCommand.OpenAsync(parse, databaseOption, error, ct) is not { } database) return ExitCodes.Failure;
            if (await GradeBenchCommand.FindStudyAsync(database, parse.GetValue(study)!, error, ct) is not { } studyId) return ExitCodes.InvalidInput;
            var store = Store(database);
            var rubric = await store.RubricVersionAsync(studyId, ct);
            output.WriteLine("name\tuser\tmodel\tversion\ttemperature\tprompt_sha256\trubric\tresponses\tdone\tadded");
            foreach (var judge in await store.ListAsync(studyId, ct))
                output.WriteLine(string.Join('\t', judge.Name, judge.Username, judge.Model, judge.ModelVersion ?? "",
                    judge.Temperature?.ToString("R", CultureInfo.InvariantCulture) ?? "", judge.PromptSha256 ?? "",
                    judge.RubricSha256 == rubric ? "current" : $"changed since ({judge.RubricSha256[..12]})",
                    judge.AllResponses ? "all" : judge.Assigned.ToString(CultureInfo.InvariantCulture), judge.Done.ToString(CultureInfo.InvariantCulture),
                    judge.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)));
            return ExitCodes.Success;
        });
        return command;
    }

    static Command Import(Option<string> databaseOption, TextWriter output, TextWriter error)
    {
        var study = StudyOption();
        var judge = new Option<string>("--judge") { Description = "The judge's name in the study", Required = true };
        var file = new Argument<string>("FILE") { Description = "CSV: response_id,criterion,value[,explanation], response ids from responses.jsonl" };
        var command = new Command("import", "Import a judge's ratings, all or nothing; each row replaces the judge's earlier value. Exit code 2 when the file has errors.")
        {
            databaseOption, study, judge, file,
        };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            byte[] bytes;
            try
            {
                bytes = await File.ReadAllBytesAsync(path, ct);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return Fail(error, $"cannot read {path}: {e.Message}");
            }
            if (await GradeBenchCommand.OpenAsync(parse, databaseOption, error, ct) is not { } database) return ExitCodes.Failure;
            var slug = parse.GetValue(study)!;
            if (await GradeBenchCommand.FindStudyAsync(database, slug, error, ct) is not { } studyId) return ExitCodes.InvalidInput;
            var name = parse.GetValue(judge)!.Trim();
            var result = await Store(database).ImportAsync(studyId, name, path, bytes, ct);
            switch (result.Outcome)
            {
                case JudgeImportOutcome.NoSuchJudge:
                    return Fail(error, $"the study {slug} has no judge named \"{name}\" (see gradebench judges list)");
                case JudgeImportOutcome.StudyClosed:
                    return Fail(error, result.Refusal!.ToString());
                case JudgeImportOutcome.Invalid:
                    foreach (var problem in result.Errors) error.WriteLine(problem);
                    error.WriteLine($"{path}: {BundleError.Count(result.Errors):N0} error(s); nothing was imported.");
                    return ExitCodes.InvalidInput;
            }
            output.WriteLine($"Imported {name}'s ratings of {result.Responses:N0} responses into {slug}: {result.Changed:N0} values changed, "
                + $"the others as stored already.");
            return ExitCodes.Success;
        });
        return command;
    }

    static JudgeStore Store(Database database) => new(database, new RubricQuery(database), TimeProvider.System);

    static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>A UTF-8 text file's text without its byte-order mark; null (after saying why) when it cannot be read.</summary>
    static string? ReadText(FileInfo file, TextWriter error)
    {
        try
        {
            var bytes = File.ReadAllBytes(file.FullName);
            var bom = bytes.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
            return StrictUtf8.GetString(bytes, bom, bytes.Length - bom);
        }
        catch (DecoderFallbackException)
        {
            error.WriteLine($"error: {file} is not UTF-8 text");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: cannot read {file}: {e.Message}");
        }
        return null;
    }

    /// <summary>The non-blank lines of a text file, trimmed, with their line numbers; null (after saying why) when it cannot be read.</summary>
    static List<(int Line, string Id)>? ReadLines(string path, TextWriter error)
    {
        if (ReadText(new FileInfo(path), error) is not { } text) return null;
        return [.. text.Split('\n').Select((line, i) => (Line: i + 1, Id: line.Trim())).Where(l => l.Id.Length > 0)];
    }

    static int Fail(TextWriter error, string message)
    {
        error.WriteLine($"error: {message}");
        return ExitCodes.InvalidInput;
    }
}
