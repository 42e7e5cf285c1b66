namespace GradeBench.Core.Grading;

/// <summary>SplitMix64 (Steele, Lea &amp; Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014; the
/// constants of Vigna's reference <c>splitmix64.c</c>): the state advances by the odd constant
/// <c>γ = 0x9E3779B97F4A7C15</c> and each output is the state passed through a bijective 64-bit mixer. Because the
/// n-th output is <c>Mix(seed + n·γ)</c>, any element of the stream can be computed directly (<see cref="At"/>), and
/// distinct n (mod 2⁶⁴) give distinct outputs. Written out here rather than taken from <see cref="Random"/> so that
/// the sequence is fixed by this file, not by the runtime version.</summary>
internal struct SplitMix64(ulong seed)
{
    const ulong Gamma = 0x9E3779B97F4A7C15;

    ulong _state = seed;

    /// <summary>The next output: <c>Mix(state += γ)</c>.</summary>
    public ulong Next() => Mix(_state += Gamma);

    /// <summary>An integer in <c>[0, bound)</c> by Lemire's multiply-shift with rejection ("Fast random integer
    /// generation in an interval", ACM TOMACS 2019), so every value is equally likely.</summary>
    public int NextBelow(int bound)
    {
        if (bound <= 0) throw new ArgumentOutOfRangeException(nameof(bound), bound, "The bound must be positive.");
        var b = (ulong)bound;
        var high = Math.BigMul(Next(), b, out var low);
        if (low < b)
        {
            var threshold = (0 - b) % b;
            while (low < threshold) high = Math.BigMul(Next(), b, out low);
        }
        return (int)high;
    }

    /// <summary>The <paramref name="n"/>-th output (1-based) of the stream seeded with <paramref name="seed"/>.</summary>
    public static ulong At(ulong seed, ulong n) => Mix(seed + n * Gamma);

    /// <summary>The SplitMix64 output function (variant 13 of Stafford's mixers): a bijection of 64-bit words.</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }

    /// <summary>Fisher–Yates shuffle (Durstenfeld's in-place form, Knuth TAOCP vol. 2 §3.4.2 algorithm P): for
    /// i from the last index down to 1, swap element i with a uniform index in [0, i].</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (var i = items.Length - 1; i > 0; i--)
        {
            var j = NextBelow(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
