namespace GradeBench.Web.Components;

/// <summary>Text of the layout and of components every feature uses (SharedText.resx, SharedText.zh-CN.resx).</summary>
public sealed class SharedText;
