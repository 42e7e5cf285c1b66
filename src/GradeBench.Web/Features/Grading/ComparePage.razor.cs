using GradeBench.Core.Messages;
using GradeBench.Core.Pairwise;
using GradeBench.Storage.Pairwise;
using GradeBench.Web.Components;
using GradeBench.Web.Features.Live;
using Microsoft.AspNetCore.Components;

namespace GradeBench.Web.Features.Grading;

/// <summary>The rater's side-by-side page (docs/grading.md, "Side-by-side pairs"): one assigned pair at a time, its case
/// and its two answers side by side, then the study's questions (axes), reasons and a comment. Every vote and reason is
/// saved as a draft at once, the comment after a pause in typing; Submit records the judgement and opens the next pair
/// not done. The draft, the saves and the journal of unsent changes are the circuit's <see cref="PairSession"/>; this
/// page renders it, and <see cref="DraftPage{TSession}"/> keeps it live, as for <see cref="GradePage"/>.</summary>
public partial class ComparePage
{
    const string LeftPaneId = "pair-left";
    const string RightPaneId = "pair-right";

    /// <summary>The handle of the pair in the address (the only name of it the browser gets); null: the queue.</summary>
    [Parameter] public string? Pair { get; set; }

    /// <summary>The element that shows an answer's text, where passages are selected and highlights painted.</summary>
    static string ResponseElementId(string paneId) => $"{paneId}-response";
    const string NoteElementId = "case-note";

    IReadOnlyList<NoteAnnotationPanel.Answer> NoteAnswers(PairItem item) =>
        [new(item.Left.ResponseId, T["LeftAnswerShort"]), new(item.Right.ResponseId, T["RightAnswerShort"])];

    string? Say(Message? message) => message is null ? null : Messages.Say(message);

    /// <summary>Why the store refused each axis's vote, in the rater's language.</summary>
    IReadOnlyDictionary<string, string> AxisProblemTexts => Session.AxisProblems.ToDictionary(p => p.Key, p => Messages.Say(p.Value));

    /// <summary>The questions (and reasons, comment) a refused save names, by their text in the rater's language.</summary>
    string ProblemsText
    {
        get
        {
            if (!Session.HasProblems || Session.Item is not { } item) return "";
            var languages = Core.Rubrics.TextLanguages.ForInterface(System.Globalization.CultureInfo.CurrentUICulture, Session.Membership?.Language);
            var named = item.Axes.Where(a => Session.AxisProblems.ContainsKey(a.Id)).Select(a => a.QuestionIn(languages).Text).ToList();
            if (Session.ReasonsProblem is not null) named.Add(T["Reasons"]);
            if (Session.CommentProblem is not null) named.Add(T["Comment"]);
            return T["MissingOrInvalid", string.Join(T["ListSeparator"], named)];
        }
    }

    protected override string HeadingId => "pair-heading";

    protected override string ItemAddress(string handle) => $"/studies/{StudyId}/compare/{handle}";

    protected override async Task<bool> OpenItemRevealedAsync() =>
        Session.Item is { } item && await Reveals.IsPairFrozenAsync(StudyId, UserId, item.PairId);

    protected override long? ChangedElsewhere(StudyEvent studyEvent) =>
        studyEvent is PairChanged changed && changed.Origin != Session.Origin ? changed.PairId : null;

    protected override Task OnParametersSetAsync() => OpenAsync(Pair);

    Task ChooseAsync((string Axis, PairwiseChoice Choice) change) => Session.ChooseAsync(change.Axis, change.Choice);

    Task TickAsync((string Reason, bool Ticked) change) => Session.TickReasonAsync(change.Reason, change.Ticked);

    Task TypeAsync(string? text) => Session.TypeCommentAsync(text);

    Task TypingDoneAsync() => Session.SaveTypingNowAsync();
}
