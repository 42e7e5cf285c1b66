using System.CommandLine;
using GradeBench.Core.Agreement;

namespace GradeBench.Cli;

/// <summary>The options the design statistics commands share: how many bootstrap resamples, their seed, and the output
/// format.</summary>
sealed class BootstrapOptions
{
    public Option<int> Resamples { get; }
    public Option<int> Seed { get; } = new("--seed") { Description = "Seed of the bootstrap's random draws", DefaultValueFactory = _ => Bootstrap.DefaultSeed };
    public Option<string> Format { get; } = new("--format") { Description = "table or json", DefaultValueFactory = _ => "table" };

    /// <param name="resamplesDescription">What is resampled, and for what: the command's own words.</param>
    public BootstrapOptions(string resamplesDescription)
    {
        Resamples = new("--bootstrap") { Description = resamplesDescription, DefaultValueFactory = _ => Bootstrap.DefaultResamples };
        Format.AcceptOnlyFromAmong("table", "json");
    }

    public void AddTo(Command command)
    {
        command.Options.Add(Resamples);
        command.Options.Add(Seed);
        command.Options.Add(Format);
    }

    /// <summary>The resamples and seed asked for; null (after saying why) when the count is negative.</summary>
    public (int Resamples, int Seed)? Read(ParseResult parse, TextWriter error)
    {
        if (parse.GetValue(Resamples) < 0)
        {
            error.WriteLine("error: --bootstrap must be 0 or more");
            return null;
        }
        return (parse.GetValue(Resamples), parse.GetValue(Seed));
    }

    public bool Json(ParseResult parse) => parse.GetValue(Format) == "json";
}
