using System.Globalization;

namespace GradeBench.Core.Results;

/// <summary>An exact rational number <see cref="Numerator"/>/<see cref="Denominator"/> (denominator &gt; 0, lowest
/// terms, so equal values have equal parts) for values that are ranked or compared after they are computed: per-case
/// means of ratings and their differences. In floating point 8/3 − 0 and 11/3 − 1 differ in the last bit, and a rank
/// test then misses their tie. Arithmetic is checked: a result that does not fit in 64-bit parts throws
/// <see cref="OverflowException"/> rather than round; comparisons never overflow (128-bit cross products).</summary>
public readonly record struct Fraction : IComparable<Fraction>
{
    public long Numerator { get; }
    public long Denominator { get; }

    public Fraction(long numerator, long denominator = 1)
    {
        if (denominator == 0) throw new DivideByZeroException("A fraction's denominator cannot be 0.");
        if (denominator < 0) (numerator, denominator) = (checked(-numerator), checked(-denominator));
        var gcd = (long)Gcd(numerator, denominator);
        (Numerator, Denominator) = gcd > 1 ? (numerator / gcd, denominator / gcd) : (numerator, denominator);
    }

    public static readonly Fraction Zero = new(0);

    public int Sign => Math.Sign(Numerator);

    public Fraction Abs() => Numerator < 0 ? new Fraction(checked(-Numerator), Denominator) : this;

    public static Fraction operator +(Fraction a, Fraction b)
    {
        var gcd = (long)Gcd(a.Denominator, b.Denominator);
        var (aScale, bScale) = (b.Denominator / gcd, a.Denominator / gcd);
        return new Fraction(checked(a.Numerator * aScale + b.Numerator * bScale), checked(a.Denominator * aScale));
    }

    public static Fraction operator -(Fraction a) => new(checked(-a.Numerator), a.Denominator);

    public static Fraction operator -(Fraction a, Fraction b) => a + -b;

    public static Fraction operator /(Fraction a, long divisor) =>
        divisor == 0 ? throw new DivideByZeroException() : new Fraction(a.Numerator, checked(a.Denominator * divisor));

    public int CompareTo(Fraction other) =>
        ((Int128)Numerator * other.Denominator).CompareTo((Int128)other.Numerator * Denominator);

    public static bool operator <(Fraction a, Fraction b) => a.CompareTo(b) < 0;
    public static bool operator >(Fraction a, Fraction b) => a.CompareTo(b) > 0;
    public static bool operator <=(Fraction a, Fraction b) => a.CompareTo(b) <= 0;
    public static bool operator >=(Fraction a, Fraction b) => a.CompareTo(b) >= 0;

    /// <summary>The nearest double when both parts are below 2⁵³ (one rounding, of the division).</summary>
    public double ToDouble() => (double)Numerator / Denominator;

    /// <summary>The exact value of a number written in decimal (<c>4</c>, <c>-2.50</c>, <c>1.5E-3</c>); false when it
    /// is not a number or its exact value does not fit (more than 18 significant digits, or beyond ±9.2·10¹⁸).</summary>
    public static bool TryParse(string text, out Fraction value)
    {
        value = Zero;
        if (!decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)) return false;
        var scale = number.Scale;
        var mantissa = number * Pow10(scale);
        for (; scale > 0 && mantissa % 10 == 0; scale--) mantissa /= 10; // 2.50 is 25/10
        if (scale > 18 || mantissa is > long.MaxValue or < long.MinValue) return false;
        value = new Fraction((long)mantissa, (long)Pow10(scale));
        return true;
    }

    public override string ToString() =>
        Denominator == 1 ? Numerator.ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{Numerator}/{Denominator}");

    static decimal Pow10(int exponent)
    {
        var power = 1m;
        for (var i = 0; i < exponent; i++) power *= 10;
        return power;
    }

    static ulong Gcd(long a, long b)
    {
        // On magnitudes as unsigned, so that long.MinValue has one.
        ulong x = a < 0 ? (ulong)-(a + 1) + 1 : (ulong)a, y = b < 0 ? (ulong)-(b + 1) + 1 : (ulong)b;
        while (y != 0) (x, y) = (y, x % y);
        return x;
    }
}
