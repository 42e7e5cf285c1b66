using GradeBench.Core.Agreement;

namespace GradeBench.Core.Spans;

/// <summary>A study's span label: its id in the bundle and its name as the study writes it.</summary>
public sealed record SpanLabelName(string Id, string Name);

/// <summary>One label's agreement beside what it rests on: the documents in which someone marked it, the raters who
/// marked it and its distinct spans.</summary>
public sealed record LabelAgreement(string Id, string Name, SpanFigures Figures, int Documents, int Raters, int Spans);

/// <summary>A study's agreement on its span labels (docs/spans.md, "Where GradeBench shows these figures"): one run of
/// <see cref="SpanAgreement"/> over the documents read by two or more raters, overall (<see cref="Report"/>, with its
/// documents, raters and spans) and per label in the study's order, a label nobody marked included. The one computation
/// behind the results page, <c>span-agreement.csv</c>, the report and the dashboard.</summary>
public sealed record StudySpanAgreement(SpanAgreementReport Report, IReadOnlyList<LabelAgreement> Labels)
{
    /// <param name="labels">The study's labels, in its order; every span has one of them.</param>
    /// <param name="documents">The documents with their readers and spans; those read by fewer than two raters compare
    /// no one and are left out of every number.</param>
    public static StudySpanAgreement Compute(IReadOnlyList<SpanLabelName> labels, IReadOnlyList<SpanDocument> documents,
        int resamples = Bootstrap.DefaultResamples, int seed = Bootstrap.DefaultSeed)
    {
        var paired = documents.Where(d => d.Readers.Count >= 2).ToList();
        var report = SpanAgreement.Run(paired, new SpanAgreementOptions { BootstrapResamples = resamples, Seed = seed, Labels = [.. labels.Select(l => l.Id)] });
        var spans = paired.SelectMany(d => d.Spans).Distinct().ToLookup(s => s.Label, StringComparer.Ordinal);
        return new StudySpanAgreement(report, [.. labels.Select((label, i) =>
        {
            var marked = spans[label.Id];
            return new LabelAgreement(label.Id, label.Name, report.Labels[i].Figures, marked.Select(s => s.Document).Distinct().Count(),
                marked.Select(s => s.Rater).Distinct().Count(), marked.Count());
        })]);
    }
}
