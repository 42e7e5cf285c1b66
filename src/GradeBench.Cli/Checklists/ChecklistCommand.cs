using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using GradeBench.Cli.Agreement;
using GradeBench.Core.Agreement;
using GradeBench.Core.Checklists;

namespace GradeBench.Cli.Checklists;

/// <summary><c>gradebench checklist</c>: the statistics of case-specific checklist marks (docs/designs.md), those of
/// <see cref="ChecklistAnalysis.Run(IReadOnlyList{ChecklistMark}, ChecklistOptions?)"/>.</summary>
static class ChecklistCommand
{
    public static Command Create(TextWriter output, TextWriter error) => StatisticsCommand.Create("checklist",
        "HealthBench-style checklist scores per model and per tag with bootstrap intervals, and the raters' agreement on " +
        "met / not met (docs/designs.md). Exit code 2 for bad input.",
        "Checklist marks: CSV with the header response,model,rater,criterion,points,met (met: true or false) and " +
        "optionally tags (separated by ;), one row per mark",
        "Bootstrap resamples of the responses for 95% intervals (0: none)",
        ChecklistMarksCsv.Read,
        (marks, resamples, seed) => ChecklistAnalysis.Run(marks, new ChecklistOptions { BootstrapResamples = resamples, Seed = seed }),
        Json, Table, output, error);

    static string Json(ChecklistReport report)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartObject("models");
            foreach (var model in report.Models)
            {
                json.WriteStartObject(model.Model);
                WriteScore(json, model.Score);
                json.WriteNumber("responses", model.Responses);
                json.WriteNumber("responses_without_score", model.ResponsesWithoutScore);
                json.WriteStartObject("tags");
                foreach (var tag in model.Tags)
                {
                    json.WriteStartObject(tag.Tag);
                    WriteScore(json, tag.Score);
                    json.WriteNumber("responses", tag.Responses);
                    json.WriteEndObject();
                }
                json.WriteEndObject();
                json.WriteEndObject();
            }
            json.WriteEndObject();
            json.WriteStartObject("agreement");
            json.WriteNumber("units", report.Agreement.Units);
            json.WriteNumber("units_left_out", report.Agreement.UnitsLeftOut);
            EstimateJson.Write(json, "krippendorff_alpha_nominal", report.Agreement.Alpha);
            json.WriteStartObject("tags");
            foreach (var tag in report.Agreement.Tags)
            {
                json.WriteStartObject(tag.Tag);
                json.WriteNumber("units", tag.Units);
                json.WriteNumber("units_left_out", tag.UnitsLeftOut);
                EstimateJson.Write(json, "krippendorff_alpha_nominal", tag.Alpha);
                json.WriteEndObject();
            }
            json.WriteEndObject();
            json.WriteStartObject("balanced_f1");
            foreach (var rater in report.Agreement.Raters)
            {
                json.WriteStartObject(rater.Rater);
                WriteNumberOrNull(json, "value", rater.Score.Value.Value);
                WriteNumberOrNull(json, "f1_met", rater.Score.Positive.Value);
                WriteNumberOrNull(json, "f1_not_met", rater.Score.Negative.Value);
                json.WriteNumber("pairs", rater.Score.Pairs);
                if (rater.Score.Value.Reason is { } reason) json.WriteString("reason", reason.ToString());
                json.WriteEndObject();
            }
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteNumber("marks", report.Marks);
            json.WriteNumber("responses", report.Responses);
            json.WriteNumber("raters", report.Raters);
            json.WriteStartObject("bootstrap");
            json.WriteNumber("resamples", report.BootstrapResamples);
            json.WriteNumber("seed", report.Seed);
            json.WriteString("resampled", Resampled(report));
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary><c>"score"</c> and <c>"ci95"</c> (null when absent), and the <c>"reason"</c> when there is no score.</summary>
    static void WriteScore(Utf8JsonWriter json, Estimate score)
    {
        WriteNumberOrNull(json, "score", score.Value);
        if (score.Ci95 is { } ci)
        {
            json.WriteStartArray("ci95");
            json.WriteNumberValue(ci.Lower);
            json.WriteNumberValue(ci.Upper);
            json.WriteEndArray();
        }
        else json.WriteNull("ci95");
        if (score.Reason is { } reason) json.WriteString("reason", reason.ToString());
    }

