using GradeBench.Core.Pairwise;

namespace GradeBench.Core.Tests.Pairwise;

/// <summary>Votes drawn from a Bradley–Terry model with known ratings: on each case every pair of models is compared with
/// the given chance, by one to three raters of five, each shown the two answers in a random order; a vote is a tie (or,
/// half of those, "both unacceptable") with the given chance, else the better side by P(a beats b) =
/// 1 / (1 + 10^((r_b − r_a)/400)).</summary>
static class SyntheticVotes
{
    public static List<PairwiseVote> Generate(int seed, IReadOnlyList<double> ratings, int cases, double pairChance = 1, double tieChance = 0)
    {
        var random = new Random(seed);
        var votes = new List<PairwiseVote>();
        for (var c = 0; c < cases; c++)
            for (var i = 0; i < ratings.Count; i++)
                for (var j = i + 1; j < ratings.Count; j++)
                {
                    if (random.NextDouble() >= pairChance) continue;
                    var raters = Enumerable.Range(1, 5).OrderBy(_ => random.Next()).Take(random.Next(1, 4));
                    foreach (var rater in raters)
                    {
                        var (left, right) = random.Next(2) == 0 ? (i, j) : (j, i);
                        var leftWins = 1 / (1 + Math.Pow(10, (ratings[right] - ratings[left]) / 400));
                        var choice = random.NextDouble() < tieChance
                            ? random.Next(2) == 0 ? PairwiseChoice.Tie : PairwiseChoice.BothBad
                            : random.NextDouble() < leftWins ? PairwiseChoice.Left : PairwiseChoice.Right;
                        votes.Add(new PairwiseVote($"case{c}", $"rater{rater}", Name(left), Name(right), choice));
                    }
                }
        return votes;
    }

    public static string Name(int model) => $"model-{(char)('a' + model)}";

    /// <summary>Every vote with its sides swapped (and its choice with them).</summary>
    public static List<PairwiseVote> Swapped(IEnumerable<PairwiseVote> votes) => votes.Select(v => v with
    {
        Left = v.Right,
        Right = v.Left,
        Choice = v.Choice switch { PairwiseChoice.Left => PairwiseChoice.Right, PairwiseChoice.Right => PairwiseChoice.Left, var same => same },
    }).ToList();
}
