using GradeBench.Core.Agreement;
using GradeBench.Core.Rubrics;

namespace GradeBench.Core.Spans;

/// <summary>What a study's spans mark: the raters' highlights of the answers, or their passages of the cases' notes.</summary>
public enum SpanSource { Answers, Note }

/// <summary>A study's span label: its id in the bundle and its name as the study writes it.</summary>
public sealed record SpanLabelName(string Id, string Name);

/// <summary>One label's agreement beside what it rests on: the documents in which someone marked it, the raters who
/// marked it and its distinct spans.</summary>
public sealed record LabelAgreement(string Id, string Name, SpanFigures Figures, int Documents, int Raters, int Spans);

/// <summary>A rubric criterion and the span labels that name it (study.json's <c>criteria</c> on a label), in the labels' order.</summary>
public sealed record LinkedCriterion(string Id, string Name, IReadOnlyList<string> Labels)
{
    /// <summary>The criterion's label in other languages, for pages in the reader's.</summary>
    public Translations NameTranslations { get; init; } = Translations.None;
}

/// <summary>The agreement on the spans of the labels linked to one criterion, as if they were the study's only labels
/// (the overall figures of that run), beside the documents where one of them was marked, the raters who marked them and
/// their distinct spans.</summary>
public sealed record CriterionAgreement(string Id, string Name, SpanFigures Figures, int Documents, int Raters, int Spans)
{
    public Translations NameTranslations { get; init; } = Translations.None;
}

/// <summary>A study's agreement on its span labels (docs/spans.md, "Where GradeBench shows these figures"): one run of
/// <see cref="SpanAgreement"/> over the documents read by two or more raters, overall (<see cref="Report"/>, with its
/// documents, raters and spans) and per label in the study's order, a label nobody marked included. The one computation
/// behind the results page, <c>span-agreement.csv</c>, the report and the dashboard.</summary>
public sealed record StudySpanAgreement(SpanAgreementReport Report, IReadOnlyList<LabelAgreement> Labels)
{
    /// <summary>Per rubric criterion with linked labels, in the criteria's order; empty when no label names a criterion.</summary>
    public IReadOnlyList<CriterionAgreement> Criteria { get; init; } = [];

    /// <param name="labels">The study's labels, in its order; every span has one of them.</param>
    /// <param name="documents">The documents with their readers and spans; those read by fewer than two raters compare
    /// no one and are left out of every number.</param>
    /// <param name="criteria">The rubric's criteria with the labels linked to each, in the rubric's order; those with no
    /// label get no row.</param>
    public static StudySpanAgreement Compute(IReadOnlyList<SpanLabelName> labels, IReadOnlyList<SpanDocument> documents,
        int resamples = Bootstrap.DefaultResamples, int seed = Bootstrap.DefaultSeed, IReadOnlyList<LinkedCriterion>? criteria = null)
    {
        var paired = documents.Where(d => d.Readers.Count >= 2).ToList();
        var report = SpanAgreement.Run(paired, new SpanAgreementOptions { BootstrapResamples = resamples, Seed = seed, Labels = [.. labels.Select(l => l.Id)] });
        var spans = paired.SelectMany(d => d.Spans).Distinct().ToLookup(s => s.Label, StringComparer.Ordinal);
        return new StudySpanAgreement(report, [.. labels.Select((label, i) =>
        {
            var marked = spans[label.Id];
            return new LabelAgreement(label.Id, label.Name, report.Labels[i].Figures, marked.Select(s => s.Document).Distinct().Count(),
                marked.Select(s => s.Rater).Distinct().Count(), marked.Count());
        })])
        {
            Criteria = [.. (criteria ?? []).Where(c => c.Labels.Count > 0).Select(c => OfCriterion(c, paired, spans, resamples, seed))],
        };
    }

    // The same documents and readers (a reader who marked none of these labels still compares), the other labels' spans left out.
    static CriterionAgreement OfCriterion(LinkedCriterion criterion, List<SpanDocument> paired, ILookup<string, Span> spans, int resamples, int seed)
    {
        var kept = criterion.Labels.ToHashSet(StringComparer.Ordinal);
        var documents = paired.Select(d => d with { Spans = [.. d.Spans.Where(s => kept.Contains(s.Label))] }).ToList();
        var report = SpanAgreement.Run(documents, new SpanAgreementOptions { BootstrapResamples = resamples, Seed = seed, Labels = criterion.Labels });
        var marked = criterion.Labels.SelectMany(l => spans[l]).ToList();
        return new CriterionAgreement(criterion.Id, criterion.Name, report.Overall, marked.Select(s => s.Document).Distinct().Count(),
            marked.Select(s => s.Rater).Distinct().Count(), marked.Count) { NameTranslations = criterion.NameTranslations };
    }
}
