namespace GradeBench.Core.Grading;

/// <summary>One response given to one rater to grade.</summary>
public readonly record struct Assignment(long ResponseId, long RaterId);
