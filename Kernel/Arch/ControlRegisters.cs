// CR0, CR2, CR3, CR4 and the EFER MSR, with named bits.
using System;
using Shared.Memory;

namespace Kernel.Arch;

[Flags]
public enum Cr0Flags : ulong
{
    ProtectionEnable = 1UL << 0,
    MonitorCoprocessor = 1UL << 1,
    Emulation = 1UL << 2,
    TaskSwitched = 1UL << 3,
    NumericError = 1UL << 5,
    WriteProtect = 1UL << 16,
    AlignmentMask = 1UL << 18,
    NotWriteThrough = 1UL << 29,
    CacheDisable = 1UL << 30,
    Paging = 1UL << 31,
}

[Flags]
public enum Cr4Flags : ulong
{
    PhysicalAddressExtension = 1UL << 5,
    PageGlobal = 1UL << 7,
    OsFxsr = 1UL << 9,
    OsXmmExceptions = 1UL << 10,
    FsGsBase = 1UL << 16,
    OsXsave = 1UL << 18,
    SupervisorModeExecutionProtection = 1UL << 20,
    SupervisorModeAccessPrevention = 1UL << 21,
}

public static class ControlRegisters
{
    public static Cr0Flags Cr0
    {
        get => (Cr0Flags)Native.ReadCr0();
        set => Native.WriteCr0((ulong)value);
    }

    /// <summary>The faulting linear address of the last page fault.</summary>
    public static ulong Cr2 => Native.ReadCr2();

    /// <summary>CR3 as is: the top-level page table's address with its flag (or PCID) bits, for reports.</summary>
    public static ulong Cr3 => Native.ReadCr3();

    /// <summary>Physical address of the active top-level page table (CR3 without its flag bits).</summary>
    public static PhysicalAddress PageTableRoot => PhysicalAddress.Truncate(Native.ReadCr3() & PageTableEntry.AddressMask);

    /// <summary>Switches the address space. Flushes all non-global TLB entries.</summary>
    /// <remarks>
    /// Unsafe: the caller must guarantee that <paramref name="root"/> is a page-aligned top-level table
    /// that maps everything the kernel touches from here on - the running code, its stack, the data it
    /// holds references to, the interrupt tables and stacks - at the same virtual addresses as now,
    /// and that the tables stay valid (not freed or reused) while loaded. Otherwise the next fetch,
    /// push or interrupt faults or silently reads other memory.
    /// </remarks>
    public static unsafe void LoadPageTableRoot(PhysicalAddress root) => Native.WriteCr3(root.Value);

    public static Cr4Flags Cr4
    {
        get => (Cr4Flags)Native.ReadCr4();
        set => Native.WriteCr4((ulong)value);
    }

    public static void InvalidatePage(VirtualAddress address) => Native.InvalidatePage(address.Value);
}
