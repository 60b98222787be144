using Host.Tests.Memory;
using Shared.Boot;
using Shared.Memory;
using Xunit;

namespace Host.Tests.Boot;

// The loader's page-table building, run over simulated physical memory: every range it maps is translated
// back page by page, with its permissions, and what must stay unmapped is checked to be unmapped.
public sealed class KernelAddressSpaceTests : IDisposable
{
    private const ulong KernelPhysical = 0x0200_0000;
    private const ulong StackPhysical = 0x0300_0000;
    private const ulong StackSize = 64 * 1024;
    private const ulong JumpCode = 0x0DEA_DFF0; // 16 bytes before a page boundary: the code straddles two pages

    private readonly SimulatedPhysicalMemory _memory = new(firstFrame: 0x1_0000_0000);
    private KernelAddressSpace<SimulatedTables> _space;

    public KernelAddressSpaceTests()
    {
        Assert.True(KernelAddressSpace<SimulatedTables>.TryCreate(new SimulatedTables(_memory), out _space));
    }

    public void Dispose() => _memory.Dispose();

    private void AssertPage(ulong virtualAddress, ulong physical, bool writable, bool executable, PageSize? size = null)
    {
        Assert.True(_space.TryTranslate(new VirtualAddress(virtualAddress), out PhysicalAddress translated, out PageTableFlags flags, out PageSize pageSize),
            $"0x{virtualAddress:X} should be mapped");
        Assert.Equal(physical, translated.Value);
        Assert.Equal(writable, flags.HasFlag(PageTableFlags.Writable));
        Assert.Equal(executable, !flags.HasFlag(PageTableFlags.NoExecute));
        if (size is PageSize expected)
            Assert.Equal(expected, pageSize);
    }

    private void AssertUnmapped(ulong virtualAddress)
        => Assert.False(_space.TryTranslate(new VirtualAddress(virtualAddress), out _, out _, out _), $"0x{virtualAddress:X} should not be mapped");

    [Fact]
    public void KernelImage_EverySectionPage_TranslatesBack_WithWriteXorExecute()
    {
        PeFileBuilder builder = PeFileBuilder.Kernel();
        byte[] file = builder.Build();
        Assert.Equal(PeError.None, PeImage.TryParse(file, out PeImage image));
        Assert.Equal(MapResult.Success, _space.MapKernelImage(image, new PhysicalAddress(KernelPhysical)));

        AssertPage(KernelLayout.KernelBase, KernelPhysical, writable: false, executable: false);
        foreach (PeFileBuilder.Section section in builder.Sections)
        {
            bool writable = (section.Characteristics & PeSection.WriteFlag) != 0;
            bool executable = (section.Characteristics & PeSection.ExecuteFlag) != 0;
            ulong size = Math.Max(section.VirtualSize, (uint)section.Data.Length);
            for (ulong offset = 0; offset < size; offset += 4096)
                AssertPage(KernelLayout.KernelBase + section.Rva + offset, KernelPhysical + section.Rva + offset, writable, executable, PageSize.Size4KiB);
        }

        AssertUnmapped(KernelLayout.KernelBase + 0x2000); // the gap between .text and .rdata
        AssertUnmapped(KernelLayout.KernelBase + image.PageAlignedSize);
    }

    [Theory]
    [InlineData(4UL << 30, PageSize.Size2MiB)]
    [InlineData(8UL << 30, PageSize.Size2MiB)]
    [InlineData(8UL << 30, PageSize.Size1GiB)]
    public void PhysicalWindow_EveryPage_TranslatesToItsPhysicalAddress_NoExecute(ulong size, PageSize pageSize)
    {
        Assert.Equal(MapResult.Success, _space.MapPhysicalWindow(size, pageSize));
        for (ulong physical = 0; physical < size; physical += (ulong)pageSize)
        {
            AssertPage(KernelLayout.PhysicalMemoryOffset + physical, physical, writable: true, executable: false, pageSize);
            AssertPage(KernelLayout.PhysicalMemoryOffset + physical + (ulong)pageSize - 8, physical + (ulong)pageSize - 8, writable: true, executable: false, pageSize);
        }

        AssertUnmapped(KernelLayout.PhysicalMemoryOffset + size);
    }

