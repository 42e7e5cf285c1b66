using System.Text.Json.Serialization;
using GradeBench.Core.Messages;

namespace GradeBench.Web.Features.Live;

/// <summary>Who may receive an event. Coordinators receive every event of their study, except a rater's private ones
/// (<see cref="OnlyRater"/>); raters only those meant for everyone or naming them. An event's payload must hold nothing
/// its audience may not see: events for raters never carry others' scores or, in a blinded study, model names, and name
/// a response only by its handle (<c>Response</c>): database ids (response, item) are <see cref="JsonIgnoreAttribute"/>,
/// kept for routing inside the server.</summary>
public sealed record EventAudience(bool AllRaters, IReadOnlyCollection<long> Raters, bool Coordinators = true)
{
    public static readonly EventAudience CoordinatorsOnly = new(false, []);
    public static readonly EventAudience Everyone = new(true, []);
    public static EventAudience CoordinatorsAnd(IReadOnlyCollection<long> raters) => new(false, raters);

    /// <summary>The rater's own pages and no one else: draft activity is nobody else's business.</summary>
    public static EventAudience OnlyRater(long raterId) => new(false, [raterId], Coordinators: false);

    public bool Includes(long userId, bool isCoordinator) => isCoordinator ? Coordinators : AllRaters || Raters.Contains(userId);
}

public abstract record StudyEvent(long StudyId)
{
    /// <summary>A method, not a property, so that it is never serialized into a message.</summary>
    public abstract EventAudience Audience();
}

/// <summary>A rater submitted (or changed a submitted) rating. Names who and which response, never the values.</summary>
public sealed record RatingSubmitted(long StudyId, long RaterId, string RaterName, long ResponseId, string ResponseSlug, DateTimeOffset At)
    : StudyEvent(StudyId)
{
    public override EventAudience Audience() => EventAudience.CoordinatorsOnly;
}

/// <summary>A rater's rating of one response changed (a draft value or a submission), from a grading page or the API.
/// It tells the rater's other open tabs to show the newer version; <see cref="Origin"/> is the page that wrote it, which
/// ignores its own write. No values: the tabs read them from the database. Never leaves the server (see <see cref="HubRelay"/>).</summary>
public sealed record RatingChanged(long StudyId, long RaterId, long ResponseId, string? Origin) : StudyEvent(StudyId)
{
    public override EventAudience Audience() => EventAudience.OnlyRater(RaterId);
}

/// <summary>A rater submitted (or changed a submitted) judgement of a side-by-side pair. Names who and which pair (by its
/// handle), never the votes or the models.</summary>
public sealed record PairSubmitted(long StudyId, long RaterId, string RaterName, [property: JsonIgnore] long PairId, string Pair, DateTimeOffset At)
    : StudyEvent(StudyId)
{
    public override EventAudience Audience() => EventAudience.CoordinatorsOnly;
}

/// <summary>A rater's judgement of one pair changed (a draft vote, reasons, comment or a submission): the rater's other
/// open tabs show the newer version; <see cref="Origin"/> is the page that wrote it. Never leaves the server.</summary>
public sealed record PairChanged(long StudyId, long RaterId, long PairId, string? Origin) : StudyEvent(StudyId)
{
    public override EventAudience Audience() => EventAudience.OnlyRater(RaterId);
}

/// <summary>A rater added, relabelled, moved or removed a highlight of an answer or a passage of a case's note
/// (<see cref="Source"/>), before or after submitting: the span agreement is due again and the rater was active. No
/// spans. Never leaves the server (see <see cref="HubRelay"/>).</summary>
public sealed record SpansChanged(long StudyId, long RaterId, GradeBench.Core.Spans.SpanSource Source, DateTimeOffset At) : StudyEvent(StudyId)
{
    public override EventAudience Audience() => EventAudience.CoordinatorsOnly;
}

