// The interrupt descriptor table: 256 gates of 16 bytes, one per vector. The
// exception vectors have names (table.PageFault, table.DoubleFault...), the
// interrupt vectors 32..255 are indexed (table[0x30]). Kernel/Arch/Idt.cs
// owns the kernel's instance.
using System.Runtime.CompilerServices;

namespace Kernel.Arch;

public unsafe struct InterruptDescriptorTable
{
    public const int VectorCount = 256;

    private fixed ulong _words[VectorCount * 2];

    public GateDescriptor this[int vector]
    {
        get => Unsafe.As<ulong, GateDescriptor>(ref _words[CheckedVector(vector) * 2]);
        set => Unsafe.As<ulong, GateDescriptor>(ref _words[CheckedVector(vector) * 2]) = value;
    }

    public GateDescriptor DivideError { get => this[0]; set => this[0] = value; }
    public GateDescriptor Debug { get => this[1]; set => this[1] = value; }
    public GateDescriptor NonMaskableInterrupt { get => this[2]; set => this[2] = value; }
    public GateDescriptor Breakpoint { get => this[3]; set => this[3] = value; }
    public GateDescriptor Overflow { get => this[4]; set => this[4] = value; }
    public GateDescriptor BoundRangeExceeded { get => this[5]; set => this[5] = value; }
    public GateDescriptor InvalidOpcode { get => this[6]; set => this[6] = value; }
    public GateDescriptor DeviceNotAvailable { get => this[7]; set => this[7] = value; }
    public GateDescriptor DoubleFault { get => this[8]; set => this[8] = value; }
    public GateDescriptor CoprocessorSegmentOverrun { get => this[9]; set => this[9] = value; }
    public GateDescriptor InvalidTss { get => this[10]; set => this[10] = value; }
    public GateDescriptor SegmentNotPresent { get => this[11]; set => this[11] = value; }
    public GateDescriptor StackSegmentFault { get => this[12]; set => this[12] = value; }
    public GateDescriptor GeneralProtection { get => this[13]; set => this[13] = value; }
    public GateDescriptor PageFault { get => this[14]; set => this[14] = value; }
    public GateDescriptor X87FloatingPoint { get => this[16]; set => this[16] = value; }
    public GateDescriptor AlignmentCheck { get => this[17]; set => this[17] = value; }
    public GateDescriptor MachineCheck { get => this[18]; set => this[18] = value; }
    public GateDescriptor SimdFloatingPoint { get => this[19]; set => this[19] = value; }
    public GateDescriptor Virtualization { get => this[20]; set => this[20] = value; }
    public GateDescriptor ControlProtection { get => this[21]; set => this[21] = value; }
    public GateDescriptor HypervisorInjection { get => this[28]; set => this[28] = value; }
    public GateDescriptor VmmCommunication { get => this[29]; set => this[29] = value; }
    public GateDescriptor Security { get => this[30]; set => this[30] = value; }

    private static int CheckedVector(int vector)
    {
        if ((uint)vector >= VectorCount)
            Diagnostics.Panic.Fail("interrupt vector out of range: " + vector.ToString());
        return vector;
    }
}
