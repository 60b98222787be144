// The error code of #TS, #NP, #SS and #GP (Intel SDM
// vol. 3, 6.13): which descriptor was at fault. Zero means the fault was not
// about a descriptor (for #GP: a non-canonical address, a privileged
// instruction, a reserved bit written...).
namespace Kernel.Interrupts;

public readonly struct SelectorErrorCode
{
    public SelectorErrorCode(ulong raw) => Raw = raw;

    public ulong Raw { get; }

    /// <summary>The event that caused the fault was external to the program (an interrupt, not an instruction).</summary>
    public bool External => (Raw & 1) != 0;

    public DescriptorTableKind Table => (Raw & 2) != 0 ? DescriptorTableKind.Idt : (Raw & 4) != 0 ? DescriptorTableKind.Ldt : DescriptorTableKind.Gdt;

    public int Index => (int)((Raw >> 3) & 0x1FFF);

    /// <summary>"selector 0xFFF8: GDT index 8191" or "not segment-related ..." for 0.</summary>
    public void Describe(ref ReportWriter report)
    {
        if (Raw == 0)
        {
            report.Append("0 - not about a segment selector (e.g. a non-canonical address or a privileged instruction)");
            return;
        }

        report.Append("selector ");
        report.Hex(Raw & 0xFFF8, 4);
        report.Append(": ");
        report.Append(Table == DescriptorTableKind.Idt ? "IDT" : Table == DescriptorTableKind.Ldt ? "LDT" : "GDT");
        report.Append(" index ");
        report.Decimal((ulong)Index);
        if (External)
            report.Append(", raised while delivering an external event");
    }
}

public enum DescriptorTableKind
{
    Gdt,
    Idt,
    Ldt,
}