/// <summary>An LLM judge rated more responses in one batch (<see cref="Batch"/>: a burst of API submissions, one line of the
/// activity feed however many it holds); <see cref="Responses"/> is the batch's count so far. Never its values.</summary>
public sealed record JudgeRated(long StudyId, long Batch, string JudgeName, long Responses, DateTimeOffset At) : StudyEvent(StudyId)
{
    public override EventAudience Audience() => EventAudience.CoordinatorsOnly;
}

/// <summary>The rater's completed and assigned items. Study totals are the sum over raters: counting them here would
/// scan the study's assignments on every submit.</summary>
public sealed record ProgressChanged(long StudyId, long RaterId, long RaterDone, long RaterAssigned)
    : StudyEvent(StudyId)
{
    public override EventAudience Audience() => EventAudience.CoordinatorsOnly;
}

/// <summary>Who is connected to the study now and which response each rater has open (never what they scored).</summary>
public sealed record PresenceChanged(long StudyId, IReadOnlyList<PresenceEntry> Online) : StudyEvent(StudyId)
{
    public override EventAudience Audience() => EventAudience.CoordinatorsOnly;
}

public sealed record PresenceEntry(long UserId, string Name, string Role, long? ResponseId, DateTimeOffset Since, bool Connected);

/// <summary>Krippendorff's alpha per criterion at the criterion's level, with its bootstrap interval, over the ratings
/// submitted by <see cref="AsOf"/> (when they were read): every submit answered before then is included.
/// <see cref="DataVersion"/>: the study's <c>StudyDataVersion</c> it was computed from, for the other nodes' monitors; never sent to clients.</summary>
public sealed record AgreementUpdated(long StudyId, IReadOnlyList<CriterionAlpha> Criteria, DateTimeOffset AsOf,
    [property: JsonIgnore] long DataVersion = 0) : StudyEvent(StudyId)
{
    public override EventAudience Audience() => EventAudience.CoordinatorsOnly;
}

/// <summary><see cref="Reason"/>: why there is no alpha or interval, said by each page in its reader's language; the hub's
/// clients (programs) get it in English as <c>reason</c>.</summary>
public sealed record CriterionAlpha(string Criterion, string Label, string Level, double? Alpha, double? Lower, double? Upper, int Units, int Raters,
    [property: JsonIgnore] Message? Reason)
{
    [JsonPropertyName("reason")]
    public string? ReasonInEnglish => Reason?.ToString();
}

/// <summary>The raters' agreement on their highlights (or, <see cref="Source"/> note, their passages of the notes), all
/// labels together (docs/spans.md): pairwise F1 with overlap
/// matching and Krippendorff's α_u, each with its bootstrap interval, over the <see cref="Responses"/> that two or more
/// raters had submitted when it was read (<see cref="AsOf"/>), with the <see cref="Raters"/> who submitted them and their
/// <see cref="Highlights"/>. Only for a study with span labels. <see cref="DataVersion"/> as <see cref="AgreementUpdated"/>'s.</summary>
public sealed record SpanAgreementUpdated(long StudyId, LiveEstimate F1Overlap, LiveEstimate AlphaU, int Responses, int Raters, int Highlights,
    DateTimeOffset AsOf, [property: JsonIgnore] GradeBench.Core.Spans.SpanSource Source = GradeBench.Core.Spans.SpanSource.Answers,
    [property: JsonIgnore] long DataVersion = 0) : StudyEvent(StudyId)
{
    /// <summary><c>answers</c> (highlights of the answers; <see cref="Responses"/> are answers) or <c>note</c> (passages of
    /// the cases' notes; <see cref="Responses"/> are cases, <see cref="Highlights"/> passages).</summary>
    [JsonPropertyName("source")]
    public string SourceName => Source == GradeBench.Core.Spans.SpanSource.Note ? "note" : "answers";

    public override EventAudience Audience() => EventAudience.CoordinatorsOnly;
}

/// <summary>A figure with its 95% interval, or <see cref="Reason"/> why it has none, said by each page in its reader's
/// language; the hub's clients get it in English as <c>reason</c>.</summary>
public sealed record LiveEstimate(double? Value, double? Lower, double? Upper, [property: JsonIgnore] Message? Reason)
{
    [JsonPropertyName("reason")]
    public string? ReasonInEnglish => Reason?.ToString();
}

