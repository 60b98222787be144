// The 64-bit task state segment. Long mode does no hardware task switching;
// the TSS only tells the CPU which stacks to switch to: RSP0-2 on a change
// to a more privileged ring (RSP0 matters once user mode exists), and the
// seven interrupt stack table (IST) entries, which an IDT gate can name to
// get a known-good stack whatever the state of the interrupted one.
using System.Runtime.InteropServices;

namespace Kernel.Arch;

[StructLayout(LayoutKind.Explicit, Size = Size)]
public unsafe struct TaskStateSegment
{
    public const int Size = 104;

    /// <summary>An I/O map base at or beyond the segment limit: no I/O permission bitmap, so ring 3 gets no ports.</summary>
    private const ushort NoIoPermissionBitmap = Size;

    [FieldOffset(4)]
    public ulong Rsp0;

    [FieldOffset(12)]
    public ulong Rsp1;

    [FieldOffset(20)]
    public ulong Rsp2;

    [FieldOffset(36)]
    private fixed ulong _interruptStacks[7];

    [FieldOffset(102)]
    private ushort _ioMapBase;

    public static TaskStateSegment Create()
    {
        var tss = default(TaskStateSegment);
        tss._ioMapBase = NoIoPermissionBitmap;
        return tss;
    }

    /// <summary>The stack top for IST <paramref name="index"/> (1..7; 0 in a gate means "no IST").</summary>
    public ulong GetInterruptStack(InterruptStackIndex index) => _interruptStacks[CheckedSlot(index)];

    public void SetInterruptStack(InterruptStackIndex index, ulong top) => _interruptStacks[CheckedSlot(index)] = top;

    public ushort IoMapBase => _ioMapBase;

    private static int CheckedSlot(InterruptStackIndex index)
    {
        if (index < InterruptStackIndex.DoubleFault || (int)index > 7)
            Diagnostics.Panic.Fail("IST index out of range (1..7): " + ((int)index).ToString());
        return (int)index - 1;
    }
}
