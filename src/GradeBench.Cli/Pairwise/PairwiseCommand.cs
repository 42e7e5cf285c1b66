using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using GradeBench.Cli.Agreement;
using GradeBench.Core.Agreement;
using GradeBench.Core.Pairwise;

namespace GradeBench.Cli.Pairwise;

/// <summary><c>gradebench pairwise</c>: the statistics of side-by-side votes (docs/designs.md), those of
/// <see cref="PairwiseAnalysis.Run(IReadOnlyList{PairwiseVote}, PairwiseOptions?)"/>.</summary>
static class PairwiseCommand
{
    public static Command Create(TextWriter output, TextWriter error) => StatisticsCommand.Create("pairwise",
        "Bradley–Terry ratings on the Arena scale with bootstrap intervals and ranks, win/loss/tie counts, position bias and " +
        "agreement of side-by-side votes (docs/designs.md). Exit code 2 for bad input.",
        "Side-by-side votes: CSV with the header case,rater,left,right,choice (left, right, tie or both_bad), one row per vote",
        "Bootstrap resamples of the cases for 95% intervals and Arena ranks (0: none)",
        PairwiseVotesCsv.Read,
        (votes, resamples, seed) => PairwiseAnalysis.Run(votes, new PairwiseOptions { BootstrapResamples = resamples, Seed = seed }),
        Json, Table, output, error);

