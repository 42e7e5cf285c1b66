using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using GradeBench.Cli.Agreement;
using GradeBench.Core.Agreement;
using GradeBench.Core.Spans;

namespace GradeBench.Cli.Spans;

/// <summary><c>gradebench span-agreement</c>: the raters' agreement on labelled spans (docs/spans.md), that of
/// <see cref="SpanAgreement.Run(IReadOnlyList{SpanDocument}, SpanAgreementOptions?)"/>.</summary>
static class SpanAgreementCommand
{
    /// <summary>Said with the figures: the file has no text, so α_u's continuum is a guess from the spans.</summary>
    const string ContinuumNote =
        "the file has no document text, so the length of each document (the continuum of alpha_u) is taken as the largest end marked in it";

    public static Command Create(TextWriter output, TextWriter error) => StatisticsCommand.Create("span-agreement",
        "Pairwise F1 (exact and overlap) and Krippendorff's unitizing alpha of raters' labelled spans, overall and per label, " +
        "with bootstrap intervals over the documents (docs/spans.md). Exit code 2 for bad input.",
        "Span annotations: JSON Lines, one {\"document\", \"rater\", \"label\", \"start\", \"end\"} per line (code points, " +
        "end exclusive); \"label\": null for a rater who read the document and marked nothing",
        "Bootstrap resamples of the documents for 95% intervals (0: none)",
        SpansJsonl.Read,
        (documents, resamples, seed) => SpanAgreement.Run(documents, new SpanAgreementOptions { BootstrapResamples = resamples, Seed = seed }),
        Json, Table, output, error);

    static string Json(SpanAgreementReport report)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            WriteFigures(json, "overall", report.Overall);
            json.WriteStartObject("labels");
            foreach (var label in report.Labels) WriteFigures(json, label.Label, label.Figures);
            json.WriteEndObject();
            json.WriteNumber("documents", report.Documents);
            json.WriteNumber("paired_documents", report.PairedDocuments);
            json.WriteNumber("raters", report.Raters);
            json.WriteNumber("spans", report.Spans);
            json.WriteStartObject("bootstrap");
            json.WriteNumber("resamples", report.BootstrapResamples);
            json.WriteNumber("seed", report.Seed);
            json.WriteEndObject();
            json.WriteString("note", ContinuumNote);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    static void WriteFigures(Utf8JsonWriter json, string name, SpanFigures figures)
    {
        json.WriteStartObject(name);
        EstimateJson.Write(json, "f1_exact", figures.F1Exact);
        EstimateJson.Write(json, "f1_overlap", figures.F1Overlap);
        EstimateJson.Write(json, "alpha_u", figures.AlphaU);
        json.WriteEndObject();
    }

    const string AllLabels = "all labels";

    static string Table(SpanAgreementReport report)
    {
        var text = new StringBuilder();
        var bootstrap = report.BootstrapResamples == 0
            ? "no bootstrap"
            : string.Create(CultureInfo.InvariantCulture, $"{report.BootstrapResamples} bootstrap resamples of the documents (seed {report.Seed})");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{Count(report.Spans, "span")} of {Count(report.Labels.Count, "label")} in {Count(report.Documents, "document")} " +
            $"({report.PairedDocuments} read by two or more raters) by {Count(report.Raters, "rater")}; {bootstrap}");
        text.AppendLine();

        var rows = report.Labels.Select(l => (Name: l.Label, l.Figures)).Prepend((Name: AllLabels, Figures: report.Overall)).ToList();
        var width = rows.Max(r => r.Name.Length);
        text.AppendLine($"{"label".PadRight(width)}  {"F1 exact",8}  {"95% CI",-18}  {"F1 overlap",10}  {"95% CI",-18}  {"alpha_u",8}  95% CI");
        foreach (var (name, figures) in rows)
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"{name.PadRight(width)}  {Value(figures.F1Exact),8}  {Interval(figures.F1Exact),-18}  {Value(figures.F1Overlap),10}  " +
                $"{Interval(figures.F1Overlap),-18}  {Value(figures.AlphaU),8}  {Interval(figures.AlphaU)}"));

        var absent = rows.SelectMany(r => new[] { ("F1 exact", r.Figures.F1Exact), ("F1 overlap", r.Figures.F1Overlap), ("alpha_u", r.Figures.AlphaU) }
            .Where(f => f.Item2.Reason is not null).Select(f => $"no {f.Item1} for {r.Name}: {f.Item2.Reason}")).ToList();
        if (absent.Count > 0)
        {
            text.AppendLine();
            foreach (var line in absent) text.AppendLine(line);
        }
        text.AppendLine();
        text.AppendLine($"note: {ContinuumNote}");
        return text.ToString();
    }

    static string Value(Estimate estimate) => estimate.Value?.ToString("0.0000", CultureInfo.InvariantCulture) ?? "—";

    static string Interval(Estimate estimate) => estimate.Ci95 is { } ci
        ? string.Create(CultureInfo.InvariantCulture, $"[{ci.Lower:0.0000}, {ci.Upper:0.0000}]")
        : "—";

    static string Count(int n, string one) => string.Create(CultureInfo.InvariantCulture, $"{n} {(n == 1 ? one : one + "s")}");
}
