namespace GradeBench.Web.Features.Grading;

/// <summary>The grading page's interface text (<c>GradingText.resx</c>, <c>GradingText.zh-CN.resx</c>): page, rubric
/// chrome, highlights, flags and the session's save states. The grading API's answers stay English (programs read them).</summary>
public sealed class GradingText;
