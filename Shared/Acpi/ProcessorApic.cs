// A processor the MADT lists: its local APIC (type 0) or x2APIC (type 9) entry.
namespace Shared.Acpi;

public readonly struct ProcessorApic
{
    public ProcessorApic(uint processorUid, uint apicId, bool enabled, bool onlineCapable, bool isX2Apic)
    {
        ProcessorUid = processorUid;
        ApicId = apicId;
        Enabled = enabled;
        OnlineCapable = onlineCapable;
        IsX2Apic = isX2Apic;
    }

    /// <summary>The ACPI processor UID that local APIC NMI entries refer to.</summary>
    public uint ProcessorUid { get; }

    public uint ApicId { get; }

    /// <summary>The processor is usable now.</summary>
    public bool Enabled { get; }

    /// <summary>Disabled now, but may be brought online (hot plug).</summary>
    public bool OnlineCapable { get; }

    public bool IsX2Apic { get; }
}
