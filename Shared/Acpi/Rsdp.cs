// The Root System Description Pointer (ACPI 6.5, 5.2.5.3): where the tables
// start. Revision 0 (ACPI 1.0) is 20 bytes and points to the RSDT with 32-bit
// addresses; revision 2 and later are 36 bytes and add the XSDT with 64-bit
// addresses and an extended checksum over Length bytes. The checks are those of
// Shared/Boot/Rsdp.cs, the loader's validator: one set of rules for both.
using System;
using System.Buffers.Binary;
using Shared.Boot;

namespace Shared.Acpi;

public enum RsdpStatus
{
    Valid,

    /// <summary>The first 8 bytes are not "RSD PTR ".</summary>
    BadSignature,

    /// <summary>The first 20 bytes do not sum to zero: nothing in it can be trusted.</summary>
    BadChecksum,

    /// <summary>A revision 2+ RSDP whose 36-byte checksum fails: the XSDT address is ignored, the RSDT used.</summary>
    BadExtendedChecksum,
}

public readonly struct Rsdp
{
    public const int Version1Size = 20;
    public const int Version2Size = 36;

    /// <summary>0 for ACPI 1.0; 2 for ACPI 2.0 and later.</summary>
    public byte Revision { get; init; }

    public string OemId { get; init; }

    public uint RsdtAddress { get; init; }

    /// <summary>0 when the RSDP is revision 0, or when its extended checksum is wrong.</summary>
    public ulong XsdtAddress { get; init; }

    /// <summary>
    /// Parses <paramref name="bytes"/> (at least 20 bytes; a revision 2 RSDP's XSDT needs
    /// Shared.Boot.Rsdp.RequiredLength bytes, its Length field). Returns Valid or BadExtendedChecksum with a
    /// usable <paramref name="rsdp"/>, anything else without one.
    /// </summary>
    public static RsdpStatus Parse(ReadOnlySpan<byte> bytes, out Rsdp rsdp)
    {
        rsdp = default;
        RsdpError error = global::Shared.Boot.Rsdp.Validate(bytes);
        if (bytes.Length < Version1Size || error == RsdpError.BadSignature)
            return RsdpStatus.BadSignature;
        if (error == RsdpError.BadChecksum)
            return RsdpStatus.BadChecksum;

        byte revision = bytes[15];
        rsdp = new Rsdp
        {
            Revision = revision,
            OemId = SdtHeader.Ascii(bytes.Slice(9, 6)),
            RsdtAddress = BinaryPrimitives.ReadUInt32LittleEndian(bytes.Slice(16)),
        };
        if (revision < 2)
            return RsdpStatus.Valid;

        // Truncated, an implausible Length, or a wrong extended checksum: the XSDT cannot be trusted.
        if (error != RsdpError.None)
            return RsdpStatus.BadExtendedChecksum;

        rsdp = rsdp with { XsdtAddress = BinaryPrimitives.ReadUInt64LittleEndian(bytes.Slice(24)) };
        return RsdpStatus.Valid;
    }
}
