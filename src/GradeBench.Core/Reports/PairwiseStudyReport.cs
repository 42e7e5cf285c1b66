using System.Globalization;
using GradeBench.Core.Pairwise;
using GradeBench.Core.Rubrics;
using GradeBench.Core.Spans;
using static GradeBench.Core.Reports.ReportNumbers;

namespace GradeBench.Core.Reports;

/// <summary><c>report.md</c> and <c>report.html</c> of a side-by-side (pairwise) study as blocks, rendered as the single
/// answers' report is (<see cref="MarkdownReport"/>, <see cref="HtmlReport"/>): the methods (design, axes, the
/// statistics with their references), then per axis the models' Bradley–Terry ratings on the Arena scale with their
/// intervals, Arena ranks and votes (and a chart in the HTML), the votes per pair of models, position bias and the
/// raters' agreement, then the reason tags ticked and, with span labels, the raters' agreement on their highlights. The numbers are <see cref="PairwiseAnalysis.Run(IReadOnlyList{PairwiseVote}, PairwiseOptions?)"/>'s,
/// one report per axis, only rounded here; a number that does not exist is never printed, its reason is. The words are
/// in the language given (<see cref="ReportText"/>); axis questions and reason labels in the report's
/// language where the study translates them, else the study's. See docs/exports.md.</summary>
public static class PairwiseStudyReport
{
    /// <summary>The report of a side-by-side study in <paramref name="language"/> (English when null; pure: the same input
    /// gives the same text).</summary>
    /// <param name="facts">Of the facts, the report uses the title, id, state and language, blinding
    /// (<see cref="StudyFacts.HideModel"/>), the cases and their languages, and <see cref="StudyFacts.FirstSubmitted"/>
    /// and <see cref="StudyFacts.LastSubmitted"/> as the first and last vote's submission (no sentence when null).</param>
    /// <param name="axes">The design's axes in display order, each with the statistics of its votes.</param>
    /// <param name="reasonCounts">How many times each reason tag of the design (by id) was ticked, one tick per rater's
    /// judgement of a pair; null: no reasons section.</param>
    /// <param name="spans">The raters' agreement on their highlights of the answers; null for a study without span labels.</param>
    /// <param name="notes">The raters' agreement on their passages of the cases' notes; null for a study without note labels.</param>
    public static IReadOnlyList<ReportBlock> Build(StudyFacts facts, PairwiseDesign design, IReadOnlyList<(PairwiseAxis Axis, PairwiseReport Report)> axes,
        IReadOnlyDictionary<string, int>? reasonCounts = null, CultureInfo? language = null, StudySpanAgreement? spans = null,
        StudySpanAgreement? notes = null)
    {
        var t = new ReportText(language ?? ReportText.English);
        var shown = new TextLanguages(t.Tag, facts.Language);
        var blocks = new List<ReportBlock>
        {
            new ReportHeading(1, facts.Title),
            new ReportParagraph(t["PairwiseIntro", facts.Slug, t.State(facts.State)]),
            new ReportHeading(2, t["HeadingMethods"]),
        };
        blocks.AddRange(PairwiseMethods.Paragraphs(t, facts, design, axes).Select(p => new ReportParagraph(p.TrimEnd())));
        blocks.Add(new ReportTable(t["PairwiseAxesCaption"], [t["ColAxis"], t["ColQuestion"], t["ColBothUnacceptable"]],
            design.Axes.Select(a => (IReadOnlyList<string>)[a.Id, a.QuestionIn(shown).Text, t[a.BothUnacceptable ? "Yes" : "No"]]).ToList()));

        blocks.Add(new ReportHeading(2, t["HeadingPairwiseResults"]));
        foreach (var (axis, report) in axes) blocks.AddRange(Axis(t, axis, axis.QuestionIn(shown).Text, report));

        if (reasonCounts is not null && design.Reasons.Count > 0)
        {
            blocks.Add(new ReportHeading(2, t["HeadingPairwiseReasons"]));
            blocks.Add(new ReportParagraph(t["PairwiseReasonsIntro"]));
            blocks.Add(new ReportTable(t["PairwiseReasonsCaption"], [t["ColReason"], t["ColId"], t["ColTicked"]],
                design.Reasons.Select(r => (IReadOnlyList<string>)[r.LabelIn(shown).Text, r.Id, Count(reasonCounts.GetValueOrDefault(r.Id))]).ToList()));
        }

        if (spans is not null) blocks.AddRange(ReportSpans.Section(t, spans, headingLevel: 2, facts.Language));
        if (notes is not null) blocks.AddRange(ReportSpans.Section(t, notes, headingLevel: 2, facts.Language, SpanSource.Note));

        // References keep their published (English) form, as Chinese journals print them.
        blocks.Add(new ReportHeading(2, t["HeadingReferences"]));
        blocks.Add(new ReportList(spans is null && notes is null ? References : [.. References, .. ReportSpans.Citations]));
        return blocks;
    }

    static readonly string[] References =
    [
        "Bradley RA, Terry ME. Rank analysis of incomplete block designs: I. The method of paired comparisons. Biometrika 1952;39:324–345.",
        "Zermelo E. Die Berechnung der Turnier-Ergebnisse als ein Maximumproblem der Wahrscheinlichkeitsrechnung. Mathematische Zeitschrift 1929;29:436–460.",
        "Chiang W-L, Zheng L, Sheng Y, et al. Chatbot Arena: An open platform for evaluating LLMs by human preference. Proceedings of the 41st International Conference on Machine Learning, PMLR 2024;235:8359–8388.",
        "Singhal K, Tu T, Gottweis J, et al. Toward expert-level medical question answering with large language models. Nature Medicine 2025;31:943–950.",
        "Krippendorff K. Computing Krippendorff's Alpha-Reliability. Annenberg School for Communication, University of Pennsylvania; 2011.",
        "Efron B, Tibshirani RJ. An Introduction to the Bootstrap. Chapman & Hall; 1993.",
    ];

