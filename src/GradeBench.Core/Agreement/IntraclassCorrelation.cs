using GradeBench.Core.Messages;
using MathNet.Numerics;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.RootFinding;

namespace GradeBench.Core.Agreement;

/// <summary>The two-way ANOVA of a complete units × raters table of numbers (n units, k raters): the mean squares
/// between units (MSR, n − 1 df), between raters (MSC, k − 1 df), residual (MSE, (n − 1)(k − 1) df) and within
/// units (MSW = (SSC + SSE) / (n(k − 1)), the one-way error term).</summary>
public readonly record struct IntraclassMeanSquares(int Units, int Raters, double Msr, double Msc, double Mse, double Msw);

/// <summary>The six intraclass correlations of Shrout &amp; Fleiss (1979), each with its F-based 95% confidence
/// interval, and the mean squares they come from (null when the data do not allow the ANOVA).
/// McGraw &amp; Wong (1996) names: Icc1 = ICC(1), Icc2 = ICC(A,1), Icc3 = ICC(C,1), Icc1k = ICC(k),
/// Icc2k = ICC(A,k), Icc3k = ICC(C,k).</summary>
public sealed record IntraclassCorrelationResult(
    Estimate Icc1, Estimate Icc2, Estimate Icc3, Estimate Icc1k, Estimate Icc2k, Estimate Icc3k,
    IntraclassMeanSquares? MeanSquares);

/// <summary>Intraclass correlation coefficients ICC(1,1), ICC(2,1), ICC(3,1), ICC(1,k), ICC(2,k), ICC(3,k) from the
/// two-way ANOVA mean squares of complete numeric ratings:
/// <list type="bullet">
/// <item>ICC(1,1) = (MSR − MSW) / (MSR + (k − 1)MSW); ICC(1,k) = (MSR − MSW) / MSR (one-way random).</item>
/// <item>ICC(2,1) = (MSR − MSE) / (MSR + (k − 1)MSE + k(MSC − MSE)/n); ICC(2,k) = (MSR − MSE) / (MSR + (MSC − MSE)/n)
/// (two-way random, absolute agreement).</item>
/// <item>ICC(3,1) = (MSR − MSE) / (MSR + (k − 1)MSE); ICC(3,k) = (MSR − MSE) / MSR (two-way mixed, consistency).</item>
/// </list>
/// Confidence intervals (95%, two-sided) are those of Shrout &amp; Fleiss (1979) and McGraw &amp; Wong (1996, Table 7):
/// exact F intervals for cases 1 and 3; for case 2, Satterthwaite's approximate degrees of freedom v evaluated at the
/// single-measure estimate, for ICC(2,1) and ICC(2,k) alike (the ICC(2,k) limits are then the Spearman–Brown
/// transforms of the ICC(2,1) limits, as in R psych::ICC and DescTools::ICC).
/// References: Shrout, P. E., &amp; Fleiss, J. L. (1979). Intraclass correlations: uses in assessing rater
/// reliability. Psychological Bulletin, 86(2), 420–428. McGraw, K. O., &amp; Wong, S. P. (1996). Forming inferences
/// about some intraclass correlation coefficients. Psychological Methods, 1(1), 30–46; correction, 1(4), 390.</summary>
public static class IntraclassCorrelation
{
    const double Upper = 0.975; // two-sided 95%: each tail holds 2.5%

    /// <summary>All six ICCs of the ratings. The values are the categories' numbers
    /// (<see cref="RatingMatrix.CategoryValues"/>), not their positions; every rater must rate every unit.
    /// Cost: two passes over the units × raters cells.</summary>
    public static IntraclassCorrelationResult Compute(RatingMatrix ratings)
    {
        if (Precondition(ratings) is { } reason) return AllAbsent(reason, null);
        var ms = MeanSquares(ratings);
        if (ms.Msr == 0 && ms.Msw == 0)
            return AllAbsent(AbsentReason.IccNoVariation, ms);
        return new IntraclassCorrelationResult(Icc1(ms), Icc2(ms), Icc3(ms), Icc1k(ms), Icc2k(ms), Icc3k(ms), ms);
    }

