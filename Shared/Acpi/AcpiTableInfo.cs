// One table found through the root table (or the FADT, for the DSDT and
// FACS): where it is, what its header says, whether its checksum holds.
namespace Shared.Acpi;

public readonly struct AcpiTableInfo
{
    public TableSignature Signature { get; init; }

    public ulong Address { get; init; }

    public uint Length { get; init; }

    public byte Revision { get; init; }

    public string OemId { get; init; }

    public string OemTableId { get; init; }

    /// <summary>False when the bytes do not sum to zero. The FACS has no checksum; it always reports true.</summary>
    public bool ChecksumValid { get; init; }

    public override string ToString()
        => Signature.ToString() + " at 0x" + Address.ToString("X") + ", " + Length.ToString() + " bytes, revision " + Revision.ToString()
            + (ChecksumValid ? "" : ", BAD CHECKSUM");
}
