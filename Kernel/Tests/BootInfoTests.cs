// What the loader handed over, checked from the kernel's side after the jump:
// the boot information's own consistency, and that the page tables it
// describes really are the ones the CPU runs on (walked through the physical
// window, never by touching low addresses). Suite "bootinfo": the loader boot
// tests (tests/Boot.Tests/LoaderMatrixTests.cs) run it on every machine
// configuration and compare the "[bootinfo]" lines with what QEMU was given.
using System;
using Kernel.Arch;
using Kernel.Diagnostics;
using Kernel.Memory;
using Kernel.Testing;
using Shared.Boot;
using Shared.Memory;

namespace Kernel.Tests;

internal static unsafe class BootInfoTests
{
    private const string Suite = "bootinfo";
    private const ulong Page = KernelLayout.PageSize;

    // Static data in the three kinds of kernel section, for the W^X test.
    private static int s_writableField = 1;

    private static ReadOnlySpan<byte> ReadOnlyData => new byte[] { 0x54, 0x65, 0x73, 0x73, 0x65, 0x72, 0x61 };

    private static BootInfo* Info => KernelState.BootInfo;

    private static PageTableMapper<KernelPageTableMemory> Tables => KernelPageTables.Active;

    [KernelTest(Suite = Suite)]
    public static void Contract_MagicVersionAndSizeMatchThisKernel()
    {
        Assert.Equal(BootInfo.ExpectedMagic, Info->Magic);
        Assert.Equal((ulong)BootInfo.CurrentVersion, (ulong)Info->Version);
        Assert.Equal((ulong)sizeof(BootInfo), (ulong)Info->Size);
        Assert.Equal(KernelLayout.PhysicalMemoryOffset, Info->PhysicalMemoryOffset);
        Assert.True(new VirtualAddress((ulong)Info).IsHigherHalf, "the boot information is reached through a higher-half address");
    }

    [KernelTest(Suite = Suite)]
    public static void PageTables_AreTheOnesTheCpuRunsOn()
    {
        Assert.Equal(Info->PageTableRootPhysical, ControlRegisters.PageTableRoot.Value);
        Assert.True((Msr.Efer.Read() & (ulong)EferFlags.NoExecuteEnable) != 0, "EFER.NXE is set");
        Assert.True((ControlRegisters.Cr0 & Cr0Flags.WriteProtect) != 0, "CR0.WP is set");
    }

