using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace GradeBench.Core.Grading;

/// <summary>The order in which a rater meets their assigned responses: a random order of its own for every (study,
/// rater), fixed for good, into which responses assigned later are slotted without moving the others. It is computed
/// from the responses' random <see cref="Studies.ResponseHandle"/>s, never from database or bundle ids, so it follows no
/// bundle order and a batch added later is interleaved with the rest.</summary>
/// <remarks>
/// <para>The responses are sorted by a per-(study, rater, handle) key instead of being shuffled as a list, so the
/// order of any two responses never depends on which other responses are in the queue: adding responses later only
/// interleaves them, and what the rater already saw keeps its relative order. Sorting n items by independent uniform
/// keys yields every order with equal probability, as a Fisher–Yates shuffle does (Knuth, TAOCP vol. 2, §3.4.2).</para>
/// <para><see cref="Seed"/>: the first 8 bytes, read little-endian, of SHA-256 (FIPS 180-4) of the UTF-8 text
/// <c>"{studyId}/{raterId}"</c> in invariant decimal digits, e.g. <c>"7/1001"</c>. <see cref="Key"/>: the
/// <c>h</c>-th output of SplitMix64 (Steele, Lea &amp; Flood 2014) seeded with that seed, where <c>h</c> is the handle's
/// 64-bit value, i.e. <c>Mix(seed + h·0x9E3779B97F4A7C15)</c> with SplitMix64's finalizer — a bijection of the handle,
/// so two responses of a study (whose handles differ) never tie. The seed is public; the secret is the handle, drawn at
/// random, so two imports of one bundle give different orders. Both are fixed by this file (no <see cref="Random"/>, no
/// <see cref="string.GetHashCode()"/>), so orders survive restarts and runtime upgrades.</para>
/// </remarks>
public static class QueueOrder
{
    /// <summary>The seed of a rater's order in a study: SHA-256 of UTF-8 <c>"{studyId}/{raterId}"</c>, first 8 bytes
    /// little-endian.</summary>
    public static ulong Seed(long studyId, long raterId)
    {
        Span<byte> text = stackalloc byte[48];
        var length = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{studyId}/{raterId}"), text);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(text[..length], hash);
        return BinaryPrimitives.ReadUInt64LittleEndian(hash);
    }

    /// <summary>The sort key of a response in the order seeded with <paramref name="seed"/>: SplitMix64's output
    /// number <paramref name="handle"/> (a handle's value), <c>Mix(seed + handle·γ)</c>. Distinct handles give distinct keys.</summary>
    public static ulong Key(ulong seed, ulong handle) => SplitMix64.At(seed, handle);

    /// <summary>The key of <see cref="Key"/> with its top bit flipped and read as signed, so that it sorts the same as
    /// a signed 64-bit integer (a database column such as <c>assignments.queue_position</c>); positions of responses
    /// assigned later fall between the existing ones, so nothing is renumbered.</summary>
    public static long Position(long studyId, long raterId, string handle) =>
        Position(Seed(studyId, raterId), Studies.ResponseHandle.Value(handle));

    /// <inheritdoc cref="Position(long, long, string)"/>
    public static long Position(ulong seed, ulong handle) => unchecked((long)(Key(seed, handle) ^ 0x8000_0000_0000_0000));

    /// <summary>The rater's responses in queue order: <paramref name="handles"/> sorted by <see cref="Key"/>.</summary>
    public static string[] Order(long studyId, long raterId, IEnumerable<string> handles)
    {
        ArgumentNullException.ThrowIfNull(handles);
        var ordered = handles.ToArray();
        var seed = Seed(studyId, raterId);
        var keys = new ulong[ordered.Length];
        for (var i = 0; i < ordered.Length; i++) keys[i] = Key(seed, Studies.ResponseHandle.Value(ordered[i]));
        Array.Sort(keys, ordered);
        return ordered;
    }
}
