using GradeBench.Core.Messages;
using GradeBench.Core.Rubrics;

namespace GradeBench.Storage.Adjudication;

public enum AdjudicationOutcome { Done, NotFound, NotAllowed, StudyNotInAdjudication, Invalid, StillDisagrees }

/// <summary>One criterion's consensus value and reason, as the adjudicator saves it.</summary>
public sealed record ConsensusEntry(string CriterionId, string? Value, string? Reason);

/// <summary>An item the queue gained, with the raters of its response (the audience of its live events).</summary>
public sealed record QueuedItem(long ItemId, long ResponseId, string Status, IReadOnlyList<long> Participants);

/// <summary>One line of the queue. <see cref="ResponseLabel"/> is the response's bundle id, or "Response" and its handle
/// when the viewer may not see the model (the id names it); <see cref="Model"/> is null then.</summary>
public sealed record AdjudicationItemSummary
{
    public long ItemId { get; init; }
    public long ResponseId { get; init; }
    /// <summary>The response's handle: item pages are addressed by it (<see cref="Core.Studies.ResponseHandle"/>).</summary>
    public string Handle { get; init; } = "";
    public required string CaseTitle { get; init; }
    public required string ResponseLabel { get; init; }
    public string? Model { get; init; }
    public bool Disagreement { get; init; }
    public bool Safety { get; init; }
    /// <summary>Labels of the criteria whose ratings disagree, in rubric order.</summary>
    public required IReadOnlyList<string> DisagreeingCriteria { get; init; }
    /// <summary>Ids of the same criteria, for filtering the queue by criterion.</summary>
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
    public long StartOffset { get; init; }
    public long EndOffset { get; init; }
    public required string Quote { get; init; }
    public string? Note { get; init; }
}

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

public sealed record MessagePosted(AdjudicationOutcome Outcome, AdjudicationMessage? Message, long ResponseId, IReadOnlyList<long> Participants, string? Problem = null);

/// <summary>What a consensus save or Mark resolved did. <see cref="CriterionProblems"/> says, by criterion id, why a save
/// was refused (nothing of it is written then); <see cref="StillDisagreeing"/> names, by label, the criteria whose
/// ratings differ and that have no consensus value, when Mark resolved was refused for them.</summary>
public sealed record ItemChanged(AdjudicationOutcome Outcome, long ResponseId, string Status, IReadOnlyList<long> Participants, string? Problem = null)
{
    public IReadOnlyDictionary<string, Message> CriterionProblems { get; init; } = new Dictionary<string, Message>();
    public IReadOnlyList<string> StillDisagreeing { get; init; } = [];
    /// <summary>How many consensus values the save wrote (new or changed).</summary>
    public int Saved { get; init; }
}