    [Fact]
    public void PhysicalWindow_In1GiBPages_NeedsTwoTables_And2MiBPages_OnePerGigabyte()
    {
        using var gigabyteMemory = new SimulatedPhysicalMemory();
        Assert.True(KernelAddressSpace<SimulatedTables>.TryCreate(new SimulatedTables(gigabyteMemory), out var gigabyte));
        Assert.Equal(MapResult.Success, gigabyte.MapPhysicalWindow(64UL << 30, PageSize.Size1GiB));
        Assert.Equal(2, gigabyteMemory.TablesAllocated);

        Assert.Equal(MapResult.Success, _space.MapPhysicalWindow(8UL << 30, PageSize.Size2MiB));
        Assert.Equal(2 + 8, _memory.TablesAllocated);
    }

    [Fact]
    public void Framebuffer_AboveAllRam_IsMappedWriteCombining_AndCoveredByTheWindow()
    {
        // A bochs-display / virtio BAR high up, 2 MiB aligned plus a 4 KiB offset, not a whole number of pages.
        const ulong FramebufferPhysical = 0x8_0020_1000;
        const ulong FramebufferSize = (5 << 20) + 100;
        ulong window = KernelLayout.PhysicalWindowSize(2UL << 30, FramebufferPhysical + FramebufferSize);
        Assert.Equal(33UL << 30, window);
        Assert.Equal(MapResult.Success, _space.MapPhysicalWindow(window, PageSize.Size2MiB));
        Assert.Equal(MapResult.Success, _space.MapFramebuffer(new PhysicalAddress(FramebufferPhysical), FramebufferSize, writeCombining: true, out VirtualAddress virtualBase));

        Assert.Equal(KernelLayout.FramebufferBase + (FramebufferPhysical & ((1UL << 30) - 1)), virtualBase.Value);
        for (ulong offset = 0; offset < FramebufferSize; offset += 4096)
        {
            AssertPage(virtualBase.Value + offset, FramebufferPhysical + offset, writable: true, executable: false);
            Assert.True(_space.TryTranslate(virtualBase + offset, out _, out PageTableFlags flags, out _));
            Assert.True(flags.HasFlag(PageTableFlags.WriteThrough), "PAT entry 1 (write-combining) is selected");
            Assert.False(flags.HasFlag(PageTableFlags.CacheDisable));
            AssertPage(KernelLayout.PhysicalMemoryOffset + FramebufferPhysical + offset, FramebufferPhysical + offset, writable: true, executable: false);
        }

        AssertPage(virtualBase.Value + FramebufferSize - 1, FramebufferPhysical + FramebufferSize - 1, writable: true, executable: false);
        Assert.True(_space.TryTranslate(virtualBase + 0x20_0000, out _, out _, out PageSize size));
        Assert.Equal(PageSize.Size2MiB, size); // huge pages where the layout allows them
    }

    [Fact]
    public void Framebuffer_WithoutPat_IsOrdinaryWriteBack()
    {
        Assert.Equal(MapResult.Success, _space.MapFramebuffer(new PhysicalAddress(0xC000_0000), 4 << 20, writeCombining: false, out VirtualAddress virtualBase));
        Assert.True(_space.TryTranslate(virtualBase, out _, out PageTableFlags flags, out _));
        Assert.False(flags.HasFlag(PageTableFlags.WriteThrough));
    }

