using GradeBench.Core.Calibration;
using GradeBench.Core.Messages;
using GradeBench.Storage.Studies;

namespace GradeBench.Storage.Calibration;

/// <summary>Setup: items are being chosen, no round has run. Rating: a round is open on the current item.
/// Revealed: the current item's spread is shown and discussed. Ended: nothing changes any more.</summary>
public static class CalibrationPhase
{
    public const string Setup = "setup";
    public const string Rating = "rating";
    public const string Revealed = "revealed";
    public const string Ended = "ended";
}

public enum CalibrationOutcome { Done, NotCoordinator, NotRater, NotDraft, NoSession, NotFound, WrongPhase, NoRaters, Invalid }

/// <summary>Where a session stands: its phase, the item of the current round and how many of the raters it waits
/// for have submitted. Counts only, so it is safe for every member to see.</summary>
public sealed record CalibrationStatus
{
    public long SessionId { get; init; }
    public string Phase { get; init; } = "";
    public long? ItemId { get; init; }
    public long Submitted { get; init; }
    public long Expected { get; init; }
}

/// <summary>The answer to a calibration write: <see cref="Status"/> after it when it was done, else why not
/// (<see cref="Problems"/> keyed by criterion id for invalid values).</summary>
public sealed record CalibrationChange(CalibrationOutcome Outcome, string? Message, CalibrationStatus? Status, IReadOnlyDictionary<string, Message> Problems)
{
    static readonly IReadOnlyDictionary<string, Message> NoProblems = new Dictionary<string, Message>();

    public bool Succeeded => Outcome == CalibrationOutcome.Done;

    public static CalibrationChange Done(CalibrationStatus status) => new(CalibrationOutcome.Done, null, status, NoProblems);

    public static CalibrationChange Refused(CalibrationOutcome outcome, string message) => new(outcome, message, null, NoProblems);

    public static CalibrationChange Invalid(IReadOnlyDictionary<string, Message> problems) =>
        new(CalibrationOutcome.Invalid, "Some values are missing or invalid.", null, problems);
}

/// <summary>An item of the session as its coordinator manages it (the response slug may name the model).</summary>
public sealed record CalibrationItem(long Id, long ResponseId, string ResponseSlug, string CaseTitle, long Position, bool Started, bool Revealed,
    IReadOnlyDictionary<string, string> Gold);

/// <summary>The study's current calibration session (or its last, ended one). <see cref="Items"/> is empty for raters.</summary>
public sealed record CalibrationSession(long Id, string Phase, long? CurrentItemId, int ItemCount, IReadOnlyList<CalibrationItem> Items);

/// <summary>How many raters chose each value of one criterion, in scale order.</summary>
public sealed record CriterionSpread(string Criterion, string Label, int Raters, IReadOnlyList<ValueCount> Counts);

public sealed record ValueCount(string Value, string Label, int Count);

public sealed record RaterGoldDistances(long RaterId, string RaterName, IReadOnlyList<GoldDistance> Distances);

/// <summary>The current round as one user may see it. Before the reveal a rater gets the counts and their own values
/// only, and nobody gets others' values, the spread or distances; <see cref="SubmittedBy"/> (names, never values) is
/// for coordinators. After the reveal everyone gets the spread; raters their own distance from the reference,
/// coordinators everyone's. <see cref="Gold"/> reaches raters only after the reveal. <see cref="Model"/> is null when
/// the study hides models.</summary>
public sealed record CalibrationRound(
    long ItemId,
    long Position,
    int ItemCount,
    bool Revealed,
    string CaseTitle,
    string PresentationMd,
    string QuestionMd,
    string ContentMd,
    string? Model,
    int Submitted,
    int Expected,
    bool SubmittedByMe,
    IReadOnlyDictionary<string, string> MyValues,
    IReadOnlyList<string> SubmittedBy,
    IReadOnlyList<CriterionSpread> Spread,
    IReadOnlyDictionary<string, string> Gold,
    IReadOnlyList<RaterGoldDistances> Distances);

/// <summary>What the calibration page shows a member of the study.</summary>
public sealed record CalibrationView(StudyAccess Access, CalibrationSession? Session, CalibrationRound? Round);

public sealed record CalibrationResponse(long Id, string Slug, string CaseTitle);
