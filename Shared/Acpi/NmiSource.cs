// A global system interrupt the platform uses as NMI (MADT type 3); that
// I/O APIC input must be programmed for NMI delivery and never used for IRQs.
namespace Shared.Acpi;

public readonly struct NmiSource
{
    public NmiSource(uint gsi, InterruptFlags flags)
    {
        Gsi = gsi;
        Flags = flags;
    }

    public uint Gsi { get; }

    public InterruptFlags Flags { get; }
}