    [Fact]
    public void Stack_IsMappedWritableNoExecute_WithAnUnmappedGuardPageBelow()
    {
        Assert.Equal(MapResult.Success, _space.MapStack(new PhysicalAddress(StackPhysical), StackSize));
        for (ulong offset = 0; offset < StackSize; offset += 4096)
            AssertPage(KernelLayout.BootStackBottom + offset, StackPhysical + offset, writable: true, executable: false);
        AssertUnmapped(KernelLayout.BootStackGuard);
        AssertUnmapped(KernelLayout.BootStackGuard + 4095);
        AssertUnmapped(KernelLayout.BootStackBottom + StackSize);
    }

    [Fact]
    public void JumpCode_IsTheOnlyLowHalfMapping_IdentityMappedReadOnlyExecutable()
    {
        BuildEverything();
        Assert.Equal(MapResult.Success, _space.MapIdentity(JumpCode, 20, out ulong start, out ulong length));
        Assert.Equal(0x0DEA_D000UL, start);
        Assert.Equal(0x2000UL, length);
        AssertPage(JumpCode, JumpCode, writable: false, executable: true);
        AssertPage(JumpCode + 16, JumpCode + 16, writable: false, executable: true);

        var mapper = new PageTableMapper<SimulatedTables>(new SimulatedTables(_memory), _space.Root);
        int lowHalfEntries = Enumerable.Range(0, 256).Count(i => mapper.TopLevelEntry(i).IsPresent);
        Assert.Equal(1, lowHalfEntries);
        AssertUnmapped(0);
        AssertUnmapped(start - 4096);
        AssertUnmapped(start + length);

        // What the kernel does at start-up: the low half goes, the higher half stays.
        mapper.ClearTopLevelEntries(0, 256);
        AssertUnmapped(JumpCode);
        AssertPage(KernelLayout.BootStackBottom, StackPhysical, writable: true, executable: false);
    }

    [Fact]
    public void IdentityMapping_OutsideTheLowHalf_IsRefused()
        => Assert.Equal(MapResult.InvalidRange, _space.MapIdentity(0x0000_7FFF_FFFF_F800, 0x1000, out _, out _));

    [Fact]
    public void MappingTheSameRangeTwice_IsReported_NotOverwritten()
    {
        Assert.Equal(MapResult.Success, _space.MapStack(new PhysicalAddress(StackPhysical), StackSize));
        Assert.Equal(MapResult.AlreadyMapped, _space.MapStack(new PhysicalAddress(0x0400_0000), StackSize));
        AssertPage(KernelLayout.BootStackBottom, StackPhysical, writable: true, executable: false);
    }

    [Theory]
    [InlineData(0x8000_0000UL, 0UL, 4UL << 30)]                         // small machine: at least 4 GiB
    [InlineData(0x2_3FFF_F000UL, 0xC080_0000UL, 9UL << 30)]               // RAM above 4 GiB: rounded up to whole gigabytes
    [InlineData(0x8000_0000UL, 0x10_0000_1000UL, 65UL << 30)]             // a framebuffer BAR above everything
    [InlineData(1UL << 45, 0UL, 0UL)]                                     // beyond the 16 TiB window: refused
    public void PhysicalWindowSize_CoversTheMapAndTheFramebuffer(ulong mapEnd, ulong framebufferEnd, ulong expected)
        => Assert.Equal(expected, KernelLayout.PhysicalWindowSize(mapEnd, framebufferEnd));

    private void BuildEverything()
    {
        byte[] file = PeFileBuilder.Kernel().Build();
        Assert.Equal(PeError.None, PeImage.TryParse(file, out PeImage image));
        Assert.Equal(MapResult.Success, _space.MapKernelImage(image, new PhysicalAddress(KernelPhysical)));
        Assert.Equal(MapResult.Success, _space.MapPhysicalWindow(4UL << 30, PageSize.Size2MiB));
        Assert.Equal(MapResult.Success, _space.MapFramebuffer(new PhysicalAddress(0x8000_0000), 3 << 20, writeCombining: true, out _));
        Assert.Equal(MapResult.Success, _space.MapStack(new PhysicalAddress(StackPhysical), StackSize));
    }
}