    static Message? Precondition(RatingMatrix ratings)
    {
        if (ratings.CategoryValues is null) return AbsentReason.IccNeedsNumbers;
        if (ratings.UnitCount < 2) return AbsentReason.IccNeedsTwoUnits;
        if (ratings.RaterCount < 2) return AbsentReason.IccNeedsTwoRaters;
        if (!ratings.IsComplete)
        {
            var cells = ratings.UnitCount * ratings.RaterCount;
            return AbsentReason.IccNeedsCompleteData(cells - ratings.RatingCount, cells);
        }
        return null;
    }

    static IntraclassCorrelationResult AllAbsent(Message reason, IntraclassMeanSquares? ms)
    {
        var absent = Estimate.Absent(reason);
        return new(absent, absent, absent, absent, absent, absent, ms);
    }

    /// <summary>The mean squares of the two-way ANOVA without replication. The values are centred on one of them
    /// and the sums of squares are summed from deviations (not as differences of raw sums of squares),
    /// so that perfect agreement leaves a residual of zero rather than cancellation error; a sum of squares below
    /// n·k·(10⁻¹² × the range of the values)², far under any real difference and far above rounding error, is taken
    /// as exactly zero, so that rounding cannot turn an undefined ICC into a huge finite one.</summary>
    internal static IntraclassMeanSquares MeanSquares(RatingMatrix ratings)
    {
        int n = ratings.UnitCount, k = ratings.RaterCount;
        var values = ratings.CategoryValues ?? throw new ArgumentException("the ratings are not numeric");
        if (!ratings.IsComplete) throw new ArgumentException("the ratings are not complete");
        if (n < 2 || k < 2) throw new ArgumentException("the ANOVA needs at least two units and two raters");

        // Any value used will do as the origin: centred there, every value lies within the range of the values.
        var origin = values[ratings.Category(0, 0)];
        double low = 0, high = 0;
        var unitMeans = new double[n];
        var raterEffects = new double[k];
        var total = 0.0;
        for (var u = 0; u < n; u++)
        {
            var row = ratings.UnitRow(u);
            var sum = 0.0;
            for (var r = 0; r < row.Length; r++)
            {
                var x = values[row[r]] - origin;
                if (x < low) low = x;
                if (x > high) high = x;
                sum += x;
                raterEffects[r] += x;
            }
            unitMeans[u] = sum / k;
            total += sum;
        }
        var grand = total / ((double)n * k);
        var range = high - low;
        for (var r = 0; r < k; r++) raterEffects[r] = raterEffects[r] / n - grand;

        double ssr = 0, ssc = 0, ssw = 0, sse = 0;
        for (var r = 0; r < k; r++) ssc += raterEffects[r] * raterEffects[r];
        for (var u = 0; u < n; u++)
        {
            var row = ratings.UnitRow(u);
            var mean = unitMeans[u];
            var unitEffect = mean - grand;
            ssr += unitEffect * unitEffect;
            for (var r = 0; r < row.Length; r++)
            {
                var within = values[row[r]] - origin - mean;
                ssw += within * within;
                var residual = within - raterEffects[r];
                sse += residual * residual;
            }
        }
        ssr *= k;
        ssc *= n;
        var noise = (double)n * k * (1e-12 * range) * (1e-12 * range);
        return new IntraclassMeanSquares(n, k,
            Msr: Clean(ssr, noise) / (n - 1),
            Msc: Clean(ssc, noise) / (k - 1),
            Mse: Clean(sse, noise) / ((double)(n - 1) * (k - 1)),
            Msw: Clean(ssw, noise) / ((double)n * (k - 1)));
    }

    static double Clean(double sumOfSquares, double noise) => sumOfSquares <= noise ? 0 : sumOfSquares;

    // Case 1 (one-way random): F = MSR/MSW on (n − 1, n(k − 1)) df.
    static Estimate Icc1(IntraclassMeanSquares m)
    {
        var k = m.Raters;
        var value = (m.Msr - m.Msw) / (m.Msr + (k - 1) * m.Msw); // denominator > 0 once there is any variation
        var ci = ExactInterval(m.Msr, m.Msw, m.Units - 1, (double)m.Units * (k - 1), f => SingleFromF(f, k));
        return Estimate.Of(value, ci);
    }

    static Estimate Icc1k(IntraclassMeanSquares m)
    {
        if (m.Msr == 0) return UnitsDoNotDiffer("ICC(1,k)");
        var value = (m.Msr - m.Msw) / m.Msr;
        var ci = ExactInterval(m.Msr, m.Msw, m.Units - 1, (double)m.Units * (m.Raters - 1), AverageFromF);
        return Estimate.Of(value, ci);
    }

