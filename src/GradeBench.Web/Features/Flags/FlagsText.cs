namespace GradeBench.Web.Features.Flags;

/// <summary>The interface text of the coordinators' flag panels and threads and the page of open flags and alerts
/// (<c>FlagsText.resx</c>, <c>FlagsText.zh-CN.resx</c>).</summary>
public sealed class FlagsText;
