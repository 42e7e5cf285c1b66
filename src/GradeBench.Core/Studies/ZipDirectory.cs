using System.Buffers.Binary;

namespace GradeBench.Core.Studies;

/// <summary>Counts a zip's entries without listing them: <c>ZipArchive.Entries</c> builds an object for every entry
/// before anyone can look at the count. Reads the end-of-central-directory record (zip64 too; PKWARE APPNOTE 4.3.14–16)
/// and then walks at most <c>limit + 1</c> central-directory headers, since the end record's count can understate.</summary>
static class ZipDirectory
{
    const uint EndSignature = 0x06054b50, Zip64EndSignature = 0x06064b50, Zip64LocatorSignature = 0x07064b50, HeaderSignature = 0x02014b50;
    const int EndLength = 22, LocatorLength = 20, HeaderLength = 46;

    /// <summary>The number of entries, counted up to <paramref name="limit"/> + 1; null when there is no end record
    /// (ZipArchive then says what is wrong).</summary>
    public static long? CountEntries(Stream zip, int limit)
    {
        var tail = new byte[(int)Math.Min(zip.Length, EndLength + ushort.MaxValue + LocatorLength)];
        zip.Seek(-tail.Length, SeekOrigin.End);
        zip.ReadExactly(tail);
        var end = tail.Length - EndLength;
        while (end >= 0 && UInt32(tail, end) != EndSignature) end--;
        if (end < 0) return null;

        long declared = BinaryPrimitives.ReadUInt16LittleEndian(tail.AsSpan(end + 10));
        long start = UInt32(tail, end + 16);
        if ((declared == ushort.MaxValue || start == uint.MaxValue) && end >= LocatorLength && UInt32(tail, end - LocatorLength) == Zip64LocatorSignature)
        {
            var record = new byte[56];
            zip.Seek((long)BinaryPrimitives.ReadUInt64LittleEndian(tail.AsSpan(end - LocatorLength + 8)), SeekOrigin.Begin);
            zip.ReadExactly(record);
            if (UInt32(record, 0) != Zip64EndSignature) return null;
            declared = (long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(record.AsSpan(32)), long.MaxValue);
            start = (long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(record.AsSpan(48)), long.MaxValue);
        }
        if (declared > limit) return declared;

        var header = new byte[HeaderLength];
        long counted = 0;
        zip.Seek(start, SeekOrigin.Begin);
        while (counted <= limit && zip.Position + HeaderLength <= zip.Length)
        {
            zip.ReadExactly(header);
            if (UInt32(header, 0) != HeaderSignature) break;
            counted++;
            var skip = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(28)) + BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(30))
                + BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(32));
            zip.Seek(skip, SeekOrigin.Current);
        }
        return Math.Max(declared, counted);
    }

    static uint UInt32(byte[] bytes, int at) => BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at));
}
