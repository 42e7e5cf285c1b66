using GradeBench.Core.Messages;

namespace GradeBench.Core.Pairwise;

/// <summary>Why a side-by-side statistic has no value, as messages of <c>MessageText.resx</c> (keys <c>Pairwise_…</c>),
/// so the page and the report can say them in their reader's language; the models are named as a list.</summary>
static class PairwiseReason
{
    public static Message NeverLost(IEnumerable<string> models) => new("Pairwise_NeverLost", List(models));
    public static Message NeverWon(IEnumerable<string> models) => new("Pairwise_NeverWon", List(models));
    public static Message NotCompared(IEnumerable<string> group, IEnumerable<string> rest) => new("Pairwise_NotCompared", List(group), List(rest));
    public static readonly Message NoDecisiveVote = new("Pairwise_NoDecisiveVote");

    static string List(IEnumerable<string> models) => string.Join(", ", models);
}
