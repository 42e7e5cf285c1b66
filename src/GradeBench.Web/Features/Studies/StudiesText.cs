namespace GradeBench.Web.Features.Studies;

/// <summary>The interface text of the studies pages (home, new study, set-up, rubric editor, study navigation):
/// <c>StudiesText.resx</c> and <c>StudiesText.zh-CN.resx</c> beside this marker.</summary>
public sealed class StudiesText;
