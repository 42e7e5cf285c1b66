using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace GradeBench.Core.Grading;

/// <summary>Which responses physicians rate when an LLM judge rates them all (study.json's <c>human_subset</c>,
/// docs/assignment.md): of each model's responses, a <see cref="Fraction"/> (rounded up) or a <see cref="Count"/> (all of a
/// model with fewer), drawn at random but reproducibly, seeded with the study's id.</summary>
/// <remarks>
/// <para>The draw is stratified by model. Each response's key is the first 8 bytes, read little-endian, of SHA-256
/// (FIPS 180-4) of the UTF-8 text <c>"{study id}/{response id}"</c> (both as in the bundle, e.g.
/// <c>"stroke-llm-synthetic-demo/case-001.model-a"</c>); a model's responses are taken in ascending key order (ties,
/// which SHA-256 makes improbable, by response id). Sorting by independent uniform keys takes every subset of a given
/// size with equal probability (Knuth, TAOCP vol. 2, §3.4.2), and the subset depends on the bundle alone: the same
/// bundle draws the same responses in any database, and anyone can recompute it.</para>
/// <para>Responses added later (a batch on the set-up page) keep what was drawn: a model's target is recomputed over all
/// its responses, and the responses it still lacks are drawn from the new ones in the same key order.</para>
/// </remarks>
public sealed record HumanSubset
{
    HumanSubset(decimal? fraction, int? count) => (Fraction, Count) = (fraction, count);

    /// <summary>The share of each model's responses, in (0, 1]; null when a <see cref="Count"/> is given.</summary>
    public decimal? Fraction { get; }

    /// <summary>How many responses of each model, at least 1; null when a <see cref="Fraction"/> is given.</summary>
    public int? Count { get; }

    public static HumanSubset OfFraction(decimal fraction) =>
        fraction is > 0 and <= 1 ? new(fraction, null) : throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "A fraction is in (0, 1].");

    public static HumanSubset OfCount(int count) =>
        count >= 1 ? new(null, count) : throw new ArgumentOutOfRangeException(nameof(count), count, "A count is at least 1.");

    /// <summary>The rule as study.json writes it: a number with a decimal point or an exponent is a fraction
    /// (<c>0.25</c>, <c>1.0</c>), a whole number without one is a count (<c>40</c>); null when it is neither or out of range.</summary>
    public static HumanSubset? Parse(string number)
    {
        if (number.AsSpan().IndexOfAny(".eE") < 0)
            return int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count >= 1 ? OfCount(count) : null;
        return decimal.TryParse(number, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var fraction)
            && fraction is > 0 and <= 1 ? OfFraction(fraction) : null;
    }

    /// <summary>The stored and exported form, which <see cref="Parse"/> reads back: <c>0.25</c>, <c>1.0</c> or <c>40</c>.</summary>
    public override string ToString() => Count is { } count ? count.ToString(CultureInfo.InvariantCulture)
        : Fraction!.Value.ToString(Fraction.Value.Scale == 0 ? "0.0" : "G", CultureInfo.InvariantCulture);

    /// <summary>How many of a model's <paramref name="responses"/> physicians rate: ⌈fraction × n⌉, or min(count, n).</summary>
    public int Target(int responses) => Count is { } count ? Math.Min(count, responses) : (int)Math.Ceiling(Fraction!.Value * responses);

    /// <summary>The sort key of a response in the draw: SHA-256 of UTF-8 <c>"{studyId}/{responseId}"</c>, first 8 bytes little-endian.</summary>
    public static ulong Key(string studyId, string responseId)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{studyId}/{responseId}"), hash);
        return BinaryPrimitives.ReadUInt64LittleEndian(hash);
    }

    /// <summary>Which of the <paramref name="candidates"/> (responses not drawn for or against yet) physicians rate, so
    /// that each model has its <see cref="Target"/> over all its responses; those already chosen stay chosen.</summary>
    /// <param name="responses">Every response of the study, the candidates included: its bundle id, model and whether it
    /// is in the subset already (always false for a candidate).</param>
    public IReadOnlySet<string> Choose(string studyId, IReadOnlyCollection<(string Id, string Model, bool Chosen)> responses, IReadOnlySet<string> candidates)
    {
        ArgumentNullException.ThrowIfNull(responses);
        ArgumentNullException.ThrowIfNull(candidates);
        var chosen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var model in responses.GroupBy(r => r.Model, StringComparer.Ordinal))
        {
            var lacking = Target(model.Count()) - model.Count(r => r.Chosen);
            chosen.UnionWith(model.Where(r => candidates.Contains(r.Id))
                .OrderBy(r => Key(studyId, r.Id)).ThenBy(r => r.Id, StringComparer.Ordinal)
                .Take(Math.Max(0, lacking)).Select(r => r.Id));
        }
        return chosen;
    }
}