/// <summary>The study moved between draft, open, adjudication and closed, or was paused or resumed.</summary>
public sealed record StudyStateChanged(long StudyId, string State, bool Paused, DateTimeOffset At) : StudyEvent(StudyId)
{
    public override EventAudience Audience() => EventAudience.Everyone;
}

/// <summary>A message in the discussion of one response (or side-by-side pair: <c>Response</c> is then the pair's handle and
/// <c>ResponseId</c> 0) under adjudication, for its raters and the coordinators.</summary>
public sealed record AdjudicationMessagePosted(long StudyId, [property: JsonIgnore] long ItemId, [property: JsonIgnore] long ResponseId, string Response,
    long AuthorId, string AuthorName, string Body, DateTimeOffset At, [property: JsonIgnore] IReadOnlyCollection<long> Participants) : StudyEvent(StudyId)
{
    public override EventAudience Audience() => EventAudience.CoordinatorsAnd(Participants);
}

/// <summary>Something changed in an adjudication item (a consensus value recorded, the item resolved or added); a pair's
/// item is named by the pair's handle, with <c>ResponseId</c> 0.</summary>
public sealed record AdjudicationChanged(long StudyId, [property: JsonIgnore] long ItemId, [property: JsonIgnore] long ResponseId, string Response,
    string Status, [property: JsonIgnore] IReadOnlyCollection<long> Participants) : StudyEvent(StudyId)
{
    public override EventAudience Audience() => EventAudience.CoordinatorsAnd(Participants);
}

/// <summary>A rating reported the most severe possible harm; the response goes to adjudication whatever the agreement.</summary>
public sealed record SafetyAlertRaised(long StudyId, long AlertId, long ResponseId, string ResponseSlug, long RaterId, string RaterName,
    string Trigger, DateTimeOffset At) : StudyEvent(StudyId)
{
    public override EventAudience Audience() => EventAudience.CoordinatorsOnly;
}

/// <summary>A rater flagged a response (<see cref="Change"/> "raised"), or a coordinator replied to or resolved the flag
/// ("replied", "resolved"). For the coordinators and the rater who sent it; no text: pages re-read it through the store.</summary>
public sealed record FlagChanged(long StudyId, long FlagId, [property: JsonIgnore] long ResponseId, string Response, long RaterId, string Change,
    DateTimeOffset At) : StudyEvent(StudyId)
{
    public override EventAudience Audience() => EventAudience.CoordinatorsAnd([RaterId]);
}

/// <summary>A coordinator removed someone from the study; their submitted ratings stay in its data.</summary>
public sealed record MemberRemoved(long StudyId, long UserId, string Name, DateTimeOffset At) : StudyEvent(StudyId)
{
    public override EventAudience Audience() => EventAudience.CoordinatorsOnly;
}

/// <summary>A calibration round moved on. Before the reveal it says only how many raters have submitted, never
/// what; after it everyone present sees the same spread.</summary>
public sealed record CalibrationChanged(long StudyId, long SessionId, string Phase, long? ItemId, int Submitted, int Expected)
    : StudyEvent(StudyId)
{
    public override EventAudience Audience() => EventAudience.Everyone;
}

/// <summary>The gold set of a study's notes changed: a coordinator accepted, edited or rejected a group of passages or
/// undid a decision of case <see cref="Case"/> (its bundle id; <see cref="Change"/> "decided" or "undone"), or imported a
/// gold-spans.csv, which replaces the whole study's (<see cref="Case"/> null, "imported"). No passages: the gold pages
/// re-read them through the store.</summary>
public sealed record GoldSpansChanged(long StudyId, string? Case, string Change, long ByUserId, DateTimeOffset At) : StudyEvent(StudyId)
{
    public override EventAudience Audience() => EventAudience.CoordinatorsOnly;
}
