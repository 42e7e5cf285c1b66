using GradeBench.Core.Rubrics;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Pairwise;
using GradeBench.Web.Components;
using GradeBench.Web.Features.Live;
using Microsoft.AspNetCore.Components;

namespace GradeBench.Web.Features.Grading;

/// <summary>The rater's grading page: one assigned response at a time, between its case and the rubric.
/// Every change is saved as a draft at once (free text after a pause in typing); Submit records the rating and
/// opens the next item. The draft, the saves and the journal of unsent changes are the circuit's
/// <see cref="GradingSession"/>; this page renders it, and <see cref="DraftPage{TSession}"/> keeps it live.</summary>
public partial class GradePage
{
    const string ResponseElementId = "grade-response";
    const string NoteElementId = "case-note";
    const string ResponseHeadingId = "response-heading";

    [Inject] PairwiseStore Pairs { get; set; } = default!;

    /// <summary>The handle of the response in the address (the only name of it the browser gets); null: the queue.</summary>
    [Parameter] public string? Response { get; set; }

    /// <summary>Why the store refused each criterion's value, in the rater's language.</summary>
    IReadOnlyDictionary<string, string> ProblemTexts => Session.Problems.ToDictionary(p => p.Key, p => Messages.Say(p.Value));

    /// <summary>The criteria named by their labels; a checklist's by their number in it, its text being a sentence or more.</summary>
    string ProblemsText => Session.Problems is { Count: > 0 } problems
        ? T["MissingOrInvalid", string.Join(T["ListSeparator"], [
            .. Session.Rubric.Where(c => problems.ContainsKey(c.Id)).Select(c => c.Label),
            .. (Session.Item?.Checklist ?? []).Select((c, i) => (c, i)).Where(x => problems.ContainsKey(x.c.Id)).Select(x => T["ChecklistItem", x.i + 1].Value)])]
        : "";

    /// <summary>y and n mark a yes/no criterion or a checklist criterion (grading.js).</summary>
    bool HasYesNo(GradingItem item) => item.Checklist.Count > 0 || Session.Rubric.Any(c => c.Type == CriterionType.Binary);

    protected override string HeadingId => ResponseHeadingId;

    protected override string ItemAddress(string handle) => $"/studies/{StudyId}/grade/{handle}";

    /// <summary>Coordinators see which item the rater has open.</summary>
    protected override long? PresenceResponseId => Session.Item?.ResponseId;

    protected override async Task<bool> OpenItemRevealedAsync() =>
        Session.Item is { } item && await Reveals.IsFrozenAsync(StudyId, UserId, item.ResponseId);

    protected override long? ChangedElsewhere(StudyEvent studyEvent) =>
        studyEvent is RatingChanged changed && changed.Origin != Session.Origin ? changed.ResponseId : null;

    protected override async Task OnParametersSetAsync()
    {
        // A side-by-side study's raters compare pairs, on their own page (a response's handle names no pair there).
        if (await Pairs.IsPairwiseAsync(StudyId))
        {
            Navigation.NavigateTo($"/studies/{StudyId}/compare", replace: true);
            return;
        }
        await OpenAsync(Response);
    }

    Task ChooseAsync((Criterion Criterion, string? Value) change) => Session.ChooseAsync(change.Criterion, change.Value);

    Task TypeAsync((Criterion Criterion, string? Value) change) => Session.TypeAsync(change.Criterion, change.Value);

    Task TypingDoneAsync() => Session.SaveTypingNowAsync();
}
