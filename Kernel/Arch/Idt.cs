// The kernel's one IDT and how it is filled and loaded. Every gate points
// to its stub in tools/AsmGen/Modules/InterruptStubs.cs, which builds an
// InterruptFrame and calls Kernel/Interrupts/InterruptDispatcher: what a
// vector does is decided there, not here.
using System.Runtime.CompilerServices;

namespace Kernel.Arch;

public static unsafe class Idt
{
    // In the image's data section: the IDTR points here for the kernel's lifetime.
    private static InterruptDescriptorTable s_table;

    public static ref InterruptDescriptorTable Table => ref s_table;

    public static ulong Address => (ulong)Unsafe.AsPointer(ref s_table);

    /// <summary>
    /// Points every vector at its entry stub (interrupt gates, ring 0), gives the double fault,
    /// NMI and machine check their IST stacks, and loads the IDTR. The TSS holding those stacks
    /// must be loaded first (Gdt.Load).
    /// </summary>
    public static void Load()
    {
        ulong* stubs = NativeInterrupts.StubTable();
        ref InterruptDescriptorTable table = ref s_table;
        for (int vector = 0; vector < InterruptDescriptorTable.VectorCount; vector++)
            table[vector] = new GateDescriptor(stubs[vector], Gdt.KernelCode, GateOptions.Interrupt);

        table.DoubleFault = new GateDescriptor(stubs[(int)ExceptionVector.DoubleFault], Gdt.KernelCode, GateOptions.Interrupt.WithStack(InterruptStackIndex.DoubleFault));
        table.NonMaskableInterrupt = new GateDescriptor(stubs[(int)ExceptionVector.NonMaskableInterrupt], Gdt.KernelCode, GateOptions.Interrupt.WithStack(InterruptStackIndex.NonMaskableInterrupt));
        table.MachineCheck = new GateDescriptor(stubs[(int)ExceptionVector.MachineCheck], Gdt.KernelCode, GateOptions.Interrupt.WithStack(InterruptStackIndex.MachineCheck));

        var pointer = new DescriptorTablePointer(Address, InterruptDescriptorTable.VectorCount * sizeof(GateDescriptor));
        Native.LoadIdt(&pointer);
    }

    /// <summary>The stub address for <paramref name="vector"/> (what its gate should point to).</summary>
    /// <summary>
    /// Loads an IDT with limit 0, so the next interrupt or exception cannot be delivered and the CPU resets
    /// (triple fault). Unsafe: the caller must want the machine reset - nothing returns control after this.
    /// </summary>
    public static unsafe void LoadEmpty()
    {
        ulong* empty = stackalloc ulong[2];
        empty[0] = 0;
        empty[1] = 0;
        Native.LoadIdt(empty);
    }

    public static ulong StubAddress(int vector) => NativeInterrupts.StubTable()[vector];
}
