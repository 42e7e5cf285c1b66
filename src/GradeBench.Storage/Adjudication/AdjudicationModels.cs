using GradeBench.Core.Messages;
using GradeBench.Core.Pairwise;
using GradeBench.Core.Rubrics;

namespace GradeBench.Storage.Adjudication;

public enum AdjudicationOutcome { Done, NotFound, NotAllowed, StudyNotInAdjudication, Invalid, StillDisagrees }

/// <summary>One criterion's consensus value and reason, as the adjudicator saves it.</summary>
public sealed record ConsensusEntry(string CriterionId, string? Value, string? Reason);

/// <summary>An item the queue gained, with the raters of its response or pair (the audience of its live events);
/// <see cref="ResponseId"/> is 0 for a pair's item.</summary>
public sealed record QueuedItem(long ItemId, long ResponseId, string Status, IReadOnlyList<long> Participants);

/// <summary>One line of the queue. <see cref="ResponseLabel"/> is the response's bundle id, or "Response" and its handle
/// when the viewer may not see the model (the id names it); <see cref="Model"/> is null then. A side-by-side pair's item
/// has its <see cref="PairId"/> (and <see cref="ResponseId"/> 0): its label is its answers' bundle ids, A then B, as
/// "A / B", or "Pair" and its handle; its model the two models likewise.</summary>
public sealed record AdjudicationItemSummary
{
    public long ItemId { get; init; }
    public long ResponseId { get; init; }
    /// <summary>The pair of a side-by-side study's item; null for a response's.</summary>
    public long? PairId { get; init; }
    /// <summary>The response's (or pair's) handle: item pages are addressed by it (<see cref="Core.Studies.ResponseHandle"/>).</summary>
    public string Handle { get; init; } = "";
    public required string CaseTitle { get; init; }
    public required string ResponseLabel { get; init; }
    public string? Model { get; init; }
    public bool Disagreement { get; init; }
    public bool Safety { get; init; }
    /// <summary>Labels of the criteria whose ratings disagree, in rubric order (a pair's: the questions of its axes).</summary>
    public required IReadOnlyList<string> DisagreeingCriteria { get; init; }
    /// <summary>Ids of the same criteria (axes), for filtering the queue by criterion.</summary>
    public required IReadOnlyList<string> DisagreeingCriterionIds { get; init; }
    public required string Status { get; init; }
    public long Messages { get; init; }
    public long Decided { get; init; }
}

public sealed record RaterSpan
{
    public required string LabelSlug { get; init; }
    public required string Label { get; init; }
    public string? Color { get; init; }
    /// <summary>In code points of the response's Markdown source, end exclusive.</summary>
    public long StartCodePoint { get; init; }
    public long EndCodePoint { get; init; }
    public required string Quote { get; init; }
    public string? Note { get; init; }
    /// <summary>The passages of the case's clinical note the rater linked to this highlight as its evidence.</summary>
    public IReadOnlyList<NoteEvidence> Evidence { get; init; } = [];
}

/// <summary>A passage of a case's clinical note, with its note label (in the study's language), as evidence for a highlight.</summary>
public sealed record NoteEvidence(string Label, string Quote);

/// <summary>One rater's submitted rating of the response: values and comments by criterion id, and their highlights.</summary>
public sealed record RaterColumn(long RaterId, string Name, IReadOnlyDictionary<string, string> Values,
    IReadOnlyDictionary<string, string> Comments, IReadOnlyList<RaterSpan> Spans);

public sealed record AdjudicationMessage
{
    public long Id { get; init; }
    public long AuthorId { get; init; }
    public required string AuthorName { get; init; }
    public required string Body { get; init; }
    public DateTimeOffset At { get; init; }
}

public sealed record ConsensusValue
{
    public required string CriterionId { get; init; }
    public required string Value { get; init; }
    public required string Reason { get; init; }
    public required string DecidedByName { get; init; }
    public DateTimeOffset At { get; init; }
}

/// <summary>An item side by side: the case and response, every rater's rating, the discussion and the consensus so far.
/// <see cref="Model"/> is null unless the viewer coordinates the study or it is not blinded.</summary>
public sealed record AdjudicationItemView
{
    public long ItemId { get; init; }
    public long ResponseId { get; init; }
    public string Handle { get; init; } = "";
    public required string Status { get; init; }
    public bool Disagreement { get; init; }
    public bool Safety { get; init; }
    /// <summary>Ids of the criteria whose ratings disagree, in rubric order.</summary>
    public required IReadOnlyList<string> DisagreeingCriteria { get; init; }
    public required string CaseTitle { get; init; }
    public required string PresentationMd { get; init; }
    public required string QuestionMd { get; init; }
    public required string ContentMd { get; init; }
    public required string ResponseLabel { get; init; }
    public string? Model { get; init; }
    /// <summary>The viewer coordinates the study and it is in adjudication: they may record consensus and resolve.</summary>
    public bool CanDecide { get; init; }
    /// <summary>The study is in adjudication: the viewer (a coordinator or a rater of the response) may post.</summary>
    public bool CanPost { get; init; }
    public required IReadOnlyList<Criterion> Criteria { get; init; }
    public required IReadOnlyList<RaterColumn> Raters { get; init; }
    public required IReadOnlyList<AdjudicationMessage> Messages { get; init; }
    public required IReadOnlyList<ConsensusValue> Consensus { get; init; }
    public required IReadOnlyList<long> Participants { get; init; }
}

