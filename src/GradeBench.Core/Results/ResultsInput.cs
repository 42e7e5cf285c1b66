using GradeBench.Core.Rubrics;

namespace GradeBench.Core.Results;

/// <summary>A response of the study: the case it answers and the model that wrote it.</summary>
public sealed record ResultResponse(long Id, string CaseId, string Model);

public sealed record ResultRater(long Id, string Name);

public sealed record ResultCriterion(long Id, Criterion Criterion);

/// <summary>One submitted rating (independent: adjudication never changes it).</summary>
public readonly record struct ResultRating(long CriterionId, long ResponseId, long RaterId, string Value);

/// <summary>When a rater first saved a value of a response in the browser, and when they submitted it.</summary>
public readonly record struct ItemTiming(long RaterId, long ResponseId, DateTimeOffset FirstSaved, DateTimeOffset Submitted);

/// <summary>One highlighted passage of a response, by its label's id.</summary>
public readonly record struct SpanMark(long ResponseId, string Label);

/// <summary>The adjudicated value of one response × criterion.</summary>
public readonly record struct ConsensusValue(long ResponseId, long CriterionId, string Value);

/// <summary>Everything the results of a study are computed from, as stored. <see cref="SpanLabelNames"/>: the label
/// people read for each span label id (an id without one reads as itself).</summary>
public sealed record ResultsInput(
    IReadOnlyList<ResultCriterion> Criteria,
    IReadOnlyList<ResultResponse> Responses,
    IReadOnlyList<ResultRater> Raters,
    IReadOnlyList<ResultRating> Ratings,
    IReadOnlyList<ItemTiming> Timings,
    IReadOnlyList<string> SpanLabels,
    IReadOnlyList<SpanMark> Spans,
    IReadOnlyList<ConsensusValue> Consensus,
    IReadOnlyDictionary<string, string>? SpanLabelNames = null)
{
    /// <summary>Each response's number in the agreement bootstraps, by its database id: its place in ratings.csv's order
    /// (by bundle id), so that the same bundle gives the same intervals in any database (docs/agreement.md). Null: id order.</summary>
    public IReadOnlyDictionary<long, int>? UnitOrder { get; init; }
}
