namespace GradeBench.Web.Features.Review;

/// <summary>The interface text of the coordinator's read-only item view: <c>ReviewText.resx</c> and
/// <c>ReviewText.zh-CN.resx</c> beside this marker.</summary>
public sealed class ReviewText;
