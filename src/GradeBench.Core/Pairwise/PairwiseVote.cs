namespace GradeBench.Core.Pairwise;

/// <summary>What a rater chose between two answers shown side by side: the left (A) or right (B) answer, a tie, or
/// "both unacceptable". A tie and "both unacceptable" count alike in the statistics (half a win for each side).</summary>
public enum PairwiseChoice { Left, Right, Tie, BothBad }

/// <summary>One rater's vote on one case between the answers of two models, as they were shown: <see cref="Left"/> on
/// the left (A), <see cref="Right"/> on the right (B).</summary>
public sealed record PairwiseVote(string Case, string Rater, string Left, string Right, PairwiseChoice Choice);
