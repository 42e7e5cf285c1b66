using GradeBench.Core.Agreement;
using GradeBench.Core.Rubrics;
using GradeBench.Core.Spans;
using static GradeBench.Core.Reports.ReportNumbers;

namespace GradeBench.Core.Reports;

/// <summary>The report on the raters' agreement on their highlights of the answers or their passages of the notes
/// (docs/spans.md): a paragraph with the method and the overall figures, a table per label and, where labels name rubric
/// criteria, a table per criterion. The numbers are <see cref="StudySpanAgreement"/>'s, those of the results
/// page and span-agreement.csv, rounded as the page rounds them: three decimals.</summary>
static class ReportSpans
{
    public static readonly string[] Citations =
    [
        "Krippendorff K. On the reliability of unitizing contiguous data. Sociological Methodology 1995;25:47–76.",
        "Meyer CM, Mieskes M, Stab C, Gurevych I. DKPro Agreement: an open-source Java library for measuring inter-rater agreement. Proceedings of COLING 2014, System Demonstrations; 2014:105–109.",
        "He H, Fu S, Wang L, Liu S, Wen A, Liu H. MedTator: a serverless annotation tool for corpus development. Bioinformatics 2022;38:1776–1778.",
    ];

    /// <param name="headingLevel">Under the span labels' heading (3), or a section of its own (2).</param>
    /// <param name="studyLanguage">The language of the study's texts, for the criteria's names.</param>
    /// <param name="source">The answers' highlights, or the passages of the cases' notes (a case a document).</param>
    public static IEnumerable<ReportBlock> Section(ReportText t, StudySpanAgreement spans, int headingLevel, string? studyLanguage,
        SpanSource source = SpanSource.Answers)
    {
        var notes = source == SpanSource.Note;
        string Text(string key) => notes ? key.Replace("Span", "Note", StringComparison.Ordinal) : key;
        var report = spans.Report;
        yield return new ReportHeading(headingLevel, t[Text("HeadingSpanAgreement")]);
        var method = t[Text("SpanAgreementMethods"), Count(report.BootstrapResamples), report.Seed];
        if (report.PairedDocuments == 0)
        {
            yield return new ReportParagraph(method + t[Text("SpanAgreementNoPairs")]);
            yield break;
        }
        var overall = report.Overall;
        yield return new ReportParagraph(method + t[Text("SpanAgreementFigures"), t.Counted(notes ? "Cases" : "Responses", report.PairedDocuments),
            t.Counted("Raters", report.Raters), t.Counted(notes ? "Passages" : "Highlights", report.Spans), Prose(t, overall.F1Exact), Prose(t, overall.F1Overlap),
            Prose(t, overall.AlphaU)]);
        var rows = spans.Labels.Select(l => (l.Name, l.Figures, l.Documents, l.Raters, l.Spans))
            .Prepend((Name: t["AllLabels"], Figures: overall, Documents: report.PairedDocuments, report.Raters, report.Spans));
        yield return Table(t, t[Text("SpanAgreementCaption")], t[notes ? "ColNoteLabel" : "ColLabel"], notes, rows);
        if (spans.Criteria.Count == 0) yield break;
        var shown = new TextLanguages(t.Tag, studyLanguage);
        yield return Table(t, t[Text("SpanCriteriaCaption")], t["ColCriterion"], notes,
            spans.Criteria.Select(c => (c.NameTranslations.Show(c.Name, shown).Text, c.Figures, c.Documents, c.Raters, c.Spans)));
    }

    static ReportTable Table(ReportText t, string caption, string first, bool notes,
        IEnumerable<(string Name, SpanFigures Figures, int Documents, int Raters, int Spans)> rows) =>
        new(caption,
            [first, t["ColF1Exact"], t["ColInterval"], t["ColF1Overlap"], t["ColInterval"], t["ColAlphaU"], t["ColInterval"],
                t[notes ? "ColCases" : "ColResponses"], t["ColRaters"], t[notes ? "ColPassages" : "ColHighlights"]],
            [.. rows.Select(r => (IReadOnlyList<string>)
            [
                r.Name, Value(r.Figures.F1Exact), Interval(t, r.Figures.F1Exact), Value(r.Figures.F1Overlap), Interval(t, r.Figures.F1Overlap),
                Value(r.Figures.AlphaU), Interval(t, r.Figures.AlphaU), Count(r.Documents), Count(r.Raters), Count(r.Spans),
            ])]);

    static string Value(Estimate figure) => figure.Value is { } v ? Coefficient(v) : None;

    /// <summary>The interval, or why there is no value (as the agreement table says it).</summary>
    static string Interval(ReportText t, Estimate figure) => figure switch
    {
        { Ci95: { } ci } => CoefficientInterval(ci.Lower, ci.Upper, t.Language),
        { Value: null, Reason: { } reason } => reason.ToString(t.Language),
        _ => None,
    };

    static string Prose(ReportText t, Estimate figure) => figure.Value is { } v
        ? Coefficient(v) + (figure.Ci95 is { } ci ? t["IntervalInProse", Coefficient(ci.Lower), Coefficient(ci.Upper)] : "")
        : t["NoValueBecause", figure.Reason?.ToString(t.Language)];
}
