// The ACPI Root System Description Pointer (ACPI spec 5.2.5): the structure
// the firmware's configuration table points at, leading to the RSDT (ACPI 1.0)
// or the XSDT (2.0+). The loader passes it on only when it checks out:
// signature "RSD PTR ", the checksum over the first 20 bytes, and for
// revision 2 and later the extended checksum over Length bytes.
using System;
using System.Buffers.Binary;

namespace Shared.Boot;

public enum RsdpError
{
    None,
    TooShort,
    BadSignature,
    BadChecksum,
    BadLength,
    BadExtendedChecksum,
}

public static class Rsdp
{
    /// <summary>Bytes of the ACPI 1.0 structure (and of the part the first checksum covers).</summary>
    public const int Version1Length = 20;

    /// <summary>Bytes of the ACPI 2.0 structure; Length may be larger in later revisions.</summary>
    public const int Version2Length = 36;

    /// <summary>A sanity bound on Length: a larger value means the structure is garbage, not a future revision.</summary>
    public const int MaximumLength = 4096;

    /// <summary>"RSD PTR " as a little-endian 64-bit number.</summary>
    public const ulong Signature = 0x2052_5450_2044_5352;

    public static byte Revision(ReadOnlySpan<byte> rsdp) => rsdp[15];

    /// <summary>
    /// How many bytes <see cref="Validate"/> needs, judged from the bytes read so far: 20 for revisions 0 and 1;
    /// for 2 and later first 24 (to reach the Length field), then Length. Read that many and ask again until the
    /// answer stops growing (at most three reads).
    /// </summary>
    public static int RequiredLength(ReadOnlySpan<byte> readSoFar)
    {
        if (readSoFar.Length < Version1Length || Revision(readSoFar) < 2)
            return Version1Length;
        if (readSoFar.Length < 24)
            return 24;
        int length = ExtendedLength(readSoFar);
        return length == 0 ? 24 : length;
    }

    /// <summary>Checks <paramref name="rsdp"/>, which must hold at least RequiredLength bytes.</summary>
    public static RsdpError Validate(ReadOnlySpan<byte> rsdp)
    {
        if (rsdp.Length < Version1Length)
            return RsdpError.TooShort;
        if (BinaryPrimitives.ReadUInt64LittleEndian(rsdp) != Signature)
            return RsdpError.BadSignature;
        if (Sum(rsdp.Slice(0, Version1Length)) != 0)
            return RsdpError.BadChecksum;
        if (Revision(rsdp) < 2)
            return RsdpError.None;

        if (rsdp.Length < 24)
            return RsdpError.TooShort;
        int length = ExtendedLength(rsdp);
        if (length == 0)
            return RsdpError.BadLength;
        if (rsdp.Length < length)
            return RsdpError.TooShort;
        return Sum(rsdp.Slice(0, length)) == 0 ? RsdpError.None : RsdpError.BadExtendedChecksum;
    }

    public static string Describe(RsdpError error) => error switch
    {
        RsdpError.None => "valid",
        RsdpError.TooShort => "the structure is truncated",
        RsdpError.BadSignature => "bad signature (expected 'RSD PTR ')",
        RsdpError.BadChecksum => "the checksum over the first 20 bytes is wrong",
        RsdpError.BadLength => "the Length field is out of range",
        RsdpError.BadExtendedChecksum => "the extended checksum (ACPI 2.0+) is wrong",
        _ => "unknown error",
    };

    // The Length field (offset 20), or 0 when it is not a plausible size.
    private static int ExtendedLength(ReadOnlySpan<byte> rsdp)
    {
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(rsdp.Slice(20));
        return length >= Version2Length && length <= MaximumLength ? (int)length : 0;
    }

    private static byte Sum(ReadOnlySpan<byte> bytes)
    {
        byte sum = 0;
        foreach (byte b in bytes)
            sum += b;
        return sum;
    }
}
