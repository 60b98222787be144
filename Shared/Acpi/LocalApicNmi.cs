// Which local APIC input (LINT0 or LINT1) carries NMI, for one processor or
// all (MADT type 4, and type 0xA for x2APIC processor UIDs). PCs wire NMI to
// LINT1; the kernel programs that LVT entry as NMI with these flags.
namespace Shared.Acpi;

public readonly struct LocalApicNmi
{
    /// <summary>The processor UID that means "every processor" (0xFF in type 4, 0xFFFFFFFF in type 0xA).</summary>
    public const uint AllProcessors = 0xFFFF_FFFF;

    public LocalApicNmi(uint processorUid, byte lint, InterruptFlags flags)
    {
        ProcessorUid = processorUid;
        Lint = lint;
        Flags = flags;
    }

    public uint ProcessorUid { get; }

    /// <summary>0 for LINT0, 1 for LINT1.</summary>
    public byte Lint { get; }

    public InterruptFlags Flags { get; }

    public bool AppliesTo(uint processorUid) => ProcessorUid == AllProcessors || ProcessorUid == processorUid;
}
