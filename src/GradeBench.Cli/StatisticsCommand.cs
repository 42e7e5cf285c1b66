using System.CommandLine;

namespace GradeBench.Cli;

/// <summary>The shape the design statistics commands share (<c>pairwise</c>, <c>checklist</c>, <c>span-agreement</c>):
/// one input FILE, <see cref="BootstrapOptions"/>, and the report as a table or JSON; exit 2 for bad input.</summary>
static class StatisticsCommand
{
    /// <param name="read">Reads the file, throwing the error that names its line (<see cref="CsvFile.Read"/>).</param>
    /// <param name="run">The statistics, from the input, the resamples and the seed.</param>
    public static Command Create<TInput, TReport>(string name, string description, string fileDescription, string resamplesDescription,
        Func<TextReader, TInput> read, Func<TInput, int, int, TReport> run, Func<TReport, string> json, Func<TReport, string> table,
        TextWriter output, TextWriter error) where TInput : class
    {
        var file = new Argument<FileInfo>("FILE") { Description = fileDescription };
        var options = new BootstrapOptions(resamplesDescription);
        var command = new Command(name, description) { file };
        options.AddTo(command);
        command.SetAction(parse =>
        {
            if (options.Read(parse, error) is not (var resamples, var seed)) return ExitCodes.InvalidInput;
            if (CsvFile.Read(parse.GetValue(file)!, read, error) is not { } input) return ExitCodes.InvalidInput;
            var report = run(input, resamples, seed);
            output.Write(options.Json(parse) ? json(report) : table(report));
            return ExitCodes.Success;
        });
        return command;
    }
}