/// <summary>What posting did; <see cref="ResponseId"/> is 0 for a pair's item.</summary>
public sealed record MessagePosted(AdjudicationOutcome Outcome, AdjudicationMessage? Message, long ResponseId, IReadOnlyList<long> Participants, string? Problem = null);

/// <summary>What a consensus save or Mark resolved did. <see cref="CriterionProblems"/> says, by criterion id, why a save
/// was refused (nothing of it is written then); <see cref="StillDisagreeing"/> names, by label, the criteria whose
/// ratings differ and that have no consensus value, when Mark resolved was refused for them. For a pair's item the
/// criteria are its axes (by id, and by question) and <see cref="ResponseId"/> is 0.</summary>
public sealed record ItemChanged(AdjudicationOutcome Outcome, long ResponseId, string Status, IReadOnlyList<long> Participants, string? Problem = null)
{
    public IReadOnlyDictionary<string, Message> CriterionProblems { get; init; } = new Dictionary<string, Message>();
    public IReadOnlyList<string> StillDisagreeing { get; init; } = [];
    /// <summary>How many consensus values the save wrote (new or changed).</summary>
    public int Saved { get; init; }
}

/// <summary>One answer of a pair under adjudication: answer A or B (A's model comes first by name), its response handle
/// and text; its bundle id and model only for a viewer who may see models.</summary>
public sealed record PairAnswerView(string Handle, string ContentMd, string? Slug, string? Model);

/// <summary>One rater's submitted judgement of the pair: the vote on each axis <b>by model</b> (A, B, tie, both
/// unacceptable; never the side the rater saw, which differs between raters), the reason ids ticked in the study's
/// order, and the comment.</summary>
public sealed record PairRaterColumn(long RaterId, string Name, IReadOnlyDictionary<string, PairChoice> Votes, IReadOnlyList<string> Reasons,
    string? Comment);

/// <summary>The latest consensus vote recorded on one axis of a pair's item.</summary>
public sealed record PairConsensusVote
{
    public required string AxisId { get; init; }
    public PairChoice Choice { get; init; }
    public required string Reason { get; init; }
    public required string DecidedByName { get; init; }
    public DateTimeOffset At { get; init; }
}

/// <summary>A side-by-side pair under adjudication: the case, answers <see cref="A"/> and <see cref="B"/> in that fixed
/// order, every rater's votes by model with their reasons and comments, the discussion and the consensus votes so far.
/// Models (and bundle ids) only for a viewer who may see them.</summary>
public sealed record PairAdjudicationView
{
    public long ItemId { get; init; }
    public long PairId { get; init; }
    public string Handle { get; init; } = "";
    public required string Status { get; init; }
    /// <summary>Ids of the axes whose votes disagreed when the item was queued, in axis order: each takes a consensus vote.</summary>
    public required IReadOnlyList<string> DisagreeingAxes { get; init; }
    public required string CaseTitle { get; init; }
    public required string PresentationMd { get; init; }
    public required string QuestionMd { get; init; }
    public required PairAnswerView A { get; init; }
    public required PairAnswerView B { get; init; }
    /// <summary>The study's axes in display order.</summary>
    public required IReadOnlyList<PairwiseAxis> Axes { get; init; }
    /// <summary>The study's reason tags, in its order.</summary>
    public required IReadOnlyList<PairwiseReasonTag> Reasons { get; init; }
    /// <summary>The viewer coordinates the study and it is in adjudication: they may record consensus and resolve.</summary>
    public bool CanDecide { get; init; }
    /// <summary>The study is in adjudication: the viewer (a coordinator or a rater of the pair) may post.</summary>
    public bool CanPost { get; init; }
    public required IReadOnlyList<PairRaterColumn> Raters { get; init; }
    public required IReadOnlyList<AdjudicationMessage> Messages { get; init; }
    public required IReadOnlyList<PairConsensusVote> Consensus { get; init; }
    public required IReadOnlyList<long> Participants { get; init; }
}
