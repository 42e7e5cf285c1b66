using GradeBench.Core.Adjudication;
using GradeBench.Core.Messages;
using GradeBench.Storage.Adjudication;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;

namespace GradeBench.Web.Features.Adjudication;

/// <summary>What the coordinator's consensus forms of a response (<see cref="ConsensusForm"/>) and of a side-by-side pair
/// (<see cref="PairConsensusForm"/>) do alike: a draft per unit decided (a criterion, an axis) that starts as the saved
/// consensus or, when there is none, the suggestion, marked as such until it is changed or saved; one Save that sends
/// every draft with a value, each with its own reason or else the shared one, in one call (one transaction, all or
/// none), and puts each refusal beside its unit; and Mark resolved, which the store refuses, naming them, while units
/// that differ have no consensus (<see cref="ConsensusFormActions"/> shows both). The page gives a form a new key per
/// item, so that nothing typed for one item is shown for another.</summary>
/// <typeparam name="TUnit">What takes a consensus value.</typeparam>
public abstract class ConsensusFormBase<TUnit> : ComponentBase
{
    [Inject] AdjudicationRecorder Recorder { get; set; } = default!;
    [Inject] protected IStringLocalizer<AdjudicationText> T { get; set; } = default!;
    [Inject] protected IStringLocalizer<MessageText> Messages { get; set; } = default!;

    [Parameter, EditorRequired] public long StudyId { get; set; }
    [Parameter, EditorRequired] public long UserId { get; set; }
    /// <summary>The study's language, which its content (labels, questions) is in.</summary>
    [Parameter] public string Language { get; set; } = "en";
    /// <summary>Called after a save or a resolve, so that the page reads the item again.</summary>
    [Parameter] public EventCallback Saved { get; set; }

    /// <summary>A unit's value as the form holds it, in the stored form the store checks.</summary>
    protected sealed class Draft
    {
        public string? Value { get; set; }
        public string? Reason { get; set; }
        /// <summary>The suggestion the value was pre-filled with, until the coordinator changes or saves it.</summary>
        public Suggestion? Suggestion { get; set; }
        public Message? Problem { get; set; }
    }

    readonly Dictionary<string, Draft> _drafts = [];

    /// <summary>The reason of every value whose own reason is empty.</summary>
    protected string? SharedReason { get; set; }
    /// <summary>What the last save or resolve did.</summary>
    protected string? DecisionState { get; private set; }
    /// <summary>The units Mark resolved was refused for, by label; null once the coordinator keeps the item open.</summary>
    protected IReadOnlyList<string>? StillDisagreeing { get; private set; }

    /// <summary>The item, used only inside the server.</summary>
    protected abstract long ItemId { get; }
    /// <summary>The units that take a consensus value, in the order the form shows them.</summary>
    protected abstract IEnumerable<TUnit> Decided { get; }
    protected abstract string IdOf(TUnit unit);
    /// <summary>The draft a unit starts with: its saved consensus, else the suggestion from the raters' values.</summary>
    protected abstract Draft Start(TUnit unit);

    protected Draft DraftOf(TUnit unit)
    {
        var id = IdOf(unit);
        if (_drafts.TryGetValue(id, out var draft)) return draft;
        return _drafts[id] = Start(unit);
    }

    protected static void Choose(Draft draft, string? value)
    {
        draft.Value = value;
        draft.Suggestion = null;
    }

    protected async Task SaveAsync()
    {
        StillDisagreeing = null;
        // Every unit with a value is sent; the store writes only what is new or changed.
        var entries = Decided.Select(u => (Id: IdOf(u), Draft: DraftOf(u)))
            .Where(d => !string.IsNullOrWhiteSpace(d.Draft.Value))
            .Select(d => new ConsensusEntry(d.Id, d.Draft.Value, string.IsNullOrWhiteSpace(d.Draft.Reason) ? SharedReason : d.Draft.Reason))
            .ToList();
        if (entries.Count == 0)
        {
            DecisionState = T["NothingToSave"];
            return;
        }
        var change = await Recorder.SaveConsensusAsync(StudyId, ItemId, UserId, entries);
        foreach (var (id, draft) in _drafts)
            draft.Problem = change.CriterionProblems.GetValueOrDefault(id);
        if (change.Outcome == AdjudicationOutcome.Done)
            foreach (var draft in _drafts.Values) draft.Suggestion = null;
        DecisionState = AdjudicationText.Saved(T, change);
        await Saved.InvokeAsync();
    }

    protected async Task ResolveAsync(bool evenIfDisagreeing)
    {
        var change = await Recorder.MarkResolvedAsync(StudyId, ItemId, UserId, evenIfDisagreeing);
        StillDisagreeing = change.Outcome == AdjudicationOutcome.StillDisagrees ? change.StillDisagreeing : null;
        DecisionState = AdjudicationText.Resolved(T, change);
        await Saved.InvokeAsync();
    }

    protected void KeepOpen() => StillDisagreeing = null;
}
