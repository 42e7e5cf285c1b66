using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using GradeBench.Core.Agreement;

namespace GradeBench.Cli.Agreement;

static class AgreementCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var file = new Argument<FileInfo>("FILE") { Description = "Long-format ratings: CSV with the header unit,rater,value, one row per rating" };
        var level = new Option<MeasurementLevel>("--level") { Description = "Measurement level: nominal, ordinal, interval or ratio", Required = true };
        var categories = new Option<string?>("--categories")
        {
            Description = "The scale in order, as one CSV record (quote a label holding a comma), including categories nobody used",
        };
        var bootstrap = new Option<int>("--bootstrap")
        {
            Description = "Bootstrap resamples for 95% intervals of alpha, the kappas and AC1/AC2 (0: none)",
            DefaultValueFactory = _ => Bootstrap.DefaultResamples,
        };
        var seed = new Option<int>("--seed") { Description = "Seed of the bootstrap's random draws", DefaultValueFactory = _ => Bootstrap.DefaultSeed };
        var format = new Option<string>("--format") { Description = "table or json", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var command = new Command("agreement", "Inter-rater agreement coefficients of a ratings file. Exit code 2 for bad input.")
        {
            file, level, categories, bootstrap, seed, format,
        };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(file)!;
            var chosenLevel = parse.GetValue(level);
            if (parse.GetValue(bootstrap) < 0)
            {
                error.WriteLine("error: --bootstrap must be 0 or more");
                return ExitCodes.InvalidInput;
            }
            var record = parse.GetValue(categories);
            // --categories is parsed inside the read, so that its problems are said as this command always said them: name:0: message.
            if (CsvFile.Read(path, reader => RatingsCsv.Read(reader, chosenLevel, record is null ? null : RatingsCsv.ParseCategories(record)), error) is not { } ratings)
                return ExitCodes.InvalidInput;
            var report = AgreementAnalysis.Run(ratings, chosenLevel, parse.GetValue(bootstrap), parse.GetValue(seed));
            output.Write(parse.GetValue(format) == "json" ? Json(report) : Table(report));
            return ExitCodes.Success;
        });
        return command;
    }

    static string Json(AgreementReport report)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("units", report.Units);
            json.WriteNumber("units_left_out", report.UnitsLeftOut);
            json.WriteNumber("raters", report.Raters);
            json.WriteNumber("ratings", report.Ratings);
            json.WriteString("level", report.Level.ToString().ToLowerInvariant());
            json.WriteStartArray("categories");
            foreach (var category in report.Categories) json.WriteStringValue(category);
            json.WriteEndArray();
            json.WriteStartObject("metrics");
            foreach (var (name, estimate) in report.Metrics) EstimateJson.Write(json, name, estimate);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    static string Table(AgreementReport report)
    {
        var text = new StringBuilder();
        var level = report.Level.ToString().ToLowerInvariant();
        text.AppendLine(CultureInfo.InvariantCulture, $"{report.Units} units ({report.UnitsLeftOut} with fewer than two ratings), {report.Raters} raters, {report.Ratings} ratings, {report.Categories.Count} categories, level {level}");
        text.AppendLine();
        var width = report.Metrics.Max(m => m.Name.Length);
        text.AppendLine($"{"metric".PadRight(width)}  {"value",8}  95% CI");
        foreach (var (name, estimate) in report.Metrics)
        {
            var value = estimate.Value is { } v ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "—";
            var detail = estimate.Ci95 is { } ci
                ? string.Create(CultureInfo.InvariantCulture, $"[{ci.Lower:0.0000}, {ci.Upper:0.0000}]")
                : estimate.Reason?.ToString() ?? "";
            text.AppendLine($"{name.PadRight(width)}  {value,8}  {detail}");
        }
        return text.ToString();
    }
}
