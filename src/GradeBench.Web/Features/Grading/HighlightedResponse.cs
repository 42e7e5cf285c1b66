namespace GradeBench.Web.Features.Grading;

/// <summary>The response a <see cref="HighlightPanel"/> highlights: a single answer, or one answer of a pair. Its
/// <see cref="Language"/> is the case's, which the answer's quotes are in.</summary>
public sealed record HighlightedResponse(long ResponseId, string ContentMd, string Language);
