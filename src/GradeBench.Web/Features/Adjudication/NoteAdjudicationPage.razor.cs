using System.Globalization;
using System.Net;
using GradeBench.Core.Notes;
using GradeBench.Core.Rubrics;
using GradeBench.Storage.Notes;
using GradeBench.Storage.Studies;
using GradeBench.Web.Components;
using GradeBench.Web.Features.Live;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;

namespace GradeBench.Web.Features.Adjudication;

/// <summary>Span adjudication of one case's note (docs/spans.md, "Gold spans"), for the study's coordinators: the note,
/// the raters' passages grouped as agreed or disputed, each with its rater, label, quote, attributes and the answer
/// highlights it is evidence for, and the buttons that accept, edit or reject a group into the gold set, or undo a
/// decision, with who decided and when, and the upload of a gold-spans.csv. The store checks every decision again. Live:
/// another coordinator's decision on this case, or an import, shows within a second; an edit under way stays as it is.</summary>
public sealed partial class NoteAdjudicationPage
{
    [Inject] StudyQuery Studies { get; set; } = default!;
    [Inject] GoldSpanStore Gold { get; set; } = default!;
    [Inject] GoldSpanRecorder Recorder { get; set; } = default!;
    [Inject] IStringLocalizer<AdjudicationText> T { get; set; } = default!;

    [Parameter] public long StudyId { get; set; }
    [Parameter] public string Case { get; set; } = "";

    static readonly SpanGroupKind[] Kinds = Enum.GetValues<SpanGroupKind>();

    GoldDocument? document;
    string? refusal, status;
    string language = "en";
    Edit? editing;

    /// <summary>The passage being edited for a group (named by its key), from a rater's version or none.</summary>
    sealed class Edit(IReadOnlyList<long> group, long? from, long labelId, int start, int end, Dictionary<long, string> values)
    {
        public IReadOnlyList<long> Group { get; } = group;
        public long? From { get; } = from;
        public long LabelId { get; set; } = labelId;
        public int Start { get; set; } = start;
        public int End { get; set; } = end;
        public Dictionary<long, string> Values { get; } = values;
    }

    protected override async Task OnParametersSetAsync()
    {
        await ResolveUserAsync();
        language = (await Studies.AccessAsync(StudyId, UserId))?.Language ?? language;
        await LoadAsync();
        await ListenAsync(document is null ? null : new LiveStudy(StudyId, IsCoordinator: true));
    }

    /// <summary>Reads the note, its groups and decisions again. What a coordinator is editing lives apart (<see cref="editing"/>),
    /// and the form's fields keep what was typed: a re-render writes a field only where its value changed.</summary>
    async Task LoadAsync()
    {
        document = await Gold.DocumentAsync(StudyId, Case, UserId);
        refusal = document is null ? T["NotesCaseMissing"].Value : null;
        // A coordinator who lost the role stops hearing the study's events.
        if (document is null) StopListening();
    }

    protected override Task ReloadAsync() => LoadAsync();

    protected override bool Wants(StudyEvent studyEvent) => studyEvent is GoldSpansChanged changed && (changed.Case is null || changed.Case == Case);

    /// <summary>Decisions take a live page: a prerendered button would do nothing until the circuit connects.</summary>
    bool CanDecide(GoldSpanGroup group) => document!.CanDecide && RendererInfo.IsInteractive && !group.IsRejected;

    static int Versions(GoldSpanGroup group) =>
        group.Spans.Select(s => (s.LabelId, s.Start, s.End, string.Join(";", s.Attributes.OrderBy(a => a.Key).Select(a => $"{a.Key}={a.Value}")))).Distinct().Count();

    static string GroupId(GoldSpanGroup group) => "group-" + string.Join("-", group.Key);

    async Task AcceptAsync(GoldSpanGroup group, long? spanId) =>
        await AfterAsync(await Recorder.AcceptAsync(StudyId, Case, UserId, group.Key, spanId), "NotesAccepted");

    async Task RejectAsync(GoldSpanGroup group) =>
        await AfterAsync(await Recorder.RejectAsync(StudyId, Case, UserId, group.Key), "NotesRejectedDone");

    async Task UndoAsync(GoldSpan decision) => await AfterAsync(await Recorder.UndoAsync(StudyId, Case, UserId, decision.Id), "NotesUndone");