    static IEnumerable<ReportBlock> Axis(ReportText t, PairwiseAxis axis, string question, PairwiseReport report)
    {
        var l = t.Language;
        yield return new ReportHeading(3, question);
        if (report.Comparisons == 0)
        {
            yield return new ReportParagraph(t["PairwiseAxisNoVotes", axis.Id]);
            yield break;
        }
        yield return new ReportParagraph(t["PairwiseAxisVotes", axis.Id, t.Counted("Votes", report.Comparisons), t.Counted("Cases", report.Cases),
            t.Counted("Raters", report.Raters)]);

        // The fit is one whole: without an estimate no model has a rating, and all say the same reason.
        if (report.Models.FirstOrDefault(m => m.Rating.Value is null)?.Rating.Reason is { } reason)
            yield return new ReportParagraph(Sentence(t, t["PairwiseNoRatings", reason.ToString(l)]));
        yield return new ReportTable(t["PairwiseRatingsCaption", question],
            [t["ColModel"], t["ColRating"], t["ColInterval"], t["ColArenaRank"], t["ColWins"], t["ColLosses"], t["ColTies"]],
            report.Models.Select(m => (IReadOnlyList<string>)
            [
                m.Model, m.Rating.Value is { } r ? Rating(r) : None, m.Rating.Ci95 is { } ci ? RatingInterval(ci, l) : None,
                m.Rank is { } rank ? Count(rank) : None, Count(m.Wins), Count(m.Losses), Count(m.Ties),
            ]).ToList());
        if (Chart(t, question, report) is { } chart) yield return chart;
        if (report.UndefinedResamples is > 0 and var undefined)
        {
            var noIntervals = report.Models.All(m => m.Rating.Ci95 is null);
            yield return new ReportParagraph(t[noIntervals ? "PairwiseTooManyUndefined" : "PairwiseUndefinedResamples",
                Count(undefined), Count(report.BootstrapResamples)]);
        }

        yield return new ReportTable(t["PairwisePairsCaption", question],
            [t["ColPair"], t["ColAWins"], t["ColBWins"], t["ColPairTies"], t["ColBothBad"]],
            report.Pairs.Select(p => (IReadOnlyList<string>)
            [
                $"{p.ModelA} – {p.ModelB}", Count(p.AWins), Count(p.BWins), Count(p.Ties),
                // Not offered on this axis: no count, not a count of 0.
                axis.BothUnacceptable ? Count(p.BothBad) : None,
            ]).ToList());

        var position = report.Position;
        yield return new ReportParagraph(position.LeftWinShare.Value is { } share
            ? t["PairwisePosition", Percent(share), Count(position.LeftWins), Count(position.Decisive)] +
              (position.LeftWinShare.Ci95 is { } pci ? t["IntervalInProse", Percent(pci.Lower), Percent(pci.Upper)] : "") +
              t["PairwisePositionEnd"]
            : Sentence(t, t["PairwisePositionNone", position.LeftWinShare.Reason?.ToString(l)]));

        var alpha = report.Agreement.Alpha;
        yield return new ReportParagraph(Sentence(t, t["PairwiseAgreement", Count(report.Agreement.Units), Count(report.Agreement.UnitsLeftOut)] +
            (alpha.Value is { } a
                ? Coefficient(a) + (alpha.Ci95 is { } aci ? t["IntervalInProse", Coefficient(aci.Lower), Coefficient(aci.Upper)] : "")
                : t["NoValueBecause", alpha.Reason?.ToString(l)])));
    }

    /// <summary><paramref name="text"/> ended by a full stop, unless the reason it ends with has one.</summary>
    static string Sentence(ReportText t, string text) => text.EndsWith('.') || text.EndsWith('。') ? text : text + t["FullStop"];

    /// <summary>The ratings as bars with their intervals, from a round hundred at least 50 points below the lowest end
    /// (a rating's size carries no meaning, only differences do) to at least 50 above the highest, the four ticks'
    /// steps a multiple of 50; none without ratings.</summary>
    static ReportChart? Chart(ReportText t, string question, PairwiseReport report)
    {
        var rated = report.Models.Where(m => m.Rating.Value is not null).ToList();
        if (rated.Count == 0) return null;
        var lowest = rated.Min(m => m.Rating.Ci95?.Lower ?? m.Rating.Value!.Value);
        var highest = rated.Max(m => m.Rating.Ci95?.Upper ?? m.Rating.Value!.Value);
        var min = Math.Floor((lowest - 50) / 100) * 100;
        var max = min + 4 * Math.Ceiling((highest + 50 - min) / 4 / 50) * 50;
        return new ReportChart(t["PairwiseChartTitle", question], t["PairwiseChartCaption", Fixed(min, 0)], min, max,
            rated.Select(m => new ReportBar(m.Model, m.Rating.Value!.Value, m.Rating.Ci95?.Lower, m.Rating.Ci95?.Upper)).ToList(),
            Decimals: RatingDecimals);
    }
}
