using MathNet.Numerics;

namespace GradeBench.Core.Tests.Judges;

/// <summary>An independent implementation of the alt-test, written from the paper (Calderon, Reichart &amp; Dror 2025,
/// §3 and Algorithm 1) with plain dictionaries and loops, sharing no code with Core: the t distribution's CDF comes
/// from the regularized incomplete beta function, and the Benjamini–Yekutieli cut is found from the largest rank down.</summary>
static class ReferenceAltTest
{
    public sealed record Human(string Id, int Instances, double? P, bool Rejected, double? Rho);

    public sealed record Outcome(List<Human> Humans, double? Omega, double? Rho);

    /// <param name="humans">Physician → (response → value).</param>
    /// <param name="judge">Response → the judge's value.</param>
    /// <param name="score">The alignment score of one value against the others' values.</param>
    public static Outcome Run(Dictionary<string, Dictionary<string, double>> humans, Dictionary<string, double> judge,
        Func<double, List<double>, double> score, double epsilon, double q, int minInstances)
    {
        var rows = new List<(string Id, int N, double? P, double? Rho)>();
        foreach (var (j, own) in humans)
        {
            var d = new List<double>();
            var judgeWins = new List<double>();
            foreach (var (response, value) in own)
            {
                if (!judge.TryGetValue(response, out var judgeValue)) continue;
                var others = humans.Where(h => h.Key != j && h.Value.ContainsKey(response)).Select(h => h.Value[response]).ToList();
                if (others.Count == 0) continue;
                var sJudge = score(judgeValue, others);
                var sHuman = score(value, others);
                double wJudge = sJudge >= sHuman ? 1 : 0, wHuman = sHuman >= sJudge ? 1 : 0;
                d.Add(wHuman - wJudge);
                judgeWins.Add(wJudge);
            }
            if (d.Count < minInstances)
            {
                rows.Add((j, d.Count, null, null));
                continue;
            }
            rows.Add((j, d.Count, PValue(d, epsilon), judgeWins.Average()));
        }

        var tested = rows.Where(r => r.P is not null).OrderBy(r => r.P!.Value).ToList();
        var m = tested.Count;
        var c = Enumerable.Range(1, Math.Max(m, 1)).Sum(i => 1.0 / i);
        var k = 0;
        for (var i = m; i >= 1; i--)
            if (tested[i - 1].P!.Value <= i * q / (m * c))
            {
                k = i;
                break;
            }
        var rejected = tested.Take(k).Select(r => r.Id).ToHashSet();
        var result = rows.Select(r => new Human(r.Id, r.N, r.P, rejected.Contains(r.Id), r.Rho)).ToList();
        return m == 0
            ? new Outcome(result, null, null)
            : new Outcome(result, (double)k / m, tested.Average(r => r.Rho!.Value));
    }

    /// <summary>P(T ≤ t) for T ~ t(n − 1), t = (mean − ε)/(s/√n), through I_x(ν/2, 1/2) with x = ν/(ν + t²).</summary>
    static double PValue(List<double> d, double epsilon)
    {
        var n = d.Count;
        var mean = d.Sum() / n;
        var s = Math.Sqrt(d.Sum(x => (x - mean) * (x - mean)) / (n - 1));
        if (s == 0) return mean < epsilon ? 0 : 1;
        var t = (mean - epsilon) / (s / Math.Sqrt(n));
        double nu = n - 1;
        var tail = 0.5 * SpecialFunctions.BetaRegularized(nu / 2, 0.5, nu / (nu + t * t));
        return t < 0 ? tail : 1 - tail;
    }

    public static double Accuracy(double value, List<double> others) => others.Count(o => o == value) / (double)others.Count;

    public static double NegRmse(double value, List<double> others) =>
        -Math.Sqrt(others.Select(o => (value - o) * (value - o)).Sum() / others.Count);
}
