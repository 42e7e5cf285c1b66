using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using GradeBench.Core.Messages;
using GradeBench.Core.Pairwise;
using GradeBench.Core.Rubrics;
using GradeBench.Core.Studies;
using GradeBench.Storage.Pairwise;
using GradeBench.Storage.Studies;
using GradeBench.Web.Features.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;
using static GradeBench.Web.Features.Grading.GradingApi;

namespace GradeBench.Web.Features.Grading;

/// <summary>A question asked of every pair, in the study's language; <see cref="Choices"/> are the votes it takes
/// (<c>both_bad</c> only where the axis offers "both unacceptable"); <see cref="HelpMd"/> is left out when there is none.</summary>
public sealed record ApiPairAxis(string Id, string Question, IReadOnlyList<string> Choices,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? HelpMd = null);

/// <summary>A reason a rater may tick for a pair, in the study's language.</summary>
public sealed record ApiPairReason(string Id, string Label);

/// <summary>One answer of a pair: its text alone, neither model nor any other name.</summary>
public sealed record ApiPairAnswer(string ContentMd);

/// <summary>One assigned pair, named by its handle (<see cref="Pair"/>, the only name a rater gets for it); <see cref="Left"/>
/// and <see cref="Right"/> as this rater sees them; <see cref="Votes"/> the caller's current choices by axis id, by side.</summary>
public sealed record ApiPair(string Pair, long Position, bool Done, ApiCase Case, ApiPairAnswer Left, ApiPairAnswer Right,
    IReadOnlyDictionary<string, string> Votes, IReadOnlyList<string> Reasons, string? Comment);

public sealed record ApiPairs(long StudyId, string State, IReadOnlyList<ApiPairAxis> Axes, IReadOnlyList<ApiPairReason> Reasons, IReadOnlyList<ApiPair> Pairs);

/// <summary><see cref="Votes"/>: by axis id, <c>left</c>, <c>right</c>, <c>tie</c> or <c>both_bad</c>, as the caller saw
/// the pair; axes left out keep the caller's stored vote. <see cref="Reasons"/>: the reason ids ticked, replacing those
/// stored; null keeps them. <see cref="Comment"/>: replaces the stored comment (empty clears it); null keeps it.</summary>
public sealed record ApiVoteRequest(Dictionary<string, JsonElement>? Votes, List<string>? Reasons = null, string? Comment = null);

/// <summary>The caller's judgement of the pair as stored.</summary>
public sealed record ApiVoteSaved(string Pair, bool Done, IReadOnlyDictionary<string, string> Votes, IReadOnlyList<string> Reasons, string? Comment);

/// <summary>The grading API of side-by-side studies (docs/api.md): a rater's pairs, blinded as the side-by-side page
/// shows them, and their votes, stored through <see cref="PairRecorder"/> as the page stores them.</summary>
public static class PairEndpoints
{
    public static void MapPairEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapStudyApi();
        api.MapGet("/pairs", ListPairsAsync)
            .WithSummary("The caller's assigned pairs of a side-by-side study, each answer only as the left or the right one, with the caller's votes so far.")
            .ProducesRefusals()
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPut("/pairs/{pair}/vote", SubmitVoteAsync)
            .WithSummary("Submits the caller's votes on an assigned pair, by the side they saw; 200 once they are durably stored. Idempotent.")
            .ProducesRefusals()
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    static async Task<Results<Ok<ApiPairs>, ProblemHttpResult>> ListPairsAsync(long id, ClaimsPrincipal user,
        StudyQuery studies, PairwiseStore pairs, PairQueueQuery queue, CancellationToken ct)
    {
        var (membership, refusal) = await RaterAsync(id, user.Id(), studies, ct);
        if (membership is null) return refusal!;
        if (!await pairs.IsPairwiseAsync(id, ct)) return OtherDesign(id, pairwise: false);
        var assigned = await queue.ListAsync(id, user.Id(), ct);
        return TypedResults.Ok(new ApiPairs(id, membership.State,
            [.. assigned.Axes.Select(a => new ApiPairAxis(a.Id, a.Question, ChoicesOf(a), a.HelpMd))],
            [.. assigned.Reasons.Select(r => new ApiPairReason(r.Id, r.Label))],
            [.. assigned.Pairs.Select((p, index) => new ApiPair(p.Handle, index + 1, p.Done,
                new ApiCase(p.CaseTitle, p.PresentationMd, p.QuestionMd), new ApiPairAnswer(p.LeftContentMd), new ApiPairAnswer(p.RightContentMd),
                ByText(p.Choices, assigned.Axes), p.ReasonsTicked, p.Comment))]));
    }

