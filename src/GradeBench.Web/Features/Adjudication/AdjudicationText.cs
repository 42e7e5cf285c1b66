using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using GradeBench.Core.Pairwise;
using GradeBench.Core.Rubrics;
using GradeBench.Storage.Adjudication;
using GradeBench.Web.Hosting;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;

namespace GradeBench.Web.Features.Adjudication;

/// <summary>Text of the adjudication pages (AdjudicationText.resx, AdjudicationText.zh-CN.resx), and the few ways they
/// put study content and names into a localized sentence with their own markup.</summary>
public sealed partial class AdjudicationText
{
    /// <summary>A localized sentence whose placeholders are HTML already made (<see cref="Content"/>, <see cref="Name"/>):
    /// the sentence is encoded, the pieces are not, so a name keeps its <c>translate="no"</c> inside either language's
    /// word order. In the pseudo-locale each run of the sentence's own words is marked, as a string of its own would be.</summary>
    public static MarkupString Compose(LocalizedString sentence, params string[] pieces)
    {
        var text = sentence.Value;
        var pseudo = text.Length > 1 && text.StartsWith(Languages.PseudoStart, StringComparison.Ordinal) && text.EndsWith(Languages.PseudoEnd, StringComparison.Ordinal);
        if (pseudo) text = text[Languages.PseudoStart.Length..^Languages.PseudoEnd.Length];
        var html = new StringBuilder();
        foreach (var part in Placeholder().Split(text))
        {
            if (Placeholder().IsMatch(part)) html.Append(pieces[int.Parse(part[1..^1], CultureInfo.InvariantCulture)]);
            else if (pseudo && !string.IsNullOrWhiteSpace(part)) html.Append(WebUtility.HtmlEncode(Languages.PseudoStart + part + Languages.PseudoEnd));
            else html.Append(WebUtility.HtmlEncode(part));
        }
        return new(html.ToString());
    }

    /// <summary>Study content (criterion and option labels, case titles) in the study's language.</summary>
    public static string Content(string text, string language) =>
        $"<span lang=\"{WebUtility.HtmlEncode(language)}\">{WebUtility.HtmlEncode(text)}</span>";

    /// <summary>A name or identifier that is never translated.</summary>
    public static string Name(string text) => $"<span translate=\"no\">{WebUtility.HtmlEncode(text)}</span>";

    /// <summary>The localized word for an item's status (stored as "open" or "resolved").</summary>
    public static string Status(IStringLocalizer<AdjudicationText> t, string status) => status switch
    {
        "open" => t["StatusOpen"],
        "resolved" => t["StatusResolved"],
        _ => status,
    };

    /// <summary>How the store names a response: its bundle id for those who may see models, else "Response" and its
    /// handle (the store's BlindLabel), whose word is localized here; a pair likewise, by its answers' bundle ids or
    /// "Pair" and its handle.</summary>
    public static MarkupString ResponseLabel(IStringLocalizer<AdjudicationText> t, string label, string handle) =>
        label == $"Response {handle}" ? Compose(t["ResponseHandle"], Name(handle))
        : label == $"Pair {handle}" ? Compose(t["PairHandle"], Name(handle))
        : new(Name(label));

    /// <summary>Text a user wrote (a comment, a reason, a note), in whatever language they chose: marked as of unknown
    /// language (<c>lang=""</c>), so that it is read as written and never taken for interface text.</summary>
    public static string UserText(string? text) => $"<span lang=\"\">{WebUtility.HtmlEncode(text)}</span>";

    /// <summary>The languages a reader of the interface sees the rubric in: theirs where the study gives it, else the
    /// study's (<paramref name="language"/>), as on the rater's form.</summary>
    static TextLanguages Reader(string language) => TextLanguages.ForInterface(CultureInfo.CurrentUICulture, language);

    static string Shown(ShownText text, string language) => Content(text.Text, text.Language ?? language);

    /// <summary>A criterion's label, study content in the reader's language where the study gives it.</summary>
    public static string Label(Criterion criterion, string language) => Shown(criterion.LabelIn(Reader(language)), language);

    /// <summary>A rated value: yes and no are words of the interface; any other value reads as the rubric's label for it,
    /// study content in the reader's language where the study gives it.</summary>
    public static MarkupString Value(IStringLocalizer<AdjudicationText> t, Criterion criterion, string? value, string language)
    {
        if (criterion.Type == CriterionType.Binary && value is "true" or "false") return new(WebUtility.HtmlEncode(t[value == "true" ? "Yes" : "No"]));
        foreach (var (choice, label) in RubricScale.Show(criterion, Reader(language)).Choices)
            if (choice == value) return new(Shown(label, language));
        return new(Content(RubricScale.Describe(criterion, value), language));
    }

    /// <summary>What a consensus save did, as the forms say it.</summary>
    public static string Saved(IStringLocalizer<AdjudicationText> t, ItemChanged change) => change.Outcome switch
    {
        AdjudicationOutcome.Done => (change.Saved, change.Status) switch
        {
            (0, _) => t["NothingChanged"],
            (1, "resolved") => t["SavedOneResolved"],
            (1, _) => t["SavedOne"],
            (var n, "resolved") => t["SavedManyResolved", n],
            (var n, _) => t["SavedMany", n],
        },
        AdjudicationOutcome.NotAllowed => t["OnlyCoordinatorDecides"],
        AdjudicationOutcome.StudyNotInAdjudication => t["NotInAdjudication"],
        AdjudicationOutcome.Invalid => t["NothingSavedAttention"],
        _ => t["NotSaved"],
    };

    /// <summary>What Mark resolved did, as the forms say it.</summary>
    public static string Resolved(IStringLocalizer<AdjudicationText> t, ItemChanged change) => change.Outcome switch
    {
        AdjudicationOutcome.Done => t["ItemResolved"],
        AdjudicationOutcome.StillDisagrees => t["NotResolvedYet"],
        AdjudicationOutcome.NotAllowed => t["OnlyCoordinatorResolves"],
        AdjudicationOutcome.StudyNotInAdjudication => t["NotInAdjudication"],
        _ => t["NotResolved"],
    };

    /// <summary>An axis's question, study content in the reader's language where the study gives it.</summary>
    public static string Question(PairwiseAxis axis, string language) => Shown(axis.QuestionIn(Reader(language)), language);

    /// <summary>A reason tag's label, study content in the reader's language where the study gives it.</summary>
    public static string ReasonLabel(PairwiseReasonTag reason, string language) => Shown(reason.LabelIn(Reader(language)), language);

    /// <summary>A vote by model, in words of the interface: "Answer A", "Answer B", "Tie", "Both unacceptable".</summary>
    public static string Choice(IStringLocalizer<AdjudicationText> t, PairChoice choice) => choice switch
    {
        PairChoice.A => t["AnswerA"],
        PairChoice.B => t["AnswerB"],
        PairChoice.Tie => t["Tie"],
        _ => t["BothUnacceptable"],
    };

    [GeneratedRegex(@"(\{\d+\})")]
    private static partial Regex Placeholder();
}
