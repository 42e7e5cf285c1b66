namespace GradeBench.Core.Checklists;

/// <summary>The checklist statistics of a study: <see cref="ChecklistAnalysis.Run(IReadOnlyList{ChecklistMark}, ChecklistOptions?)"/>
/// on its physicians' submitted marks with the default bootstrap (null while there are none), how many ratings were left
/// out for not marking every criterion of their case (an imported pilot rating), and the raters' display names by the
/// user names the marks carry.</summary>
public sealed record StudyChecklistResults(ChecklistReport? Report, int IncompleteRatings, IReadOnlyDictionary<string, string> RaterNames);
