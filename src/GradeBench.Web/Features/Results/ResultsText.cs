// The folder's namespace (see _Imports.razor); the resources take their name from this class.
namespace GradeBench.Web.Features.StudyResults;

/// <summary>The results page's strings (ResultsText.resx, ResultsText.zh-CN.resx).</summary>
public sealed class ResultsText;
