using System.Buffers.Binary;
using System.Globalization;

namespace GradeBench.Core.Studies;

/// <summary>The only name a rater ever sees for a response (in addresses, the API, live events and page markup): 16
/// lowercase hexadecimal digits of a 64-bit value drawn at random for each response and unique in its study. Database
/// ids and bundle ids stay on the server: both follow an order a rater could reconstruct (bundle ids name the model).</summary>
public static class ResponseHandle
{
    public const int Length = 16;

    /// <summary>The handle of 8 random bytes (read big-endian, so the text is the bytes in hex).</summary>
    public static string From(ReadOnlySpan<byte> randomBytes) => Format(BinaryPrimitives.ReadUInt64BigEndian(randomBytes));

    public static string Format(ulong value) => value.ToString("x16", CultureInfo.InvariantCulture);

    /// <summary>The 64-bit value of a well-formed handle: exactly <see cref="Length"/> lowercase hex digits.</summary>
    public static bool TryParse(string? handle, out ulong value)
    {
        value = 0;
        return handle is { Length: Length } && handle.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f')
            && ulong.TryParse(handle, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>The value of a handle read from the database, where every handle is well formed.</summary>
    public static ulong Value(string handle) =>
        TryParse(handle, out var value) ? value : throw new FormatException($"'{handle}' is not a response handle.");
}
