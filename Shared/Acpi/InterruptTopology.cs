// The machine's interrupt controllers as the kernel uses them: the local APIC
// address, the I/O APICs, how ISA IRQs map to global system interrupts, and
// which local APIC input is NMI. Taken from the MADT, or - when the MADT is
// missing or broken - the documented PC defaults:
//
//   local APIC at 0xFEE00000 (the architectural reset value)
//   one I/O APIC, id 0, at 0xFEC00000, GSI base 0, 24 inputs
//   ISA IRQ n -> GSI n, edge triggered, active high, except IRQ0 -> GSI 2
//     (the PIT's override on every PC chipset since the PIIX)
//   LINT1 is NMI on every processor; dual 8259 PICs are present
using System.Collections.Generic;

namespace Shared.Acpi;

public sealed class InterruptTopology
{
    public const ulong DefaultLocalApicAddress = 0xFEE0_0000;
    public const ulong DefaultIoApicAddress = 0xFEC0_0000;

    private InterruptTopology(bool fromFirmware, ulong localApicAddress, bool hasLegacyPics)
    {
        FromFirmware = fromFirmware;
        LocalApicAddress = localApicAddress;
        HasLegacyPics = hasLegacyPics;
    }

    /// <summary>True when built from a valid MADT; false for the defaults.</summary>
    public bool FromFirmware { get; }

    public ulong LocalApicAddress { get; }

    public bool HasLegacyPics { get; }

    public List<IoApicInfo> IoApics { get; } = new();

    public List<InterruptSourceOverride> Overrides { get; } = new();

    public List<LocalApicNmi> LocalApicNmis { get; } = new();

    public List<NmiSource> NmiSources { get; } = new();

    /// <summary>The processors the MADT lists (empty for the defaults).</summary>
    public List<ProcessorApic> Processors { get; } = new();

    /// <summary>Processors the MADT lists as enabled; 0 when unknown (defaults).</summary>
    public int ProcessorCount { get; private set; }

    public static InterruptTopology FromMadt(Madt madt)
    {
        var topology = new InterruptTopology(true, madt.LocalApicAddress, madt.HasLegacyPics);
        foreach (IoApicInfo ioApic in madt.IoApics)
            topology.IoApics.Add(ioApic);
        foreach (InterruptSourceOverride sourceOverride in madt.Overrides)
        {
            if (sourceOverride.Bus == 0)
                topology.Overrides.Add(sourceOverride);
        }

        foreach (LocalApicNmi nmi in madt.LocalApicNmis)
            topology.LocalApicNmis.Add(nmi);
        foreach (NmiSource source in madt.NmiSources)
            topology.NmiSources.Add(source);
        foreach (ProcessorApic processor in madt.Processors)
            topology.Processors.Add(processor);
        topology.ProcessorCount = madt.EnabledProcessorCount;
        if (topology.IoApics.Count == 0)
            topology.IoApics.Add(new IoApicInfo(0, DefaultIoApicAddress, 0));
        return topology;
    }

    public static InterruptTopology Defaults()
    {
        var topology = new InterruptTopology(false, DefaultLocalApicAddress, hasLegacyPics: true);
        topology.IoApics.Add(new IoApicInfo(0, DefaultIoApicAddress, 0));
        topology.Overrides.Add(new InterruptSourceOverride(0, 0, 2, InterruptFlags.Isa));
        topology.LocalApicNmis.Add(new LocalApicNmi(LocalApicNmi.AllProcessors, 1, InterruptFlags.Isa));
        return topology;
    }

    /// <summary>Where ISA IRQ <paramref name="isaIrq"/> arrives: its override, or GSI = IRQ with ISA flags.</summary>
    public IsaIrqRoute RouteIsaIrq(byte isaIrq)
    {
        foreach (InterruptSourceOverride sourceOverride in Overrides)
        {
            if (sourceOverride.Source == isaIrq)
                return new IsaIrqRoute(isaIrq, sourceOverride.Gsi, sourceOverride.Flags, overridden: true);
        }

        return new IsaIrqRoute(isaIrq, isaIrq, InterruptFlags.Isa, overridden: false);
    }

    /// <summary>The I/O APIC whose inputs start at or below <paramref name="gsi"/> closest to it; false when none.</summary>
    public bool TryFindIoApic(uint gsi, out IoApicInfo ioApic)
    {
        bool found = false;
        ioApic = default;
        foreach (IoApicInfo candidate in IoApics)
        {
            if (candidate.GsiBase <= gsi && (!found || candidate.GsiBase > ioApic.GsiBase))
            {
                ioApic = candidate;
                found = true;
            }
        }

        return found;
    }

    /// <summary>The MADT's processor whose local APIC has id <paramref name="apicId"/>; false when none (or defaults).</summary>
    public bool TryFindProcessor(uint apicId, out ProcessorApic processor)
    {
        foreach (ProcessorApic candidate in Processors)
        {
            if (candidate.ApicId == apicId)
            {
                processor = candidate;
                return true;
            }
        }

        processor = default;
        return false;
    }

    /// <summary>The local APIC input wired to NMI for processor <paramref name="processorUid"/>; false when none is declared.</summary>
    public bool TryFindLocalApicNmi(uint processorUid, out LocalApicNmi nmi)
    {
        foreach (LocalApicNmi candidate in LocalApicNmis)
        {
            if (candidate.AppliesTo(processorUid))
            {
                nmi = candidate;
                return true;
            }
        }

        nmi = default;
        return false;
    }
}
