using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using GradeBench.Core.Messages;
using GradeBench.Core.Rubrics;
using GradeBench.Storage.Studies;
using GradeBench.Web.Components;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.Extensions.Localization;
using Microsoft.JSInterop;

namespace GradeBench.Web.Features.Studies;

public sealed partial class RubricEditor
{
    [Inject] StudySetupStore Store { get; set; } = default!;
    [Inject] IJSRuntime JS { get; set; } = default!;
    [Inject] IStringLocalizer<StudiesText> T { get; set; } = default!;
    [Inject] IStringLocalizer<MessageText> Messages { get; set; } = default!;

    /// <summary>The study as the set-up page loaded it. Its texts are read once: a later reload of the page's data (after
    /// adding responses, say) never replaces what is being edited.</summary>
    [Parameter, EditorRequired] public StudySetup Setup { get; set; } = default!;
    [Parameter, EditorRequired] public long UserId { get; set; }

    sealed class LabelDraft(string key, string position, string label)
    {
        public string Key { get; } = key;
        public string Position { get; } = position;
        public string Label { get; set; } = label;
    }

    sealed class CriterionDraft(Criterion criterion)
    {
        public string Slug { get; } = criterion.Id;
        /// <summary>The label as stored: it names the controls, and changes only when a save succeeds.</summary>
        public string SavedLabel { get; set; } = criterion.Label;
        public Criterion Criterion { get; } = criterion;
        public string Label { get; set; } = criterion.Label;
        public string? HelpMd { get; set; } = criterion.HelpMd;
        public bool Required { get; set; } = criterion.Required;
        public List<LabelDraft> Options { get; } = criterion.Options.Select((o, i) => new LabelDraft(o.Value, (i + 1).ToString(CultureInfo.InvariantCulture), o.Label)).ToList();
        public List<LabelDraft> Anchors { get; } = criterion.Anchors.Select(a => new LabelDraft(a.Value, a.Value, a.Label)).ToList();

        public CriterionEdit ToEdit() => new(Slug, Label, HelpMd, Required,
            Options.ToDictionary(o => o.Key, o => o.Label),
            Anchors.ToDictionary(a => int.Parse(a.Key, CultureInfo.InvariantCulture), a => a.Label));
    }

    sealed class Draft
    {
        public string InstructionsMd { get; set; } = "";
        public List<CriterionDraft> Criteria { get; init; } = [];
    }

    Draft draft = new();
    bool busy, unsaved;
    string? message;
    IReadOnlyList<RubricEditError> errors = [];

    /// <summary>Listens for the first keystroke after a save only: once the form is unsaved, typing sends nothing.</summary>
    EventCallback<ChangeEventArgs> WatchTyping => unsaved ? default : EventCallback.Factory.Create<ChangeEventArgs>(this, () => unsaved = true);

    protected override void OnInitialized() => draft = new Draft
    {
        InstructionsMd = Setup.InstructionsMd,
        Criteria = Setup.Criteria.Select(c => new CriterionDraft(c)).ToList(),
    };

    string KindOf(Criterion criterion) => criterion.Type switch
    {
        CriterionType.Likert => T["KindLikert", Number(criterion.Min), Number(criterion.Max)],
        CriterionType.Ordinal => T["KindOrdinal"],
        CriterionType.Nominal => T["KindNominal"],
        CriterionType.Binary => T["KindBinary"],
        CriterionType.Numeric => T["KindNumeric", Number(criterion.Min), Number(criterion.Max)],
        _ => T["KindFreeText"],
    };

    static string Number(double? value) => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";

    void Edited(Action change)
    {
        change();
        unsaved = true;
    }

    RubricEdit Edit() => new(draft.InstructionsMd, draft.Criteria.Select(c => c.ToEdit()).ToList());

    async Task SaveAsync()
    {
        busy = true;
        var sent = Edit();
        var sentText = JsonSerializer.Serialize(sent);
        try
        {
            var result = await Store.SaveRubricAsync(Setup.StudyId, UserId, sent);
            errors = result.Errors;
            if (result.Refusal is { } refusal) message = T["NothingSavedBecause", Messages.Say(refusal)];
            else if (!result.Saved) message = errors.Count == 1 ? T["FixThisField"] : T["FixTheseFields", errors.Count];
            else
            {
                message = Setup.Pairwise ? T["InstructionsSaved"] : T["RubricSaved"];
                foreach (var criterion in draft.Criteria) criterion.SavedLabel = criterion.Label.Trim();
                // A text changed while the save was on its way is still unsaved.
                unsaved = JsonSerializer.Serialize(Edit()) != sentText;
            }
        }
        catch (DbException)
        {
            (message, errors) = (T["RubricDatabaseFailed"], []);
        }
        finally
        {
            busy = false;
        }
    }

    async Task ConfirmLeavingAsync(LocationChangingContext context)
    {
        if (unsaved && !await JS.InvokeAsync<bool>("confirm", T["LeaveUnsaved"].Value)) context.PreventNavigation();
    }
}