    void StartEdit(GoldSpanGroup group, GroupedNoteSpan? from)
    {
        var label = from?.LabelId ?? document!.Labels[0].Id;
        editing = new Edit(group.Key, from?.Id, label, from?.Start ?? group.Start, from?.End ?? group.End,
            from is null ? [] : new Dictionary<long, string>(from.Attributes));
        status = null;
    }

    static void SetFlag(Edit edit, long attributeId, bool set)
    {
        if (set) edit.Values[attributeId] = "true";
        else edit.Values.Remove(attributeId);
    }

    static void SetValue(Edit edit, long attributeId, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) edit.Values.Remove(attributeId);
        else edit.Values[attributeId] = value;
    }

    async Task SaveEditAsync()
    {
        if (editing is not { } edit) return;
        // Values of another label's attributes stay behind when the label changes; the store would refuse them.
        var own = document!.Labels.FirstOrDefault(l => l.Id == edit.LabelId)?.Attributes.Select(a => a.Id).ToHashSet() ?? [];
        var values = edit.Values.Where(v => own.Contains(v.Key)).ToDictionary(v => v.Key, v => v.Value);
        var outcome = await Recorder.EditAsync(StudyId, Case, UserId, edit.Group, edit.From, edit.LabelId, edit.Start, edit.End, values);
        if (outcome == GoldSpanOutcome.Done) editing = null;
        await AfterAsync(outcome, "NotesEdited");
    }

    async Task AfterAsync(GoldSpanOutcome outcome, string done)
    {
        status = (outcome switch
        {
            GoldSpanOutcome.Done => T[done],
            GoldSpanOutcome.Invalid => T["NotesInvalid"],
            GoldSpanOutcome.Duplicate => T["NotesDuplicate"],
            GoldSpanOutcome.Decided => T["NotesAlreadyDecided"],
            GoldSpanOutcome.Stale => T["NotesStale"],
            GoldSpanOutcome.StudyNotInAdjudication => T["NotInAdjudication"],
            GoldSpanOutcome.NotAllowed => T["NotesCoordinatorsOnly"],
            _ => T["NotesNotFound"],
        }).Value;
        await LoadAsync();
    }

    TextLanguages Reader => TextLanguages.ForInterface(CultureInfo.CurrentUICulture, language);

    string LabelName(NoteLabelInfo label) => label.LabelTranslations.Show(label.Label, Reader).Text;

    string AttributeName(NoteAttributeInfo attribute) => attribute.LabelTranslations.Show(attribute.Label, Reader).Text;

    /// <summary>A passage in words: its label (with its colour), its code points, its quote and the attributes set.</summary>
    MarkupString Passage(long labelId, int start, int end, string quote, IReadOnlyDictionary<long, string> values)
    {
        var label = document!.Labels.FirstOrDefault(l => l.Id == labelId);
        var attributes = label?.Attributes.Where(a => values.ContainsKey(a.Id))
            .Select(a => a.Kind == Core.Spans.Interchange.AttributeKind.Flag
                ? AdjudicationText.Content(AttributeName(a), language)
                : AdjudicationText.Compose(T["NotesAttributeValue"], AdjudicationText.Content(AttributeName(a), language), AdjudicationText.UserText(values[a.Id])).Value)
            .ToList() ?? [];
        return new($"<span class=\"swatch\" style=\"background: {WebUtility.HtmlEncode(label?.Color ?? "#b08800")}\" aria-hidden=\"true\"></span>"
            + $"<strong>{AdjudicationText.Content(label is null ? "" : LabelName(label), language)}</strong> "
            + AdjudicationText.Compose(T["NotesAt"], start.ToString(CultureInfo.InvariantCulture), end.ToString(CultureInfo.InvariantCulture)).Value
            + $" <mark>{AdjudicationText.Content("«" + quote + "»", language)}</mark>"
            + (attributes.Count > 0 ? " (" + string.Join(", ", attributes) + ")" : ""));
    }

    /// <summary>Who decided, when and from which raters, as a sentence.</summary>
    MarkupString Provenance(GoldSpan decision) =>
        AdjudicationText.Compose(T[decision.Imported ? "NotesDecidedByImported" : "NotesDecidedBy"], AdjudicationText.Name(decision.DecidedBy),
            LocalTime.Html(decision.DecidedAt),
            decision.SourceRaters.Count == 0 ? WebUtility.HtmlEncode(T["NotesNoReaders"]) : string.Join(", ", decision.SourceRaters.Select(AdjudicationText.Name)));
}
