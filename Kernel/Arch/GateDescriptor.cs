// One 16-byte IDT entry: the handler's address split in three, the code
// segment to run it in, and the options (IST, type, DPL, present).
//
//   low:  offset 15:0 | selector << 16 | IST << 32 | type << 40 | DPL << 45 | P << 47 | offset 31:16 << 48
//   high: offset 63:32
using System.Runtime.InteropServices;

namespace Kernel.Arch;

[StructLayout(LayoutKind.Sequential)]
public readonly struct GateDescriptor
{
    private readonly ulong _low;
    private readonly ulong _high;

    public GateDescriptor(ulong handler, SegmentSelector codeSegment, GateOptions options)
    {
        _low = (handler & 0xFFFF)
            | ((ulong)codeSegment.Value << 16)
            | ((ulong)options.Stack << 32)
            | ((ulong)options.Type << 40)
            | ((ulong)options.Privilege << 45)
            | (options.IsPresent ? 1UL << 47 : 0)
            | (((handler >> 16) & 0xFFFF) << 48);
        _high = handler >> 32;
    }

    public ulong Handler => (_low & 0xFFFF) | (((_low >> 48) & 0xFFFF) << 16) | (_high << 32);

    public SegmentSelector CodeSegment => SegmentSelector.FromRaw((ushort)(_low >> 16));

    public InterruptStackIndex Stack => (InterruptStackIndex)((_low >> 32) & 7);

    public GateType Type => (GateType)((_low >> 40) & 0xF);

    public PrivilegeLevel Privilege => (PrivilegeLevel)((_low >> 45) & 3);

    public bool IsPresent => (_low & (1UL << 47)) != 0;
}
