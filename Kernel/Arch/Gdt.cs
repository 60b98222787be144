// The global descriptor table. Long mode barely uses segmentation, but the
// CPU still needs a code segment with the L bit for CS, a data segment for
// SS, and a TSS descriptor (the only way to give it IST stacks).
//
//   index selector  entry
//   0     0x00      null (required)
//   1     0x08      kernel code, 64-bit, ring 0     (KernelCode)
//   2     0x10      kernel data, ring 0             (KernelData)
//   3     0x18      null: reserved for 32-bit user code, which sysret's layout expects here
//   4     0x20      user data, ring 3   (selector 0x23 with RPL 3)
//   5     0x28      user code, 64-bit, ring 3  (selector 0x2B)
//   6-7   0x30      TSS (16 bytes)                  (Task)
//
// The order is the one syscall/sysret will need: STAR[47:32] = 0x08 gives CS
// 0x08 / SS 0x10 on syscall, STAR[63:48] = 0x18|3 gives SS 0x23 / CS 0x2B on
// sysret to 64-bit code. The user entries are unused until user mode exists.
using System.Runtime.CompilerServices;

namespace Kernel.Arch;

public static unsafe class Gdt
{
    public const int EntryCount = 8;

    public static readonly SegmentSelector KernelCode = new(1, PrivilegeLevel.Kernel);
    public static readonly SegmentSelector KernelData = new(2, PrivilegeLevel.Kernel);
    public static readonly SegmentSelector UserData = new(4, PrivilegeLevel.User);
    public static readonly SegmentSelector UserCode = new(5, PrivilegeLevel.User);
    public static readonly SegmentSelector Task = new(6, PrivilegeLevel.Kernel);

    // Statics without references live in the image's data section and never move: the CPU keeps
    // pointers to both tables for as long as the kernel runs.
    private static Table s_table;

    private struct Table
    {
        public fixed ulong Entries[EntryCount];
    }

    public static ulong Address => (ulong)Unsafe.AsPointer(ref s_table);

    /// <summary>The raw 8-byte entry <paramref name="index"/> of the kernel's GDT (tests read it back).</summary>
    public static ulong Entry(int index) => s_table.Entries[index];

    /// <summary>
    /// Builds the table, loads it, reloads every segment register and loads the task register.
    /// The caller must pass a TSS that stays at its address for the kernel's lifetime.
    /// </summary>
    public static void Load(TaskStateSegment* tss)
    {
        s_table.Entries[0] = SegmentDescriptor.Null.Raw;
        s_table.Entries[KernelCode.Index] = SegmentDescriptor.KernelCode.Raw;
        s_table.Entries[KernelData.Index] = SegmentDescriptor.KernelData.Raw;
        s_table.Entries[3] = SegmentDescriptor.Null.Raw;
        s_table.Entries[UserData.Index] = SegmentDescriptor.UserData.Raw;
        s_table.Entries[UserCode.Index] = SegmentDescriptor.UserCode.Raw;
        var task = new TssDescriptor((ulong)tss, TaskStateSegment.Size);
        s_table.Entries[Task.Index] = task.Low;
        s_table.Entries[Task.Index + 1] = task.High;

        var pointer = new DescriptorTablePointer(Address, EntryCount * sizeof(ulong));
        Native.LoadGdt(&pointer);

        // The old selectors index the firmware's GDT: reload all of them (CS through a far return).
        Native.ReloadSegments(KernelCode.Value, KernelData.Value);
        Native.LoadTaskRegister(Task.Value);
    }
}
