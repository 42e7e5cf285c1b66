namespace GradeBench.Core.Checklists;

/// <summary>One rater's mark of one criterion of a case's checklist on one answer (response): met or not met.
/// <see cref="Points"/> and <see cref="Tags"/> are the criterion's, the same on every mark of it (a non-zero integer,
/// negative for what an answer must not do). <see cref="Case"/> is the answer's case; null when it is not known, and
/// then the bootstrap resamples answers instead of cases (docs/designs.md, "Checklist studies: statistics").</summary>
public sealed record ChecklistMark(string Response, string Model, string? Case, string Rater, string Criterion, int Points, bool Met, IReadOnlyList<string> Tags);
