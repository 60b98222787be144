// The kernel's address space as a described list (for the shell's `mem` and
// the tests): every region it maps, with its permissions. Built from what the
// loader reported (BootInfo), the kernel image's own section headers (mapped
// read-only at KernelVirtualBase), the IST stacks and the heap region. The
// low half holds nothing; page 0 is never mapped.
using System;
using Kernel.Interrupts;
using Shared.Boot;
using Shared.Memory;

namespace Kernel.Memory;

public static unsafe class KernelAddressSpaceRegions
{
    private const int FixedRegions = 7;

    /// <summary>Kernel sections (headers included), window, framebuffer, boot stack, three IST stacks, heap.</summary>
    public static int Count => 1 + SectionCount + FixedRegions;

    public static AddressSpaceRegion Get(int index)
    {
        BootInfo* boot = KernelState.BootInfo;
        if (index == 0)
            return new AddressSpaceRegion("kernel headers", new VirtualAddress(boot->KernelVirtualBase), PageAlign(Image(out _).SizeOfHeaders), PageTableFlags.NoExecute);
        if (index <= SectionCount)
        {
            PeImage image = Image(out _);
            PeSection section = image.GetSection(index - 1);
            Span<char> name = stackalloc char[8];
            section.WriteName(name, out int written);
            return new AddressSpaceRegion("kernel " + new string(name.Slice(0, written)), new VirtualAddress(boot->KernelVirtualBase + section.VirtualAddress),
                PageAlign(section.MemorySize), KernelAddressSpace<KernelPageTableMemory>.SectionFlags(section));
        }

        FramebufferInfo fb = boot->Framebuffer;
        PageTableFlags data = PageTableFlags.Writable | PageTableFlags.NoExecute;
        return (index - SectionCount - 1) switch
        {
            0 => new AddressSpaceRegion("physical window", PhysicalWindow.Start, PhysicalWindow.Size, data),
            1 => new AddressSpaceRegion("framebuffer", new VirtualAddress(fb.IsPresent ? fb.VirtualBase : KernelLayout.FramebufferBase), fb.IsPresent ? fb.SizeBytes : 0,
                data | ((fb.Flags & FramebufferFlags.WriteCombining) != 0 ? PageTableFlags.WriteThrough : PageTableFlags.None)),
            2 => Stack(InterruptStacks.Boot),
            3 => Stack(InterruptStacks.DoubleFault),
            4 => Stack(InterruptStacks.NonMaskableInterrupt),
            5 => Stack(InterruptStacks.MachineCheck),
            _ => new AddressSpaceRegion("heap", HeapRegion.Start, HeapRegion.MappedBytes, data),
        };
    }

    /// <summary>One line per region: "0xFFFF800000001000  1216 KiB  r-x  kernel .text".</summary>
    public static string Describe()
    {
        string text = "";
        for (int i = 0; i < Count; i++)
        {
            AddressSpaceRegion region = Get(i);
            text += (i == 0 ? "" : "\n") + region.Start.ToString() + "  " + (region.Size / 1024).ToString() + " KiB  " + region.Permissions + "  " + region.Name
                + (region.GuardBelow ? " (guard page below)" : "");
        }

        return text;
    }

    private static AddressSpaceRegion Stack(GuardedStack stack)
        => new(stack.Name + " stack", new VirtualAddress(stack.Bottom), stack.Top - stack.Bottom, PageTableFlags.Writable | PageTableFlags.NoExecute, guardBelow: true);

    private static int SectionCount => Image(out bool valid).SectionCount is int count && valid ? count : 0;

    // The kernel's PE headers, as the loader mapped them (read-only) at the image base.
    private static PeImage Image(out bool valid)
    {
        BootInfo* boot = KernelState.BootInfo;
        valid = PeImage.TryParse(new ReadOnlySpan<byte>((void*)boot->KernelVirtualBase, (int)boot->KernelImageSize), out PeImage image) == PeError.None;
        return image;
    }

    private static ulong PageAlign(ulong size) => (size + KernelLayout.PageSize - 1) & ~(KernelLayout.PageSize - 1);
}
