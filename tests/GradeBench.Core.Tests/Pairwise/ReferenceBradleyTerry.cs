using GradeBench.Core.Pairwise;

namespace GradeBench.Core.Tests.Pairwise;

/// <summary>An independent Bradley–Terry fit, sharing no code with Core: Hunter's (2004) MM algorithm, written from the
/// paper (his eq. 3) with plain dictionaries. Each step sets every strength to its wins over the sum, over its
/// comparisons, of 1 / (its strength + the opponent's), which raises the likelihood at every step; iterated until no
/// log-strength moves by more than 10⁻¹³. A tie or "both unacceptable" is half a win for each side.</summary>
static class ReferenceBradleyTerry
{
    /// <summary>The Arena ratings 1000 + 400·log10(γ) with the γ's geometric mean 1; only for votes whose estimate exists.</summary>
    public static Dictionary<string, double> Ratings(IEnumerable<PairwiseVote> votes)
    {
        var won = new Dictionary<string, double>();
        var met = new Dictionary<(string, string), double>();
        foreach (var vote in votes)
        {
            foreach (var model in new[] { vote.Left, vote.Right }) won.TryAdd(model, 0);
            met[(vote.Left, vote.Right)] = met.GetValueOrDefault((vote.Left, vote.Right)) + 1;
            met[(vote.Right, vote.Left)] = met.GetValueOrDefault((vote.Right, vote.Left)) + 1;
            switch (vote.Choice)
            {
                case PairwiseChoice.Left: won[vote.Left] += 1; break;
                case PairwiseChoice.Right: won[vote.Right] += 1; break;
                default: won[vote.Left] += 0.5; won[vote.Right] += 0.5; break;
            }
        }
        var gamma = won.Keys.ToDictionary(m => m, _ => 1.0);
        for (var iteration = 0; iteration < 5_000_000; iteration++)
        {
            var next = new Dictionary<string, double>();
            foreach (var i in gamma.Keys)
            {
                double denominator = 0;
                foreach (var ((a, b), n) in met)
                    if (a == i) denominator += n / (gamma[a] + gamma[b]);
                next[i] = won[i] / denominator;
            }
            var logMean = next.Values.Average(Math.Log);
            var change = 0.0;
            foreach (var i in gamma.Keys)
            {
                next[i] = Math.Exp(Math.Log(next[i]) - logMean);
                change = Math.Max(change, Math.Abs(Math.Log(next[i]) - Math.Log(gamma[i])));
            }
            gamma = next;
            if (change < 1e-13) break;
        }
        return gamma.ToDictionary(g => g.Key, g => 1000 + 400 * Math.Log10(g.Value));
    }

    /// <summary>Whether the estimate exists, by brute force over every proper subset S of the models: it does not when no
    /// model outside S ever beat or tied one inside (S would run off upwards).</summary>
    public static bool Exists(IReadOnlyCollection<PairwiseVote> votes)
    {
        var models = votes.SelectMany(v => new[] { v.Left, v.Right }).Distinct().ToList();
        var beatOrTied = new HashSet<(string, string)>();
        foreach (var v in votes)
        {
            if (v.Choice != PairwiseChoice.Right) beatOrTied.Add((v.Left, v.Right));
            if (v.Choice != PairwiseChoice.Left) beatOrTied.Add((v.Right, v.Left));
        }
        for (var set = 1; set < (1 << models.Count) - 1; set++)
        {
            bool Inside(int i) => (set >> i & 1) == 1;
            var enteredFromOutside = Enumerable.Range(0, models.Count).Any(k => !Inside(k)
                && Enumerable.Range(0, models.Count).Any(s => Inside(s) && beatOrTied.Contains((models[k], models[s]))));
            if (!enteredFromOutside) return false;
        }
        return true;
    }
}
