// The 36-byte header every ACPI system description table starts with
// (ACPI 6.5, 5.2.6): signature, total length, revision, checksum, and who
// made it. Length covers the header and the body; the checksum covers Length
// bytes.
using System;
using System.Buffers.Binary;

namespace Shared.Acpi;

public readonly struct SdtHeader
{
    public const int Size = 36;

    public TableSignature Signature { get; init; }

    public uint Length { get; init; }

    public byte Revision { get; init; }

    public byte Checksum { get; init; }

    /// <summary>Six bytes of OEM id, as ASCII (e.g. "BOCHS ").</summary>
    public string OemId { get; init; }

    /// <summary>Eight bytes of OEM table id (e.g. "BXPC    ").</summary>
    public string OemTableId { get; init; }

    public uint OemRevision { get; init; }

    /// <summary>Reads a header from the first 36 bytes; false when there are fewer.</summary>
    public static bool TryParse(ReadOnlySpan<byte> bytes, out SdtHeader header)
    {
        if (bytes.Length < Size)
        {
            header = default;
            return false;
        }

        header = new SdtHeader
        {
            Signature = TableSignature.FromBytes(bytes),
            Length = BinaryPrimitives.ReadUInt32LittleEndian(bytes.Slice(4)),
            Revision = bytes[8],
            Checksum = bytes[9],
            OemId = Ascii(bytes.Slice(10, 6)),
            OemTableId = Ascii(bytes.Slice(16, 8)),
            OemRevision = BinaryPrimitives.ReadUInt32LittleEndian(bytes.Slice(24)),
        };
        return true;
    }

    /// <summary>Fixed-width ASCII text from a table; non-printable bytes become '?'.</summary>
    internal static string Ascii(ReadOnlySpan<byte> bytes)
    {
        Span<char> text = stackalloc char[bytes.Length];
        for (int i = 0; i < bytes.Length; i++)
            text[i] = bytes[i] >= 0x20 && bytes[i] < 0x7F ? (char)bytes[i] : '?';
        return new string(text);
    }
}
