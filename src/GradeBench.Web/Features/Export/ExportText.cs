namespace GradeBench.Web.Features.Export;

/// <summary>The downloads page's interface text (ExportText.resx, ExportText.zh-CN.resx).</summary>
public sealed class ExportText;
