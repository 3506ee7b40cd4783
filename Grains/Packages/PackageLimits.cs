using System.Buffers.Binary;
using System.IO.Compression;
using OrleansFunc.Errors;

namespace OrleansFunc.Packages;

/// <summary>
/// What reading one package may cost, whatever its format (issue 17 item 21): the number of entries of
/// its zip, read from the zip's end record before its directory is loaded, and the bytes it unpacks to,
/// counted while unpacking (<see cref="UnpackBudget"/>), since declared sizes can lie. Beyond either,
/// the import is refused with 400.43 <c>PackageTooLarge</c> naming the limit.
/// </summary>
public static class PackageLimits
{
    /// <summary>Sixty-four scripts of the largest size a script may have; real packages are a few megabytes.</summary>
    public const long MaxUnpackedBytes = 64L * 1024 * 1024;

    public const int MaxEntries = 20_000;

    private const uint EndRecordSignature = 0x06054b50;
    private const int EndRecordLength = 22;
    private const int MaxCommentLength = ushort.MaxValue;

    /// <summary>The zip of a package, once its end record declares at most <see cref="MaxEntries"/> entries.</summary>
    public static ZipArchive OpenZip(byte[] zip)
    {
        if (DeclaredEntries(zip) > MaxEntries)
        {
            throw TooManyEntries();
        }
        var archive = new ZipArchive(new MemoryStream(zip, writable: false), ZipArchiveMode.Read);
        if (archive.Entries.Count > MaxEntries)
        {
            archive.Dispose();
            throw TooManyEntries();
        }
        return archive;
    }

    public static DffException TooLarge() =>
        DffException.BadRequest("PackageTooLarge",
            $"The package unpacks to more than {MaxUnpackedBytes / 1024 / 1024} MB, the most this server accepts; nothing was imported",
            new { limitBytes = MaxUnpackedBytes });

    private static DffException TooManyEntries() =>
        DffException.BadRequest("PackageTooLarge",
            $"The package holds more than {MaxEntries} entries, the most this server accepts; nothing was imported",
            new { limitEntries = MaxEntries });

    /// <summary>
    /// The entry count of the zip's end record (0 when there is none: the zip reader then calls the file
    /// damaged). A Zip64 count (0xFFFF) is beyond <see cref="MaxEntries"/> by itself.
    /// </summary>
    private static int DeclaredEntries(ReadOnlySpan<byte> zip)
    {
        var lowest = Math.Max(0, zip.Length - EndRecordLength - MaxCommentLength);
        for (var at = zip.Length - EndRecordLength; at >= lowest; at--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(zip[at..]) == EndRecordSignature)
            {
                return BinaryPrimitives.ReadUInt16LittleEndian(zip[(at + 10)..]);
            }
        }
        return 0;
    }
}
