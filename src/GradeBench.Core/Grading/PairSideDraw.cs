using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace GradeBench.Core.Grading;

/// <summary>Which answer of a pair a rater sees on the left in a side-by-side study: drawn for every (study, rater,
/// pair) at random but reproducibly, about half of a rater's pairs with answer A on the left, so that the position bias
/// can be measured (docs/assignment.md, "Sides"). The draw is stored with the assignment; this is how it is made.</summary>
/// <remarks>As <see cref="QueueOrder"/>, from the pair's random handle and fixed by this file: <see cref="Seed"/> is the
/// first 8 bytes, read little-endian, of SHA-256 of the UTF-8 text <c>"{studyId}/{raterId}/sides"</c> (not the queue's
/// seed, so that the side is unrelated to where the pair sits in the queue), and A is on the left when the top bit of
/// SplitMix64's output number <c>h</c> (the handle's 64-bit value) is 0.</remarks>
public static class PairSideDraw
{
    /// <summary>The seed of a rater's sides in a study: SHA-256 of UTF-8 <c>"{studyId}/{raterId}/sides"</c>, first 8
    /// bytes little-endian.</summary>
    public static ulong Seed(long studyId, long raterId)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{studyId}/{raterId}/sides")), hash);
        return BinaryPrimitives.ReadUInt64LittleEndian(hash);
    }

    /// <summary>Whether the rater sees answer A of the pair with this handle on the left.</summary>
    public static bool AOnLeft(long studyId, long raterId, string pairHandle) => AOnLeft(Seed(studyId, raterId), Studies.ResponseHandle.Value(pairHandle));

    /// <inheritdoc cref="AOnLeft(long, long, string)"/>
    public static bool AOnLeft(ulong seed, ulong handle) => SplitMix64.At(seed, handle) >> 63 == 0;
}