    // Runs on every machine of the loader matrix (default CPU and -cpu max): the kernel set the SSE bits itself.
    [KernelTest(Suite = Suite)]
    public static void Sse_IsEnabledByTheKernel_Cr4OsfxsrAndOsxmmexcpt()
    {
        Assert.True((ControlRegisters.Cr4 & Cr4Flags.OsFxsr) != 0, "CR4.OSFXSR is set");
        Assert.True((ControlRegisters.Cr4 & Cr4Flags.OsXmmExceptions) != 0, "CR4.OSXMMEXCPT is set");
        Assert.True((ControlRegisters.Cr0 & (Cr0Flags.Emulation | Cr0Flags.TaskSwitched)) == 0, "CR0.EM and CR0.TS are clear");
        Assert.True((ControlRegisters.Cr0 & Cr0Flags.MonitorCoprocessor) != 0, "CR0.MP is set");
        Assert.True(Sse.IsEnabled, "Sse.IsEnabled agrees");
        double third = 1.0 / ThreeAtRunTime();
        Assert.True(third > 0.333 && third < 0.334, "SSE2 double division works");
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static double ThreeAtRunTime() => 3.0;

    [KernelTest(Suite = Suite)]
    public static void Framebuffer_GeometryAddsUp_AndIsMappedWritableNoExecute()
    {
        FramebufferInfo fb = Info->Framebuffer;
        if (!fb.IsPresent)
        {
            Assert.Equal((ulong)PixelFormat.None, (ulong)fb.Format);
            KernelLog.WriteLine("[bootinfo] framebuffer none");
            return;
        }

        Assert.True(fb.Width > 0 && fb.Height > 0, "the framebuffer has a size");
        Assert.True(fb.Stride >= fb.Width, "stride >= width");
        Assert.True(fb.BytesPerPixel >= 1 && fb.BytesPerPixel <= 4, "1 to 4 bytes per pixel");
        Assert.True(fb.SizeBytes >= (ulong)fb.Stride * fb.Height * fb.BytesPerPixel, "size >= stride x height x bytes per pixel");
        AssertChannel(fb.RedMask, fb.RedShift, fb.RedSize);
        AssertChannel(fb.GreenMask, fb.GreenShift, fb.GreenSize);
        AssertChannel(fb.BlueMask, fb.BlueShift, fb.BlueSize);
        Assert.True(FramebufferLayout.MasksAreValid(fb.RedMask, fb.GreenMask, fb.BlueMask, fb.ReservedMask), "channel masks are disjoint runs");

        AssertMapped(fb.VirtualBase, fb.PhysicalBase, writable: true, executable: false);
        AssertMapped(fb.VirtualBase + fb.SizeBytes - 1, fb.PhysicalBase + fb.SizeBytes - 1, writable: true, executable: false);
        bool writeCombining = (fb.Flags & FramebufferFlags.WriteCombining) != 0;
        Assert.True(Tables.TryTranslate(new VirtualAddress(fb.VirtualBase), out _, out PageTableFlags flags, out _));
        Assert.Equal(writeCombining, (flags & PageTableFlags.WriteThrough) != 0);
        if (writeCombining)
            Assert.Equal(1UL, (new Msr(0x277).Read() >> 8) & 0x7); // IA32_PAT entry 1 = WC

        // The memory map lists the framebuffer so no allocator hands it out.
        Assert.True(FindRegion(fb.PhysicalBase, out MemoryRegion region) && region.Kind == MemoryRegionKind.Framebuffer, "the framebuffer is a Framebuffer region");

        KernelLog.WriteLine("[bootinfo] framebuffer " + fb.Width.ToString() + "x" + fb.Height.ToString() + " stride " + fb.Stride.ToString()
            + " bpp " + fb.BytesPerPixel.ToString() + " size " + fb.SizeBytes.ToString() + " wc " + (writeCombining ? "1" : "0"));
    }

    [KernelTest(Suite = Suite)]
    public static void MemoryRegions_AreSortedDisjointMergedAndPageAligned()
    {
        Assert.True(Info->MemoryRegionCount > 0, "there are memory regions");
        ulong previousEnd = 0;
        MemoryRegionKind previousKind = 0;
        for (ulong i = 0; i < Info->MemoryRegionCount; i++)
        {
            MemoryRegion region = Info->MemoryRegions[i];
            Assert.True(region.Length > 0, "no empty region");
            Assert.True(MemoryMapBuilder.Priority(region.Kind) > 0, "every region has a known kind");
            Assert.True(region.Start % Page == 0 && region.Length % Page == 0, "regions are whole pages");
            Assert.True(i == 0 || region.Start >= previousEnd, "sorted and never overlapping");
            Assert.False(i > 0 && region.Start == previousEnd && region.Kind == previousKind, "neighbours of the same kind are merged");
            previousEnd = region.End;
            previousKind = region.Kind;
        }

        AssertRegionCovers(Info->KernelPhysicalBase, Info->KernelImageSize, MemoryRegionKind.KernelImage);
        AssertRegionCovers(Info->PageTableRootPhysical, Page, MemoryRegionKind.PageTables);
        AssertRegionCovers((ulong)Info - Info->PhysicalMemoryOffset, (ulong)sizeof(BootInfo), MemoryRegionKind.BootInfo);
        AssertRegionCovers((ulong)Info->MemoryRegions - Info->PhysicalMemoryOffset, Info->MemoryRegionCount * (ulong)sizeof(MemoryRegion), MemoryRegionKind.BootInfo);

        // "Usable" below = the RAM the kernel will own: free now, free once it is done with the loader's
        // data, and what the loader set up for it. The boot tests compare it with QEMU's -m.
        ulong free = Total(MemoryRegionKind.Usable);
        ulong reclaimable = Total(MemoryRegionKind.BootReclaimable);
        ulong handedOver = Total(MemoryRegionKind.KernelImage) + Total(MemoryRegionKind.KernelStack) + Total(MemoryRegionKind.PageTables) + Total(MemoryRegionKind.BootInfo);
        ulong firmware = Total(MemoryRegionKind.AcpiReclaimable) + Total(MemoryRegionKind.AcpiNvs) + Total(MemoryRegionKind.RuntimeServices);
        KernelLog.WriteLine("[bootinfo] usable memory " + ((free + reclaimable + handedOver) >> 20).ToString() + " MiB (free " + (free >> 20).ToString()
            + " MiB, boot-reclaimable " + (reclaimable >> 20).ToString() + " MiB, loader-provided " + (handedOver >> 10).ToString() + " KiB; ACPI and runtime services "
            + (firmware >> 10).ToString() + " KiB) in " + Info->MemoryRegionCount.ToString() + " regions");
    }

    [KernelTest(Suite = Suite)]
    public static void PhysicalWindow_CoversAllMemoryAndTheFramebuffer_NoExecute()
    {
        ulong size = Info->PhysicalMemoryMappedSize;
        Assert.True(size >= KernelLayout.MinimumPhysicalWindow, "the window covers at least 4 GiB");
        Assert.True(size % KernelLayout.PhysicalWindowGranularity == 0, "the window is whole gigabytes");
        for (ulong i = 0; i < Info->MemoryRegionCount; i++)
            Assert.True(Info->MemoryRegions[i].End <= size, "every region lies inside the window");
        if (Info->Framebuffer.IsPresent)
            Assert.True(Info->Framebuffer.PhysicalBase + Info->Framebuffer.SizeBytes <= size, "the framebuffer lies inside the window");

        bool gigabytePages = (Cpu.Cpuid(0x8000_0001).Edx & (1u << 26)) != 0;
        Assert.Equal(gigabytePages ? (ulong)PageSize.Size1GiB : (ulong)PageSize.Size2MiB, Info->PhysicalMemoryPageSize);
        for (ulong physical = 0; physical < size; physical += size / 64)
            AssertWindowPage(physical);
        AssertWindowPage(size - 1);
        for (ulong i = 0; i < Info->MemoryRegionCount; i++)
            AssertWindowPage(Info->MemoryRegions[i].Start);
        Assert.False(Tables.TryTranslate(new VirtualAddress(Info->PhysicalMemoryOffset + size), out _, out _, out _), "nothing is mapped past the window");

        KernelLog.WriteLine("[bootinfo] window " + (size >> 30).ToString() + " GiB in " + (Info->PhysicalMemoryPageSize >> 20).ToString() + " MiB pages");
    }

    [KernelTest(Suite = Suite)]
    public static void KernelImage_IsMappedWriteXorExecute()
    {
        AssertMapped(Info->KernelVirtualBase, Info->KernelPhysicalBase, writable: false, executable: false);
        int code = 0;
        int writable = 0;
        for (ulong page = Info->KernelVirtualBase; page < Info->KernelVirtualBase + Info->KernelImageSize; page += Page)
        {
            if (!Tables.TryTranslate(new VirtualAddress(page), out PhysicalAddress physical, out PageTableFlags flags, out _))
                continue;
            bool isWritable = (flags & PageTableFlags.Writable) != 0;
            bool isExecutable = (flags & PageTableFlags.NoExecute) == 0;
            Assert.False(isWritable && isExecutable, "no kernel page is both writable and executable");
            Assert.Equal(Info->KernelPhysicalBase + (page - Info->KernelVirtualBase), physical.Value);
            code += isExecutable ? 1 : 0;
            writable += isWritable ? 1 : 0;
        }

        Assert.True(code > 0 && writable > 0, "the image has code and data pages");
        delegate*<void> method = &KernelImage_IsMappedWriteXorExecute;
        AssertPermissions((ulong)method, writable: false, executable: true);
        fixed (int* field = &s_writableField)
            AssertPermissions((ulong)field, writable: true, executable: false);
        fixed (byte* data = ReadOnlyData)
            AssertPermissions((ulong)data, writable: false, executable: false);
    }

    [KernelTest(Suite = Suite)]
    public static void KernelStack_IsInUse_WithAnUnmappedGuardPageBelow()
    {
        int local = 0;
        ulong stackPointer = (ulong)&local;
        Assert.True(stackPointer >= Info->KernelStackBottom && stackPointer < Info->KernelStackTop, "the kernel runs on the boot stack");
        Assert.Equal(Info->Config.KernelStackSize, Info->KernelStackTop - Info->KernelStackBottom);
        Assert.True(Info->KernelStackTop - Info->KernelStackBottom >= KernelLayout.MinimumKernelStackSize, "at least 64 KiB of stack");
        Assert.Equal(0UL, Info->KernelStackTop % 16);
        AssertPermissions(Info->KernelStackBottom, writable: true, executable: false);
        AssertPermissions(Info->KernelStackTop - 1, writable: true, executable: false);
        Assert.False(Tables.TryTranslate(new VirtualAddress(Info->KernelStackBottom - Page), out _, out _, out _), "the guard page is not mapped");
        AssertRegionCovers(Translate(Info->KernelStackBottom), Info->KernelStackTop - Info->KernelStackBottom, MemoryRegionKind.KernelStack);
    }

    [KernelTest(Suite = Suite)]
    public static void LowHalf_IsEmpty_AfterStartUp()
    {
        PageTableMapper<KernelPageTableMemory> tables = Tables;
        for (int i = 0; i < LowHalf.TopLevelEntries; i++)
            Assert.True(tables.TopLevelEntry(i).IsUnused, "top-level entries 0..255 are empty");
        Assert.False(tables.TryTranslate(VirtualAddress.Zero, out _, out _, out _), "page 0 is not mapped");

        // The loader did map its jump page there; the kernel removed it.
        Assert.True(Info->IdentityMappedLength > 0 && Info->IdentityMappedStart + Info->IdentityMappedLength <= 0x0000_8000_0000_0000, "the loader reports its identity-mapped page");
        Assert.False(tables.TryTranslate(new VirtualAddress(Info->IdentityMappedStart), out _, out _, out _), "the loader's jump page is gone");
    }

    [KernelTest(Suite = Suite)]
    public static void Rsdp_HasAValidSignatureAndChecksums()
    {
        Assert.True(Info->RsdpPhysical != 0, "QEMU machines always have ACPI");
        var rsdp = (byte*)(Info->PhysicalMemoryOffset + Info->RsdpPhysical);
        int length = Info->RsdpRevision >= 2 ? (int)*(uint*)(rsdp + 20) : Rsdp.Version1Length;
        var bytes = new ReadOnlySpan<byte>(rsdp, length);
        Assert.Equal("RSD PTR ", Ascii(bytes.Slice(0, 8)));
        Assert.Equal(0L, Sum(bytes.Slice(0, 20)));
        if (Info->RsdpRevision >= 2)
            Assert.Equal(0L, Sum(bytes));
        Assert.Equal((long)Info->RsdpRevision, bytes[15]);
        KernelLog.WriteLine("[bootinfo] rsdp revision " + Info->RsdpRevision.ToString() + " oem '" + Ascii(bytes.Slice(9, 6)) + "' length " + length.ToString());
    }

    [KernelTest(Suite = Suite)]
    public static void LoaderTimestamps_AreOrdered()
    {
        Assert.True(Info->LoaderEntryTsc > 0 && Info->LoaderEntryTsc < Info->LoaderExitTsc, "loader entry before loader exit");
        Assert.True(Info->LoaderExitTsc < Cpu.ReadTimeStampCounter(), "loader exit before now");
        KernelLog.WriteLine("[bootinfo] loader ran " + (Info->LoaderExitTsc - Info->LoaderEntryTsc).ToString() + " TSC cycles");
    }

    [KernelTest(Suite = Suite)]
    public static void Config_FromKernelConf_ReachesTheKernel()
    {
        BootConfig config = Info->Config;
        Assert.True(KernelState.Arguments.StartsWith("ktest."), "the kernel arguments came through");
        if (Info->Framebuffer.IsPresent && Info->Framebuffer.Width <= config.MaxWidth)
            Assert.True(Info->Framebuffer.Height <= config.MaxHeight, "the chosen mode fits the configured maximum");
        KernelLog.WriteLine("[bootinfo] config resolution " + config.MaxWidth.ToString() + "x" + config.MaxHeight.ToString() + " log "
            + ((uint)config.LogLevel).ToString() + " stack " + (config.KernelStackSize >> 10).ToString() + "K");
    }

    private static void AssertChannel(uint mask, byte shift, byte size)
    {
        Assert.True(size > 0 && shift + size <= 32, "a colour channel has bits");
        Assert.Equal((ulong)mask, (ulong)((uint)(((1UL << size) - 1) << shift)));
    }

    // The loader maps the window with one page size; the kernel splits a window page only where part of it
    // needs another memory type (the framebuffer's write-combining alias, uncached device registers:
    // KernelMemory, MmioRegion). So a smaller page must lie in a big page that overlaps such a range.
    private static void AssertWindowPage(ulong physical)
    {
        AssertMapped(Info->PhysicalMemoryOffset + physical, physical, writable: true, executable: false);
        Tables.TryTranslate(new VirtualAddress(Info->PhysicalMemoryOffset + physical), out _, out _, out PageSize size);
        ulong loaderPage = Info->PhysicalMemoryPageSize;
        Assert.True((ulong)size <= loaderPage, "window pages are at most the loader's size");
        if ((ulong)size < loaderPage)
            Assert.True(NeedsOwnMemoryType(physical & ~(loaderPage - 1), loaderPage), "window page at 0x" + physical.ToString("X") + " was split without a device range in it");
    }

    private static bool NeedsOwnMemoryType(ulong start, ulong length)
    {
        const ulong ApicArea = 0xFEC0_0000, ApicAreaEnd = 0xFF00_0000; // I/O APIC and local APIC registers
        if (Overlaps(start, length, ApicArea, ApicAreaEnd - ApicArea))
            return true;
        if (Info->Framebuffer.IsPresent && Overlaps(start, length, Info->Framebuffer.PhysicalBase, Info->Framebuffer.SizeBytes))
            return true;
        for (ulong i = 0; i < Info->MemoryRegionCount; i++)
        {
            MemoryRegion region = Info->MemoryRegions[i];
            bool device = region.Kind == MemoryRegionKind.Mmio || region.Kind == MemoryRegionKind.Reserved || region.Kind == MemoryRegionKind.Framebuffer;
            if (device && Overlaps(start, length, region.Start, region.End - region.Start))
                return true;
        }

        return false;
    }

    private static bool Overlaps(ulong start, ulong length, ulong otherStart, ulong otherLength)
        => start < otherStart + otherLength && otherStart < start + length;

    private static void AssertMapped(ulong virtualAddress, ulong physical, bool writable, bool executable)
    {
        Assert.True(Tables.TryTranslate(new VirtualAddress(virtualAddress), out PhysicalAddress translated, out _, out _), "0x" + virtualAddress.ToString("X") + " is mapped");
        Assert.Equal(physical, translated.Value);
        AssertPermissions(virtualAddress, writable, executable);
    }

    private static void AssertPermissions(ulong virtualAddress, bool writable, bool executable)
    {
        Assert.True(Tables.TryTranslate(new VirtualAddress(virtualAddress), out _, out PageTableFlags flags, out _), "0x" + virtualAddress.ToString("X") + " is mapped");
        Assert.Equal(writable, (flags & PageTableFlags.Writable) != 0);
        Assert.Equal(executable, (flags & PageTableFlags.NoExecute) == 0);
    }

    private static ulong Translate(ulong virtualAddress)
    {
        Assert.True(Tables.TryTranslate(new VirtualAddress(virtualAddress), out PhysicalAddress physical, out _, out _), "0x" + virtualAddress.ToString("X") + " is mapped");
        return physical.Value;
    }

    private static bool FindRegion(ulong physical, out MemoryRegion found)
    {
        for (ulong i = 0; i < Info->MemoryRegionCount; i++)
        {
            MemoryRegion region = Info->MemoryRegions[i];
            if (physical >= region.Start && physical < region.End)
            {
                found = region;
                return true;
            }
        }

        found = default;
        return false;
    }

    private static void AssertRegionCovers(ulong start, ulong length, MemoryRegionKind kind)
    {
        Assert.True(FindRegion(start, out MemoryRegion region), "0x" + start.ToString("X") + " is in the memory map");
        Assert.Equal((ulong)kind, (ulong)region.Kind);
        Assert.True(start + length <= region.End, "the whole range is one region");
    }

    private static ulong Total(MemoryRegionKind kind)
    {
        ulong total = 0;
        for (ulong i = 0; i < Info->MemoryRegionCount; i++)
        {
            if (Info->MemoryRegions[i].Kind == kind)
                total += Info->MemoryRegions[i].Length;
        }

        return total;
    }

    private static long Sum(ReadOnlySpan<byte> bytes)
    {
        byte sum = 0;
        foreach (byte b in bytes)
            sum += b;
        return sum;
    }

    private static string Ascii(ReadOnlySpan<byte> bytes)
    {
        char* text = stackalloc char[bytes.Length];
        for (int i = 0; i < bytes.Length; i++)
            text[i] = bytes[i] >= 0x20 && bytes[i] < 0x7F ? (char)bytes[i] : '?';
        return new string(text, 0, bytes.Length);
    }
}