    static void WriteNumberOrNull(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } number) json.WriteNumber(name, number);
        else json.WriteNull(name);
    }

    static string Resampled(ChecklistReport report) => report.Resampled == ChecklistResampling.Cases ? "cases" : "responses";

    static string Table(ChecklistReport report)
    {
        var text = new StringBuilder();
        var bootstrap = report.BootstrapResamples == 0
            ? "no bootstrap"
            : string.Create(CultureInfo.InvariantCulture, $"{report.BootstrapResamples} bootstrap resamples of the {Resampled(report)} (seed {report.Seed})");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{Count(report.Marks, "mark")} of {Count(report.Responses, "response")} by {Count(report.Raters, "rater")}, {Count(report.Models.Count, "model")}; {bootstrap}");
        text.AppendLine();

        var width = Math.Max("model".Length, report.Models.Max(m => m.Model.Length));
        text.AppendLine($"{"model".PadRight(width)}  {"score",6}  {"95% CI",-16}  responses  without score");
        foreach (var m in report.Models)
            text.AppendLine(CultureInfo.InvariantCulture, $"{m.Model.PadRight(width)}  {Value(m.Score),6}  {Interval(m.Score),-16}  {m.Responses,9}  {m.ResponsesWithoutScore,13}");

        var tags = report.Models.SelectMany(m => m.Tags.Select(t => (m.Model, Tag: t))).OrderBy(t => t.Tag.Tag, StringComparer.Ordinal).ToList();
        if (tags.Count > 0)
        {
            text.AppendLine();
            var tagWidth = Math.Max("tag".Length, tags.Max(t => t.Tag.Tag.Length));
            text.AppendLine($"{"tag".PadRight(tagWidth)}  {"model".PadRight(width)}  {"score",6}  {"95% CI",-16}  responses");
            foreach (var (model, tag) in tags)
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"{tag.Tag.PadRight(tagWidth)}  {model.PadRight(width)}  {Value(tag.Score),6}  {Interval(tag.Score),-16}  {tag.Responses,9}");
        }
        var reasons = report.Models.Where(m => m.Score.Reason is not null).Select(m => $"{m.Model}: {m.Score.Reason}")
            .Concat(tags.Where(t => t.Tag.Score.Reason is not null).Select(t => $"{t.Model}, {t.Tag.Tag}: {t.Tag.Score.Reason}")).ToList();
        if (reasons.Count > 0)
        {
            text.AppendLine();
            foreach (var reason in reasons) text.AppendLine($"no score for {reason}");
        }
        text.AppendLine();

        var agreement = report.Agreement;
        text.AppendLine(CultureInfo.InvariantCulture,
            $"agreement on met / not met (Krippendorff's alpha, nominal): {Alpha(agreement.Alpha)}, " +
            $"{Count(agreement.Units, "(response, criterion) unit")} with two or more raters, {agreement.UnitsLeftOut} with one left out");
        foreach (var tag in agreement.Tags)
            text.AppendLine(CultureInfo.InvariantCulture, $"  {tag.Tag}: {Alpha(tag.Alpha)}, {Count(tag.Units, "unit")}, {tag.UnitsLeftOut} left out");
        text.AppendLine("balanced F1 of each rater against the other raters' marks:");
        var raterWidth = agreement.Raters.Max(r => r.Rater.Length);
        foreach (var rater in agreement.Raters)
            text.AppendLine(CultureInfo.InvariantCulture, $"  {rater.Rater.PadRight(raterWidth)}  {Value(rater.Score.Value)}{(rater.Score.Value.Reason is { } reason ? $" ({reason})" : "")}");
        return text.ToString();
    }

    static string Value(Estimate estimate) => estimate.Value?.ToString("0.0000", CultureInfo.InvariantCulture) ?? "—";

    static string Interval(Estimate estimate) => estimate.Ci95 is { } ci
        ? string.Create(CultureInfo.InvariantCulture, $"[{ci.Lower:0.0000}, {ci.Upper:0.0000}]")
        : "—";

    static string Alpha(Estimate alpha) => alpha.Value is { } a
        ? a.ToString("0.0000", CultureInfo.InvariantCulture) + (alpha.Ci95 is { } ci ? string.Create(CultureInfo.InvariantCulture, $" [{ci.Lower:0.0000}, {ci.Upper:0.0000}]") : "")
        : $"— ({alpha.Reason})";

    static string Count(int n, string one) => string.Create(CultureInfo.InvariantCulture, $"{n} {(n == 1 ? one : one + "s")}");
}
