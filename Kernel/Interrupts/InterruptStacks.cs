// The interrupt stack table stacks and the boot stack, each with an unmapped
// guard page below. The IST stacks' memory is reserved in the kernel image's
// .bss (tools/AsmGen/Modules/InterruptStubs.cs); here its frames are mapped a
// second time at KernelLayout.InterruptStackGuard(n) + 4 KiB, where nothing is
// mapped below them, so overflowing an IST stack faults instead of
// overwriting the .bss data next to it. Fault reports use these ranges to
// name the stack an address is on and to recognize stack overflows.
using Kernel.Arch;
using Kernel.Diagnostics;
using Kernel.Memory;
using Shared.Boot;
using Shared.Memory;

namespace Kernel.Interrupts;

public static unsafe class InterruptStacks
{
    private static GuardedStack s_doubleFault;
    private static GuardedStack s_nonMaskableInterrupt;
    private static GuardedStack s_machineCheck;

    /// <summary>The stack the loader started the kernel on (BootInfo.KernelStackBottom/Top).</summary>
    public static GuardedStack Boot => new("boot", KernelState.BootInfo->KernelStackBottom, KernelState.BootInfo->KernelStackTop);

    public static GuardedStack DoubleFault => s_doubleFault;

    public static GuardedStack NonMaskableInterrupt => s_nonMaskableInterrupt;

    public static GuardedStack MachineCheck => s_machineCheck;

    /// <summary>Maps the three IST stacks and stores their tops in <paramref name="tss"/>.</summary>
    public static void Initialize(TaskStateSegment* tss)
    {
        s_doubleFault = Map(InterruptStackIndex.DoubleFault, "double-fault", NativeInterrupts.DoubleFaultStack(), NativeInterrupts.DoubleFaultStackSize());
        s_nonMaskableInterrupt = Map(InterruptStackIndex.NonMaskableInterrupt, "NMI", NativeInterrupts.NmiStack(), NativeInterrupts.NmiStackSize());
        s_machineCheck = Map(InterruptStackIndex.MachineCheck, "machine-check", NativeInterrupts.MachineCheckStack(), NativeInterrupts.MachineCheckStackSize());
        tss->SetInterruptStack(InterruptStackIndex.DoubleFault, s_doubleFault.Top);
        tss->SetInterruptStack(InterruptStackIndex.NonMaskableInterrupt, s_nonMaskableInterrupt.Top);
        tss->SetInterruptStack(InterruptStackIndex.MachineCheck, s_machineCheck.Top);
    }

    public static GuardedStack Get(InterruptStackIndex index) => index switch
    {
        InterruptStackIndex.DoubleFault => s_doubleFault,
        InterruptStackIndex.NonMaskableInterrupt => s_nonMaskableInterrupt,
        InterruptStackIndex.MachineCheck => s_machineCheck,
        _ => default,
    };

    /// <summary>The known stack whose usable range contains <paramref name="address"/>.</summary>
    public static bool TryFindContaining(ulong address, out GuardedStack stack)
    {
        for (int i = 0; i < 4; i++)
        {
            stack = ByNumber(i);
            if (stack.IsValid && stack.Contains(address))
                return true;
        }

        stack = default;
        return false;
    }

    /// <summary>The known stack whose guard page contains <paramref name="address"/>: touching it means that stack overflowed.</summary>
    public static bool TryFindGuard(ulong address, out GuardedStack stack)
    {
        for (int i = 0; i < 4; i++)
        {
            stack = ByNumber(i);
            if (stack.GuardContains(address))
                return true;
        }

        stack = default;
        return false;
    }

    private static GuardedStack ByNumber(int i) => i switch
    {
        0 => Boot,
        1 => s_doubleFault,
        2 => s_nonMaskableInterrupt,
        _ => s_machineCheck,
    };

    private static GuardedStack Map(InterruptStackIndex index, string name, byte* memory, uint size)
    {
        ulong guard = KernelLayout.InterruptStackGuard((int)index);
        ulong bottom = guard + KernelLayout.PageSize;
        if (size == 0 || size % KernelLayout.PageSize != 0 || size > KernelLayout.InterruptStackSlotSize - KernelLayout.PageSize)
            Panic.Fail("IST stack '" + name + "' has a bad size: " + size.ToString());
        if (KernelPageTables.IsMapped(new VirtualAddress(guard)))
            Panic.Fail("the guard page of the " + name + " IST stack (0x" + guard.ToString("X") + ") is already mapped");

        for (ulong offset = 0; offset < size; offset += KernelLayout.PageSize)
        {
            if (!KernelPageTables.TryTranslate(new VirtualAddress((ulong)memory + offset), out Translation translation))
                Panic.Fail("the " + name + " IST stack memory at 0x" + ((ulong)memory + offset).ToString("X") + " is not mapped");

            // An intended alias of the .bss frames, with the same (write-back) memory type.
            Page<Size4KiB> page = Page<Size4KiB>.FromStart(new VirtualAddress(bottom + offset));
            MapResult result = KernelPageTables.Map(page, PhysicalFrame<Size4KiB>.Containing(translation.Physical), PageTableFlags.Writable | PageTableFlags.NoExecute);
            if (result != MapResult.Success)
                Panic.Fail("cannot map the " + name + " IST stack at 0x" + (bottom + offset).ToString("X") + ": " + KernelPageTables.Describe(result));
        }

        return new GuardedStack(name, bottom, bottom + size);
    }
}