    static async Task<Results<Ok<ApiVoteSaved>, ValidationProblem, ProblemHttpResult>> SubmitVoteAsync(long id, string pair,
        ApiVoteRequest request, ClaimsPrincipal user, StudyQuery studies, PairwiseStore pairs, PairRecorder recorder, CancellationToken ct)
    {
        var raterId = user.Id();
        var (membership, refusal) = await RaterAsync(id, raterId, studies, ct);
        if (membership is null) return refusal!;
        if (!await pairs.IsPairwiseAsync(id, ct)) return OtherDesign(id, pairwise: false);
        // Who may write is settled before what is written: a stranger learns nothing from validation messages, and a
        // pair of another rater answers as one that does not exist.
        var item = await pairs.LoadItemAsync(id, raterId, pair, ct);
        if (item is null) return NotAssigned(pair);
        if (membership.State != "open") return NotOpen(membership.State, "votes");
        if (request.Votes is null) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["votes"] = ["required"] });

        var (judgement, problems) = ToJudgement(request, item);
        if (problems.Count > 0) return Invalid(problems);

        var result = await recorder.SaveAsync(id, raterId, item.PairId, item.Handle, judgement, submit: true, origin: null, ct);
        switch (result.Outcome)
        {
            case PairWriteOutcome.Invalid: return Invalid(StoreProblems(result));
            case PairWriteOutcome.NotRater: return NotRater();
            case PairWriteOutcome.NotAssigned: return NotAssigned(pair);
            case PairWriteOutcome.StudyNotOpen: return NotOpen("not open", "votes");
            case PairWriteOutcome.StudyPaused: return NotOpen("paused", "votes");
            case PairWriteOutcome.Frozen: return Frozen();
        }
        // SaveAsync returns after its transaction committed: the 200 means the votes are on disk.
        var saved = await pairs.LoadItemAsync(id, raterId, item.PairId, ct) ?? item;
        return TypedResults.Ok(new ApiVoteSaved(saved.Handle, saved.Done, ByText(saved.Choices, saved.Axes), saved.ReasonsTicked, saved.Comment));
    }

    /// <summary>The request as the store takes it, with one problem per bad field, in the store's own words: everything
    /// is checked before writing so that one answer names every bad field; the store checks again in its transaction.</summary>
    static (PairJudgement Judgement, Dictionary<string, Message> Problems) ToJudgement(ApiVoteRequest request, PairItem item)
    {
        var problems = new Dictionary<string, Message>();
        var choices = new Dictionary<string, PairwiseChoice?>();
        foreach (var (axisId, json) in request.Votes!)
        {
            var key = $"votes.{axisId}";
            var text = json.ValueKind == JsonValueKind.String ? json.GetString() : json.GetRawText();
            if (item.Axes.FirstOrDefault(a => a.Id == axisId) is not { } axis) problems[key] = new Message("Vote_NoSuchAxis");
            else if (json.ValueKind == JsonValueKind.Null) problems[key] = PairwiseStore.ChoiceRequired;
            else if (json.ValueKind != JsonValueKind.String || Parse(text) is not { } choice)
                problems[key] = new Message("Value_NotAnOption", text, string.Join(", ", ChoicesOf(axis)));
            else if (choice == PairwiseChoice.BothBad && !axis.BothUnacceptable) problems[key] = new Message("Vote_BothBadNotOffered");
            else choices[axisId] = choice;
        }
        // A submission needs a choice on every axis: sent now, or stored before (a draft saved on the page).
        foreach (var axis in item.Axes.Where(a => !choices.ContainsKey(a.Id) && !item.Choices.ContainsKey(a.Id)))
            problems.TryAdd($"votes.{axis.Id}", PairwiseStore.ChoiceRequired);
        var unknown = (request.Reasons ?? []).Where(r => item.Reasons.All(known => known.Id != r)).Distinct().ToList();
        if (unknown.Count > 0) problems["reasons"] = new Message("Vote_NoSuchReason", string.Join(", ", unknown));
        if (request.Comment?.Length > Criterion.MaxTextLength) problems["comment"] = new Message("Value_TooLong", Criterion.MaxTextLength);
        return (new PairJudgement { Choices = choices, Reasons = request.Reasons, Comment = request.Comment }, problems);
    }

    /// <summary>The store's refusal (a change that raced this request) keyed as <see cref="ToJudgement"/> keys its own.</summary>
    static Dictionary<string, Message> StoreProblems(PairWriteResult result)
    {
        var problems = result.AxisProblems.ToDictionary(p => $"votes.{p.Key}", p => p.Value);
        if (result.ReasonsProblem is { } reasons) problems["reasons"] = reasons;
        if (result.CommentProblem is { } comment) problems["comment"] = comment;
        return problems;
    }

    static IReadOnlyList<string> ChoicesOf(PairwiseAxis axis) =>
        [.. Enum.GetValues<PairwiseChoice>().Where(c => c != PairwiseChoice.BothBad || axis.BothUnacceptable).Select(PairSession.ChoiceValue)];

    /// <summary>A choice as the API writes it, which is as the side-by-side page's radio buttons carry it; null for any other text.</summary>
    static PairwiseChoice? Parse(string? text) =>
        Enum.GetValues<PairwiseChoice>().Where(c => PairSession.ChoiceValue(c) == text).Select(c => (PairwiseChoice?)c).FirstOrDefault();

    /// <summary>The choices by axis id as the API writes them, in the axes' display order.</summary>
    static Dictionary<string, string> ByText(IReadOnlyDictionary<string, PairwiseChoice> choices, IReadOnlyList<PairwiseAxis> axes) =>
        axes.Where(a => choices.ContainsKey(a.Id)).ToDictionary(a => a.Id, a => PairSession.ChoiceValue(choices[a.Id]));

    // One answer for a pair of another rater and a pair that does not exist; the handle is echoed only when well formed.
    static ProblemHttpResult NotAssigned(string pair) =>
        TypedResults.Problem(ResponseHandle.TryParse(pair, out _) ? $"Pair {pair} is not assigned to you." : "No such pair is assigned to you.",
            statusCode: StatusCodes.Status404NotFound);

    static ProblemHttpResult Frozen() => TypedResults.Problem(
        "You have seen other raters' votes on this pair, so your judgement of it is final and cannot be changed. Discuss changes in adjudication.",
        statusCode: StatusCodes.Status409Conflict, title: "Your judgement is final");
}
