using GradeBench.Core.Messages;

namespace GradeBench.Core.Pairwise;

/// <summary>A Bradley–Terry fit: each model's strength β (log10-odds units, Σβ = 0), or why the maximum-likelihood
/// estimate does not exist.</summary>
public sealed record BradleyTerryFit(IReadOnlyList<double>? Strengths, Message? Reason)
{
    /// <summary>The model's rating on the Arena scale, 1000 + 400·β; null when the fit has no estimate.</summary>
    public double? Rating(int model) => Strengths is { } strengths ? BradleyTerry.Rating(strengths[model]) : null;
}

/// <summary>The Bradley–Terry model (Bradley &amp; Terry 1952) on the Arena scale of Chiang et al. (2024):
/// P(a beats b) = 1 / (1 + 10^((r_b − r_a)/400)) with r = 1000 + 400·β, so β_a − β_b = log10 of the odds that a beats
/// b, and Σβ = 0 makes the mean rating 1000. Fitted by maximum likelihood with Newton's method on the log-likelihood
/// (step halving along the Newton direction, stopping when the full Newton step moves no strength by more than
/// 10⁻¹⁰ natural-log units). The estimate exists exactly when the graph "a beat or tied b" is strongly connected
/// (Ford 1957; Hunter 2004, Assumption 1): otherwise some group of models never lost (or never won) against the rest
/// and its strength would run off to infinity. docs/designs.md, "Side-by-side (pairwise) studies: statistics".</summary>
public static class BradleyTerry
{
    public const double CentreRating = 1000;
    public const double PointsPerLog10Odds = 400;

    /// <summary>Newton stops once its full step changes no natural-log strength by more than this (≈ 1.7·10⁻⁸ rating
    /// points); Newton's convergence is quadratic near the optimum, so the error left after that step is far smaller.</summary>
    internal const double Tolerance = 1e-10;

    // Damped Newton on a strictly concave log-likelihood converges from any start; the first steps from 0 towards
    // strengths far apart take the longest, about one per unit of natural-log odds. A run this long is a bug.
    const int MaxIterations = 500;
    const int MaxHalvings = 60;

    public static double Rating(double strength) => CentreRating + PointsPerLog10Odds * strength;

    /// <summary>The maximum-likelihood strengths of <paramref name="models"/> from <paramref name="wins"/>: an m × m
    /// matrix, <c>wins[i * m + j]</c> = how many comparisons model i won against model j, a tie counting ½ to each.
    /// Wins may be fractional (bootstrap weights, halves).</summary>
    public static BradleyTerryFit Fit(IReadOnlyList<string> models, ReadOnlySpan<double> wins)
    {
        ArgumentNullException.ThrowIfNull(models);
        var m = models.Count;
        if (wins.Length != m * m) throw new ArgumentException("wins must be a models × models matrix", nameof(wins));
        foreach (var w in wins)
            if (!double.IsFinite(w) || w < 0) throw new ArgumentException("wins must be finite and non-negative", nameof(wins));
        if (Obstacle(models, wins) is { } reason) return new(null, reason);
        var strengths = new double[m];
        Solve(m, wins, strengths);
        return new(strengths, null);
    }

    /// <summary>Whether every model can be reached from every other along "beat or tied" edges (wins[i, j] &gt; 0), the
    /// condition for the estimate to exist.</summary>
    internal static bool IsStronglyConnected(int m, ReadOnlySpan<double> wins)
    {
        if (m == 0) return true;
        Span<bool> seen = m <= 512 ? stackalloc bool[m] : new bool[m];
        return Reach(m, wins, 0, forward: true, seen) == m && Reach(m, wins, 0, forward: false, seen) == m;
    }

    /// <summary>How many models start reaches along i → j edges where i beat or tied j (or, backwards, j → i).</summary>
    static int Reach(int m, ReadOnlySpan<double> wins, int start, bool forward, Span<bool> seen)
    {
        seen.Clear();
        Span<int> queue = m <= 512 ? stackalloc int[m] : new int[m];
        int head = 0, tail = 0;
        queue[tail++] = start;
        seen[start] = true;
        while (head < tail)
        {
            var i = queue[head++];
            for (var j = 0; j < m; j++)
                if (!seen[j] && (forward ? wins[i * m + j] : wins[j * m + i]) > 0)
                {
                    seen[j] = true;
                    queue[tail++] = j;
                }
        }
        return tail;
    }

    /// <summary>Why the estimate does not exist, or null when it does: two groups of models never compared (directly or
    /// through others), or else the smallest group that never lost (or never won) against the rest, ties included.</summary>
    internal static Message? Obstacle(IReadOnlyList<string> models, ReadOnlySpan<double> wins)
    {
        var m = models.Count;
        if (IsStronglyConnected(m, wins)) return null;
        var compared = new double[m * m];
        for (var i = 0; i < m; i++)
            for (var j = 0; j < m; j++) compared[i * m + j] = wins[i * m + j] + wins[j * m + i];
        var seen = new bool[m];
        if (Reach(m, compared, 0, forward: true, seen) < m)
            return PairwiseReason.NotCompared(Names(models, i => seen[i]), Names(models, i => !seen[i]));

        var reaches = new bool[m][];
        for (var i = 0; i < m; i++)
        {
            reaches[i] = new bool[m];
            Reach(m, wins, i, forward: true, reaches[i]);
        }
        (bool[] Members, bool NeverLost)? smallest = null;
        for (var i = 0; i < m; i++)
        {
            // The strongly connected component of i, taken once, at its first member.
            var members = Enumerable.Range(0, m).Select(j => reaches[i][j] && reaches[j][i]).ToArray();
            if (Array.IndexOf(members, true) != i) continue;
            var size = members.Count(x => x);
            var neverLost = true;
            var neverWon = true;
            for (var s = 0; s < m; s++)
                for (var k = 0; k < m; k++)
                    if (members[s] && !members[k])
                    {
                        if (wins[k * m + s] > 0) neverLost = false;
                        if (wins[s * m + k] > 0) neverWon = false;
                    }
            if ((neverLost || neverWon) && (smallest is null || size < smallest.Value.Members.Count(x => x)))
                smallest = (members, neverLost);
        }
        var (group, lost) = smallest!.Value;
        var names = Names(models, i => group[i]);
        return lost ? PairwiseReason.NeverLost(names) : PairwiseReason.NeverWon(names);
    }