    // Case 3 (two-way mixed, consistency): F = MSR/MSE on (n − 1, (n − 1)(k − 1)) df.
    static Estimate Icc3(IntraclassMeanSquares m)
    {
        var k = m.Raters;
        var denominator = m.Msr + (k - 1) * m.Mse;
        if (denominator == 0)
            return Estimate.Absent(AbsentReason.Icc31Undefined);
        var value = (m.Msr - m.Mse) / denominator;
        var ci = ExactInterval(m.Msr, m.Mse, m.Units - 1, (double)(m.Units - 1) * (k - 1), f => SingleFromF(f, k));
        return Estimate.Of(value, ci);
    }

    static Estimate Icc3k(IntraclassMeanSquares m)
    {
        if (m.Msr == 0) return UnitsDoNotDiffer("ICC(3,k)");
        var value = (m.Msr - m.Mse) / m.Msr;
        var ci = ExactInterval(m.Msr, m.Mse, m.Units - 1, (double)(m.Units - 1) * (m.Raters - 1), AverageFromF);
        return Estimate.Of(value, ci);
    }

    // Case 2 (two-way random, absolute agreement).
    static Estimate Icc2(IntraclassMeanSquares m)
    {
        if (Icc2Single(m) is not { } rho)
            return Estimate.Absent(AbsentReason.Icc21Undefined);
        return Estimate.Of(rho, Icc2Interval(m, rho, average: false));
    }

    static Estimate Icc2k(IntraclassMeanSquares m)
    {
        var denominator = m.Msr + (m.Msc - m.Mse) / m.Units;
        if (!ClearlyPositive(denominator, m.Msr + (m.Msc + m.Mse) / m.Units))
            return Estimate.Absent(AbsentReason.Icc2kUndefined);
        var value = (m.Msr - m.Mse) / denominator;
        var ci = Icc2Single(m) is { } rho ? Icc2Interval(m, rho, average: true) : null;
        return Estimate.Of(value, ci);
    }

    static double? Icc2Single(IntraclassMeanSquares m)
    {
        int n = m.Units, k = m.Raters;
        var denominator = m.Msr + (k - 1) * m.Mse + k * (m.Msc - m.Mse) / n;
        var scale = m.Msr + (k - 1) * m.Mse + k * (m.Msc + m.Mse) / n;
        return ClearlyPositive(denominator, scale) ? (m.Msr - m.Mse) / denominator : null;
    }

    /// <summary>McGraw &amp; Wong (1996) Table 7, ICC(A,1) and ICC(A,k): Satterthwaite's
    /// v = (a·MSC + b·MSE)² / ((a·MSC)²/(k − 1) + (b·MSE)²/((n − 1)(k − 1))) with a = kρ̂/(n(1 − ρ̂)),
    /// b = 1 + kρ̂(n − 1)/(n(1 − ρ̂)) at the single-measure estimate ρ̂ = ICC(2,1) (Shrout &amp; Fleiss 1979), then
    /// F* = F(0.975; n − 1, v) and F*' = F(0.975; v, n − 1). The ICC(A,k) limits equal the Spearman–Brown transforms
    /// of the ICC(A,1) limits; they are computed directly because that transform is ill-conditioned near
    /// ρ = −1/(k − 1).</summary>
    static ConfidenceInterval? Icc2Interval(IntraclassMeanSquares m, double rho, bool average)
    {
        int n = m.Units, k = m.Raters;
        // ρ̂ = 1 only when MSE = MSC = 0: the F statistic is infinite and both limits collapse to 1.
        if (rho >= 1) return new ConfidenceInterval(1, 1);
        var a = k * rho / (n * (1 - rho));
        var b = 1 + k * rho * (n - 1) / (n * (1 - rho));
        var aMsc = a * m.Msc;
        var bMse = b * m.Mse;
        var v = (aMsc + bMse) * (aMsc + bMse) / (aMsc * aMsc / (k - 1) + bMse * bMse / ((double)(n - 1) * (k - 1)));
        if (!(v > 0) || !double.IsFinite(v)) return null;
        var fLower = FQuantile(Upper, n - 1, v);
        var fUpper = FQuantile(Upper, v, n - 1);
        var raters = average ? m.Msc - m.Mse : k * m.Msc + ((double)k * n - k - n) * m.Mse;
        var ratersSize = average ? m.Msc + m.Mse : k * m.Msc + ((double)k * n - k - n) * m.Mse;
        // The ICC(A,k) lower limit tends to −∞ as its denominator falls to zero (the ICC(A,1) limit reaching
        // −1/(k − 1)) and is meaningless beyond; no interval is reported there rather than an infinite or
        // sign-flipped limit.
        var lowerDenominator = fLower * raters + n * m.Msr;
        var upperDenominator = raters + n * fUpper * m.Msr;
        if (!ClearlyPositive(lowerDenominator, fLower * ratersSize + n * m.Msr)
            || !ClearlyPositive(upperDenominator, ratersSize + n * fUpper * m.Msr))
            return null;
        var lower = n * (m.Msr - fLower * m.Mse) / lowerDenominator;
        var upper = n * (fUpper * m.Msr - m.Mse) / upperDenominator;
        return Finite(lower, upper);
    }

