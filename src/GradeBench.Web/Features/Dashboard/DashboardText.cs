namespace GradeBench.Web.Features.Dashboard;

/// <summary>The dashboard's interface text (DashboardText.resx, DashboardText.zh-CN.resx).</summary>
public sealed class DashboardText;