    static List<string> Names(IReadOnlyList<string> models, Func<int, bool> chosen) =>
        Enumerable.Range(0, models.Count).Where(chosen).Select(i => models[i]).ToList();

    /// <summary>Newton's method on the log-likelihood ℓ(θ) = Σ_{i≠j} w_ij log σ(θ_i − θ_j) in natural-log strengths θ,
    /// from θ = 0. The gradient is g_i = W_i − Σ_j n_ij σ(θ_i − θ_j) (wins minus expected wins) and −∇²ℓ is the weighted
    /// Laplacian L of the comparison graph (weights n_ij p_ij (1 − p_ij)); L is singular along 1 (only differences are
    /// identified), so the step solves (L + 11ᵀ) Δ = g, which, as Σ g = 0, is the Newton step with Σ Δ = 0. The step is
    /// halved until ℓ still rises at its end (the slope along Δ is not negative), which for a concave ℓ guarantees a
    /// rise of at least half the best along Δ. Needs a strongly connected win graph.</summary>
    internal static void Solve(int m, ReadOnlySpan<double> wins, Span<double> strengths)
    {
        var pairs = new List<(int I, int J, double Wins, double Comparisons)>();
        for (var i = 0; i < m; i++)
            for (var j = i + 1; j < m; j++)
                if (wins[i * m + j] + wins[j * m + i] is var n and > 0) pairs.Add((i, j, wins[i * m + j], n));
        var theta = new double[m];
        var gradient = new double[m];
        var step = new double[m];
        var system = new double[m * m];
        for (var iteration = 0; iteration < MaxIterations; iteration++)
        {
            Array.Clear(gradient);
            Array.Fill(system, 1.0);
            foreach (var (i, j, won, n) in pairs)
            {
                var p = Logistic(theta[i] - theta[j]);
                var residual = won - n * p;
                gradient[i] += residual;
                gradient[j] -= residual;
                var information = n * p * (1 - p);
                system[i * m + i] += information;
                system[j * m + j] += information;
                system[i * m + j] -= information;
                system[j * m + i] -= information;
            }
            CholeskySolve(m, system, gradient, step);
            var largest = 0.0;
            foreach (var s in step) largest = Math.Max(largest, Math.Abs(s));
            if (largest <= Tolerance)
            {
                for (var i = 0; i < m; i++) theta[i] += step[i];
                var mean = theta.DefaultIfEmpty().Average();
                for (var i = 0; i < m; i++) strengths[i] = (theta[i] - mean) / Math.Log(10);
                return;
            }
            var t = 1.0;
            for (var halving = 0; halving < MaxHalvings && Slope(pairs, theta, step, t) < 0; halving++) t /= 2;
            for (var i = 0; i < m; i++) theta[i] += t * step[i];
        }
        throw new InvalidOperationException($"Bradley–Terry: Newton's method did not converge in {MaxIterations} iterations.");
    }

    /// <summary>dℓ(θ + tΔ)/dt: the gradient at θ + tΔ along Δ.</summary>
    static double Slope(List<(int I, int J, double Wins, double Comparisons)> pairs, double[] theta, double[] step, double t)
    {
        var slope = 0.0;
        foreach (var (i, j, won, n) in pairs)
        {
            var p = Logistic(theta[i] + t * step[i] - theta[j] - t * step[j]);
            slope += (won - n * p) * (step[i] - step[j]);
        }
        return slope;
    }

    /// <summary>σ(x) = 1 / (1 + e^−x), without overflow for large |x|.</summary>
    static double Logistic(double x)
    {
        if (x >= 0) return 1 / (1 + Math.Exp(-x));
        var e = Math.Exp(x);
        return e / (1 + e);
    }

    /// <summary>Solves A x = b for a symmetric positive definite A (row-major, overwritten by its Cholesky factor).</summary>
    static void CholeskySolve(int m, double[] a, double[] b, double[] x)
    {
        for (var j = 0; j < m; j++)
        {
            var diagonal = a[j * m + j];
            for (var k = 0; k < j; k++) diagonal -= a[j * m + k] * a[j * m + k];
            if (!(diagonal > 0)) throw new InvalidOperationException("Bradley–Terry: the information matrix is not positive definite.");
            var root = Math.Sqrt(diagonal);
            a[j * m + j] = root;
            for (var i = j + 1; i < m; i++)
            {
                var sum = a[i * m + j];
                for (var k = 0; k < j; k++) sum -= a[i * m + k] * a[j * m + k];
                a[i * m + j] = sum / root;
            }
        }
        for (var i = 0; i < m; i++)
        {
            var sum = b[i];
            for (var k = 0; k < i; k++) sum -= a[i * m + k] * x[k];
            x[i] = sum / a[i * m + i];
        }
        for (var i = m - 1; i >= 0; i--)
        {
            var sum = x[i];
            for (var k = i + 1; k < m; k++) sum -= a[k * m + i] * x[k];
            x[i] = sum / a[i * m + i];
        }
    }
}