    static string Json(PairwiseReport report)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("comparisons", report.Comparisons);
            json.WriteStartObject("models");
            foreach (var model in report.Models)
            {
                json.WriteStartObject(model.Model);
                WriteNumberOrNull(json, "rating", model.Rating.Value);
                WriteInterval(json, model.Rating.Ci95);
                WriteNumberOrNull(json, "rank", model.Rank);
                json.WriteNumber("wins", model.Wins);
                json.WriteNumber("losses", model.Losses);
                json.WriteNumber("ties", model.Ties);
                if (model.Rating.Reason is { } reason) json.WriteString("reason", reason.ToString());
                json.WriteEndObject();
            }
            json.WriteEndObject();
            json.WriteStartObject("position");
            WriteNumberOrNull(json, "left_win_share", report.Position.LeftWinShare.Value);
            WriteInterval(json, report.Position.LeftWinShare.Ci95);
            json.WriteNumber("decisive", report.Position.Decisive);
            json.WriteNumber("left_wins", report.Position.LeftWins);
            if (report.Position.LeftWinShare.Reason is { } why) json.WriteString("reason", why.ToString());
            json.WriteEndObject();
            json.WriteStartArray("pairs");
            foreach (var pair in report.Pairs)
            {
                json.WriteStartObject();
                json.WriteString("a", pair.ModelA);
                json.WriteString("b", pair.ModelB);
                json.WriteNumber("a_wins", pair.AWins);
                json.WriteNumber("b_wins", pair.BWins);
                json.WriteNumber("ties", pair.Ties);
                json.WriteNumber("both_bad", pair.BothBad);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartObject("agreement");
            json.WriteNumber("units", report.Agreement.Units);
            json.WriteNumber("units_left_out", report.Agreement.UnitsLeftOut);
            EstimateJson.Write(json, "krippendorff_alpha_nominal", report.Agreement.Alpha);
            json.WriteEndObject();
            json.WriteNumber("cases", report.Cases);
            json.WriteNumber("raters", report.Raters);
            json.WriteStartObject("bootstrap");
            json.WriteNumber("resamples", report.BootstrapResamples);
            json.WriteNumber("seed", report.Seed);
            WriteNumberOrNull(json, "undefined_resamples", report.UndefinedResamples);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    static void WriteInterval(Utf8JsonWriter json, ConfidenceInterval? interval)
    {
        if (interval is not { } ci)
        {
            json.WriteNull("ci95");
            return;
        }
        json.WriteStartArray("ci95");
        json.WriteNumberValue(ci.Lower);
        json.WriteNumberValue(ci.Upper);
        json.WriteEndArray();
    }

    static void WriteNumberOrNull(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } number) json.WriteNumber(name, number);
        else json.WriteNull(name);
    }

    static string Table(PairwiseReport report)
    {
        var text = new StringBuilder();
        var bootstrap = report.BootstrapResamples == 0
            ? "no bootstrap"
            : string.Create(CultureInfo.InvariantCulture, $"{report.BootstrapResamples} bootstrap resamples of the cases (seed {report.Seed})") +
              (report.UndefinedResamples is > 0 and var undefined ? $", {undefined} without an estimate left out" : "");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{Count(report.Comparisons, "vote")} on {Count(report.Cases, "case")} by {Count(report.Raters, "rater")}, {Count(report.Models.Count, "model")}; {bootstrap}");
        text.AppendLine();

        var width = Math.Max("model".Length, report.Models.Max(m => m.Model.Length));
        text.AppendLine($"{"model".PadRight(width)}  {"rating",7}  {"95% CI",-18}  rank  {"wins",6}  {"losses",6}  {"ties",6}");
        foreach (var m in report.Models)
        {
            var rating = m.Rating.Value is { } r ? r.ToString("0.0", CultureInfo.InvariantCulture) : "—";
            var ci = m.Rating.Ci95 is { } interval ? string.Create(CultureInfo.InvariantCulture, $"[{interval.Lower:0.0}, {interval.Upper:0.0}]") : "—";
            var rank = m.Rank?.ToString(CultureInfo.InvariantCulture) ?? "—";
            text.AppendLine(CultureInfo.InvariantCulture, $"{m.Model.PadRight(width)}  {rating,7}  {ci,-18}  {rank,4}  {m.Wins,6}  {m.Losses,6}  {m.Ties,6}");
        }
        if (report.Models.FirstOrDefault()?.Rating.Reason is { } reason) text.AppendLine(CultureInfo.InvariantCulture, $"no ratings: {reason}");
        text.AppendLine();

        var pairs = report.Pairs.Select(p => $"{p.ModelA} – {p.ModelB}").ToList();
        var pairWidth = Math.Max("pair (a – b)".Length, pairs.Max(p => p.Length));
        text.AppendLine($"{"pair (a – b)".PadRight(pairWidth)}  {"a wins",6}  {"b wins",6}  ties (both unacceptable)");
        for (var i = 0; i < pairs.Count; i++)
        {
            var p = report.Pairs[i];
            text.AppendLine(CultureInfo.InvariantCulture, $"{pairs[i].PadRight(pairWidth)}  {p.AWins,6}  {p.BWins,6}  {p.Ties} ({p.BothBad})");
        }
        text.AppendLine();

        var share = report.Position.LeftWinShare;
        text.AppendLine(share.Value is { } s
            ? string.Create(CultureInfo.InvariantCulture, $"position: the left answer won {s:0.0000}{Interval(share)} of {Count(report.Position.Decisive, "decisive vote")}")
            : $"position: — ({share.Reason})");
        var alpha = report.Agreement.Alpha;
        text.AppendLine(CultureInfo.InvariantCulture,
            $"agreement on the same pair (Krippendorff's alpha, nominal over A/B/tie): {(alpha.Value is { } a ? a.ToString("0.0000", CultureInfo.InvariantCulture) + Interval(alpha) : $"— ({alpha.Reason})")}, " +
            $"{Count(report.Agreement.Units, "(case, pair) unit")} with two or more votes, {report.Agreement.UnitsLeftOut} with one left out");
        return text.ToString();
    }

    static string Interval(Estimate estimate) => estimate.Ci95 is { } ci
        ? string.Create(CultureInfo.InvariantCulture, $" [{ci.Lower:0.0000}, {ci.Upper:0.0000}]")
        : "";

    static string Count(int n, string one) => string.Create(CultureInfo.InvariantCulture, $"{n} {(n == 1 ? one : one + "s")}");
}
