using System.Globalization;
using GradeBench.Core.Reports;
using GradeBench.Core.Results;
using GradeBench.Core.Spans;
using GradeBench.Storage.Judges;
using GradeBench.Storage.Pairwise;
using GradeBench.Storage.Results;
using GradeBench.Storage.Rubrics;

namespace GradeBench.Storage.Export;

/// <summary><c>report.md</c> and <c>report.html</c>: loads a study's facts (<see cref="ReportQuery"/>), results, judges
/// (<see cref="JudgeResultsQuery"/>, the numbers of the results page and <c>judges.csv</c>) and checklist scores
/// (<see cref="ChecklistMarksQuery"/>) and span agreement (<see cref="SpanAgreementQuery"/>), and streams the report <see cref="StudyReport"/> builds from them (for a
/// side-by-side study, <see cref="PairwiseStudyReport"/> from <see cref="PairwiseResultsQuery"/>), in the study's language (English or Simplified Chinese,
/// <see cref="ReportText.LanguageOf"/>). See docs/exports.md.</summary>
public sealed class ReportExport(Database database)
{
    /// <summary>Writes report.md; returns the number of table rows.</summary>
    public async Task<long> WriteMarkdownAsync(long studyId, TextWriter output, CancellationToken ct = default) =>
        await MarkdownReport.WriteAsync((await BuildAsync(studyId, ct)).Blocks, output, ct);

    /// <summary>Writes report.html; returns the number of table rows.</summary>
    public async Task<long> WriteHtmlAsync(long studyId, TextWriter output, CancellationToken ct = default)
    {
        var (blocks, language) = await BuildAsync(studyId, ct);
        return await HtmlReport.WriteAsync(blocks, output, language, ct);
    }

    async Task<(IReadOnlyList<ReportBlock> Blocks, CultureInfo Language)> BuildAsync(long studyId, CancellationToken ct)
    {
        var facts = await new ReportQuery(database).LoadAsync(studyId, ct) ?? throw new InvalidOperationException($"There is no study {studyId}.");
        var language = ReportText.LanguageOf(facts.Language);
        var spans = await new SpanAgreementQuery(database).ComputeAsync(studyId, ct);
        var notes = await new SpanAgreementQuery(database).ComputeAsync(studyId, SpanSource.Note, ct);
        if (await new PairwiseResultsQuery(database).ComputeAsync(studyId, ct) is { } pairwise)
            // The dates of a side-by-side study's work are its votes'.
            return (PairwiseStudyReport.Build(facts with { FirstSubmitted = pairwise.FirstVote, LastSubmitted = pairwise.LastVote },
                pairwise.Design, pairwise.Axes, pairwise.ReasonCounts, language, spans, notes), language);
        var input = await new ResultsQuery(database, new RubricQuery(database)).LoadAsync(studyId, ct);
        // CPU-bound (the bootstraps), as on the results page: off the caller's thread.
        var report = await Task.Run(() => StudyResults.Compute(input), ct);
        var judges = await new JudgeResultsQuery(database).LoadAsync(studyId, ct);
        var checklists = await new ChecklistMarksQuery(database).ComputeAsync(studyId, ct);
        return (StudyReport.Build(facts, input, report, language, judges, checklists, spans, notes), language);
    }
}
