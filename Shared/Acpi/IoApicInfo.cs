// An I/O APIC the MADT lists (type 1): which global system interrupts (GSIs)
// it serves, starting at GsiBase, and where its registers are. How many
// inputs it has is not in the table: the kernel reads it from the chip's
// version register.
namespace Shared.Acpi;

public readonly struct IoApicInfo
{
    /// <summary>What a PC's single I/O APIC has when nothing says otherwise (the 82093AA's 24 inputs).</summary>
    public const int DefaultRedirectionEntries = 24;

    public IoApicInfo(byte id, ulong address, uint gsiBase)
    {
        Id = id;
        Address = address;
        GsiBase = gsiBase;
    }

    public byte Id { get; }

    /// <summary>Physical address of the register window (IOREGSEL at +0, IOWIN at +0x10).</summary>
    public ulong Address { get; }

    public uint GsiBase { get; }
}