    /// <summary>Shrout &amp; Fleiss (1979) exact limits for cases 1 and 3: F_L = F / F(0.975; df1, df2),
    /// F_U = F · F(0.975; df2, df1), each mapped to the ICC scale.</summary>
    static ConfidenceInterval? ExactInterval(double msEffect, double msError, double df1, double df2,
        Func<double, double> toIcc)
    {
        var f = msEffect / msError; // +∞ when there is no error at all: both limits go to 1
        var lower = toIcc(f / FQuantile(Upper, df1, df2));
        var upper = toIcc(f * FQuantile(Upper, df2, df1));
        return Finite(lower, upper);
    }

    /// <summary>Whether a difference of mean squares is positive by more than rounding error: a denominator that is
    /// zero in exact arithmetic may come out as ±1e-16 of its terms, which would turn an undefined ICC into a huge
    /// one that depends on the order of the ratings.</summary>
    static bool ClearlyPositive(double difference, double sizeOfTerms) => difference > 1e-12 * sizeOfTerms;

    static double SingleFromF(double f, int k) => double.IsPositiveInfinity(f) ? 1 : (f - 1) / (f + k - 1);

    static double AverageFromF(double f) => 1 - 1 / f;

    static ConfidenceInterval? Finite(double lower, double upper) =>
        double.IsFinite(lower) && double.IsFinite(upper) ? new ConfidenceInterval(lower, upper) : null;

    static Estimate UnitsDoNotDiffer(string name) => Estimate.Absent(AbsentReason.UnitsDoNotDiffer(name));

    /// <summary>The p-quantile of the F(d1, d2) distribution, through X ~ F(d1, d2) ⇔ B = d1·X/(d1·X + d2) ~
    /// Beta(d1/2, d2/2), so X = d2·B/(d1·(1 − B)). MathNet's FisherSnedecor.InvCDF searches only [0, 1000] and throws
    /// beyond it, which the upper limits reach with one denominator degree of freedom (two units) or a
    /// Satterthwaite v below 1. Beta.InvCDF finds B to an absolute 1e-12, too coarse when B or 1 − B is tiny, so the
    /// smaller of the two (1 − B ~ Beta(d2/2, d1/2)) is solved again on a log scale, keeping its relative
    /// precision.</summary>
    internal static double FQuantile(double p, double d1, double d2)
    {
        var b = Beta.InvCDF(d1 / 2, d2 / 2, p);
        if (b <= 0.5)
        {
            var small = RefineBetaQuantile(d1 / 2, d2 / 2, p, b);
            return d2 * small / (d1 * (1 - small));
        }
        var c = RefineBetaQuantile(d2 / 2, d1 / 2, 1 - p, 1 - b);
        return d2 * (1 - c) / (d1 * c); // +∞ when c underflows
    }

    /// <summary>The p-quantile of Beta(a, b) near <paramref name="guess"/> (good to an absolute 1e-12), found again
    /// as a root in log x; 0 when it is below the smallest positive double.</summary>
    static double RefineBetaQuantile(double a, double b, double p, double guess)
    {
        double Excess(double logX) => SpecialFunctions.BetaRegularized(a, b, Math.Exp(logX)) - p;
        const double smallest = -745; // e^−745 is the smallest positive double
        if (Excess(smallest) >= 0) return 0;
        var high = Math.Log(Math.Min(1, guess + 1e-9));
        if (Excess(high) < 0) high = 0;
        return Brent.TryFindRoot(Excess, smallest, high, 1e-14, 500, out var root) ? Math.Exp(root) : double.NaN;
    }
}
