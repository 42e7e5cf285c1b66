using GradeBench.Core.Messages;
using GradeBench.Web.Components;
using GradeBench.Storage.Calibration;
using Microsoft.Extensions.Localization;

namespace GradeBench.Web.Features.Calibration;

/// <summary>Text of the calibration page (CalibrationText.resx, CalibrationText.zh-CN.resx), and its refusals in the
/// reader's language.</summary>
public sealed class CalibrationText
{
    /// <summary>The store's refusals of one outcome that say different things, by their (English) text.</summary>
    static readonly Dictionary<string, string> Refusals = new(StringComparer.Ordinal)
    {
        ["A calibration session is already running."] = "SessionRunning",
        ["That response is not part of this study."] = "ResponseNotInStudy",
        ["That response is already in the session."] = "ResponseAlreadyAdded",
        ["Only an item of this session whose round has not started can be removed."] = "CannotRemove",
        ["That item is not part of the running session."] = "ItemNotInSession",
        ["Every item of the session has had its round."] = "NoItemLeft",
        ["Reveal the current round before starting another."] = "RevealFirst",
        ["That item is not in the session or has had its round."] = "ItemNotStartable",
        ["No round is waiting to be revealed."] = "NothingToReveal",
        ["That item is not being rated now."] = "ItemNotRatedNow",
    };

    /// <summary>A refusal as one sentence, with the criteria at fault, in the reader's language (the page's counterpart of
    /// <see cref="CalibrationRecorder.Describe"/>): the outcome decides, and where one outcome has several reasons the
    /// store's text tells them apart; a reason not known here is shown as the store gave it. What is wrong with each
    /// value is the rubric's own check, in English.</summary>
    public static string Describe(IStringLocalizer<CalibrationText> t, IStringLocalizer<MessageText> messages, CalibrationChange change)
    {
        string message = change.Outcome switch
        {
            CalibrationOutcome.NotCoordinator => t["NotCoordinator"],
            CalibrationOutcome.NotRater => t["NotRater"],
            CalibrationOutcome.NotDraft => t["NotDraft"],
            CalibrationOutcome.NoSession => t["NoSession"],
            CalibrationOutcome.NoRaters => t["NoRaters"],
            CalibrationOutcome.Invalid => t["InvalidValues"],
            _ when change.Message is { } text && Refusals.TryGetValue(text, out var key) => t[key],
            _ => change.Message ?? "",
        };
        return change.Problems.Count == 0
            ? message
            : t["RefusalWithProblems", message, string.Join("; ", change.Problems.Select(p => $"{p.Key}: {messages.Say(p.Value)}"))];
    }
}
