namespace GradeBench.Storage.Export;

/// <summary>A study export that is text (UTF-8; for Excel with a byte-order mark, and the CSV kinds written by a
/// <see cref="TextExport"/> made <c>forExcel</c>).</summary>
public sealed record TextExportKind(string Name, string ContentType, string Description, Func<TextExport, long, TextWriter, CancellationToken, Task<long>> Write)
{
    /// <summary>Only side-by-side (pairwise) studies offer it.</summary>
    public bool PairwiseOnly { get; init; }

    /// <summary>It is about answers (their ratings, highlights, judges or models): a note-only study, which has none, does not offer it.</summary>
    public bool AboutAnswers { get; init; }
}

/// <summary>A study export of a study's note annotation in a clinical NLP format, written as bytes by a
/// <see cref="NoteInterchangeExport"/>; only a study with note labels offers it.</summary>
public sealed record NoteExportKind(string Name, string ContentType, string Description, Func<NoteInterchangeExport, long, Stream, CancellationToken, Task<long>> Write);

/// <summary>The study exports, one list for the command line and the web API (docs/exports.md).</summary>
public static class ExportKinds
{
    /// <summary>The whole study as a bundle: bytes, written by <see cref="BundleExport"/>.</summary>
    public const string Bundle = "bundle.zip";

    public static readonly IReadOnlyList<TextExportKind> Text =
    [
        new("ratings.csv", "text/csv", "Every submitted rating, one row per response × rater × criterion",
            (export, id, output, ct) => export.WriteRatingsAsync(id, output, ct)),
        new("pairwise.csv", "text/csv", "Side-by-side studies: every submitted vote, one row per pair × rater × axis, with the sides the rater saw",
            (export, id, output, ct) => export.WritePairwiseAsync(id, output, ct)) { PairwiseOnly = true },
        new("pairwise-consensus.csv", "text/csv", "Side-by-side studies: the consensus of adjudication, one row per pair × axis decided, by model (A, B)",
            (export, id, output, ct) => export.WritePairwiseConsensusAsync(id, output, ct)) { PairwiseOnly = true },
        new("ratings-wide.csv", "text/csv", "One row per response × rater, one column per criterion",
            (export, id, output, ct) => export.WriteRatingsWideAsync(id, output, ct)) { AboutAnswers = true },
        new("annotations.jsonl", "application/jsonl", "Highlighted spans, one JSON object per line",
            (export, id, output, ct) => export.WriteAnnotationsAsync(id, output, ct)) { AboutAnswers = true },
        new("note-spans.csv", "text/csv", "Marked passages of the cases' clinical notes, one row per passage, with its attributes as JSON",
            (export, id, output, ct) => export.WriteNoteSpansAsync(id, output, ct)),
        new("span-links.csv", "text/csv", "Links between a highlight of an answer and a marked passage of the case's note, one row per link",
            (export, id, output, ct) => export.WriteSpanLinksAsync(id, output, ct)),
        new("gold-spans.csv", "text/csv", "The gold set of the notes' passages from span adjudication, one row per decision, with who decided, when and from which raters",
            (export, id, output, ct) => export.WriteGoldSpansAsync(id, output, ct)),
        new("history.csv", "text/csv", "The audit trail: every value a rating has had",
            (export, id, output, ct) => export.WriteHistoryAsync(id, output, ct)),
        new("flags.csv", "text/csv", "Rater flags with the coordinators' replies and resolution, one row per message",
            (export, id, output, ct) => export.WriteFlagsAsync(id, output, ct)),
        new("safety-alerts.csv", "text/csv", "Safety alerts: what raised each, and who acknowledged it, when, with their note",
            (export, id, output, ct) => export.WriteSafetyAlertsAsync(id, output, ct)),
        new("agreement.csv", "text/csv", "Agreement per criterion and coefficient with 95% intervals, as on the results page",
            (export, id, output, ct) => export.WriteAgreementAsync(id, output, ct)) { AboutAnswers = true },
        new("span-agreement.csv", "text/csv", "Agreement on highlighted spans: pairwise F1 (exact, overlap) and Krippendorff's unitizing alpha, overall and per label, with 95% intervals",
            (export, id, output, ct) => export.WriteSpanAgreementAsync(id, output, ct)),
        new("judges.csv", "text/csv", "LLM judges beside the physicians, one row per number: alt-test, balanced F1, agreement, leniency, confusion matrix, prediction-powered means",
            (export, id, output, ct) => export.WriteJudgesAsync(id, output, ct)) { AboutAnswers = true },
        new("report.html", "text/html", "The study report: methods, agreement and model tables with charts, CHART checklist (standalone HTML)",
            (export, id, output, ct) => export.Report.WriteHtmlAsync(id, output, ct)) { AboutAnswers = true },
        new("report.md", "text/markdown", "The study report as Markdown: methods, agreement and model tables, CHART checklist",
            (export, id, output, ct) => export.Report.WriteMarkdownAsync(id, output, ct)) { AboutAnswers = true },
    ];

    /// <summary>The note annotation for clinical NLP tools (docs/spans.md, "Interchange").</summary>
    public static readonly IReadOnlyList<NoteExportKind> Notes =
    [
        new("notes-brat.zip", "application/zip", "The marked passages of the clinical notes as brat standoff files (.txt and .ann), a folder per rater, with annotation.conf",
            (export, id, output, ct) => export.WriteBratAsync(id, output, ct)),
        new("notes-bioc.json", "application/json", "The marked passages of the clinical notes as one BioC JSON collection, offsets in code points",
            (export, id, output, ct) => export.WriteBioCAsync(id, output, ct)),
    ];

    public static IEnumerable<string> Names => Text.Select(k => k.Name).Concat(Notes.Select(k => k.Name)).Append(Bundle);

    /// <summary>Whether a study offers the export <paramref name="name"/> (one of <see cref="Names"/>): pairwise.csv and
    /// pairwise-consensus.csv only a side-by-side study, notes-brat.zip and notes-bioc.json only a study with note
    /// labels, the kinds about answers only a study that has answers (not a note-only one), every other kind every study.</summary>
    public static bool Offers(string name, bool pairwiseStudy, bool noteLabels, bool noteOnlyStudy = false) =>
        (pairwiseStudy || Text.All(k => k.Name != name || !k.PairwiseOnly)) && (noteLabels || Notes.All(k => k.Name != name))
        && (!noteOnlyStudy || Text.All(k => k.Name != name || !k.AboutAnswers));

    /// <summary>Whether <paramref name="name"/> is a kind a note-only study does not offer.</summary>
    public static bool IsAboutAnswers(string name) => Text.Any(k => k.Name == name && k.AboutAnswers);
}
