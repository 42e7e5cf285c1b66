using GradeBench.Core.Messages;

namespace GradeBench.Core.Checklists;

/// <summary>Why a checklist score has no value, as messages of <c>MessageText.resx</c> (keys <c>Checklist_…</c>), so the
/// page and the report can say them in their reader's language.</summary>
static class ChecklistReason
{
    public static readonly Message NoPositivePoints = new("Checklist_NoPositivePoints");
    public static readonly Message NoScoredAnswer = new("Checklist_NoScoredAnswer");
    public static Message TagNoPositivePoints(string tag) => new("Checklist_TagNoPositivePoints", tag);
}
