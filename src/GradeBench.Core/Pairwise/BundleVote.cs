namespace GradeBench.Core.Pairwise;

/// <summary>A row of votes.csv: one rater's vote on one axis of a pair, as shown to them (<see cref="Left"/> and
/// <see cref="Right"/>, bundle response ids). <see cref="Reasons"/> and <see cref="Comment"/> are the rater's for the
/// whole pair, on every row of it however the file gave them; imported as submitted.</summary>
public sealed record BundleVote(string Rater, string AxisId, string Left, string Right, PairwiseChoice Choice)
{
    /// <summary>The reason tags ticked for the pair, as given.</summary>
    public IReadOnlyList<string> Reasons { get; init; } = [];

    public string? Comment { get; init; }

    /// <summary>When the vote was first submitted, and last changed (votes.csv's optional columns); null: the import's time.</summary>
    public DateTimeOffset? FirstSubmitted { get; init; }

    /// <inheritdoc cref="FirstSubmitted"/>
    public DateTimeOffset? LastChanged { get; init; }
}
