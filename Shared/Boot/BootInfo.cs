// The contract between the loader (Efi/) and the kernel (Kernel/): one
// struct the loader fills and passes to KernelMain in rcx. Versioned: the
// kernel checks Magic, Version and Size before it trusts anything else.
//
// Addresses are virtual in the kernel's address space unless the name says
// Physical. Change the layout only together with CurrentVersion.
using System.Runtime.InteropServices;

namespace Shared.Boot;

[StructLayout(LayoutKind.Sequential)]
public unsafe struct BootInfo
{
    /// <summary>"BOOTINFO" read as a little-endian 64-bit number.</summary>
    public const ulong ExpectedMagic = 0x4F464E49544F4F42;

    public const uint CurrentVersion = 1;

    public ulong Magic;
    public uint Version;

    /// <summary>sizeof(BootInfo) as the loader compiled it: catches a loader and kernel built from different sources.</summary>
    public uint Size;

    public FramebufferInfo Framebuffer;

    /// <summary>MemoryRegion[MemoryRegionCount], sorted by start, never overlapping.</summary>
    public MemoryRegion* MemoryRegions;
    public ulong MemoryRegionCount;

    /// <summary>All physical memory from 0 to PhysicalMemoryMappedSize is mapped at this offset (read/write, no-execute).</summary>
    public ulong PhysicalMemoryOffset;
    public ulong PhysicalMemoryMappedSize;

    /// <summary>Physical address of the ACPI RSDP, 0 when the firmware has none.</summary>
    public ulong RsdpPhysical;

    public ulong KernelPhysicalBase;
    public ulong KernelVirtualBase;
    public ulong KernelImageSize;

    /// <summary>The kernel stack [bottom, top); the page just below bottom is an unmapped guard page.</summary>
    public ulong KernelStackBottom;
    public ulong KernelStackTop;

    /// <summary>Physical address of the top-level page table the kernel starts on.</summary>
    public ulong PageTableRootPhysical;

    /// <summary>Time-stamp counter at loader entry and just before the jump to the kernel.</summary>
    public ulong LoaderEntryTsc;
    public ulong LoaderExitTsc;

    public BootConfig Config;

    public bool IsValid => Magic == ExpectedMagic && Version == CurrentVersion && Size == (uint)sizeof(BootInfo);
}

public enum PixelFormat : uint
{
    /// <summary>No framebuffer (no GOP, or a BltOnly mode): the kernel runs on serial alone.</summary>
    None = 0,

    /// <summary>32 bits per pixel, bytes R, G, B, reserved.</summary>
    Rgbx = 1,

    /// <summary>32 bits per pixel, bytes B, G, R, reserved.</summary>
    Bgrx = 2,

    /// <summary>Channel positions given by the masks.</summary>
    Bitmask = 3,
}

[StructLayout(LayoutKind.Sequential)]
public struct FramebufferInfo
{
    public ulong PhysicalBase;
    public ulong VirtualBase;
    public ulong SizeBytes;
    public uint Width;
    public uint Height;

    /// <summary>Pixels per scan line (at least Width; the rest of each line is padding).</summary>
    public uint Stride;
    public uint BytesPerPixel;
    public PixelFormat Format;
    public uint RedMask;
    public uint GreenMask;
    public uint BlueMask;
    public uint ReservedMask;

    public bool IsPresent => Format != PixelFormat.None && VirtualBase != 0;
}

public enum MemoryRegionKind : uint
{
    /// <summary>Free RAM the kernel may use.</summary>
    Usable = 1,

    /// <summary>Loader and boot-services code and data: free once the kernel no longer needs what the loader left there.</summary>
    BootReclaimable = 2,
    AcpiReclaimable = 3,
    AcpiNvs = 4,
    Mmio = 5,
    Reserved = 6,
    KernelImage = 7,
    PageTables = 8,
    BootInfo = 9,
    Framebuffer = 10,
    KernelStack = 11,
    Unusable = 12,
}

[StructLayout(LayoutKind.Sequential)]
public struct MemoryRegion
{
    public ulong Start;
    public ulong Length;
    public MemoryRegionKind Kind;
    public uint Reserved;

    public ulong End => Start + Length;
}

public enum LogLevel : uint
{
    Error = 0,
    Warning = 1,
    Info = 2,
    Debug = 3,
}

public enum AllocatorKind : uint
{
    Default = 0,
    Bump = 1,
    LinkedList = 2,
    FixedSizeBlock = 3,
}

/// <summary>Settings read from the optional config file beside BOOTX64.EFI (see docs).</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct BootConfig
{
    public const int ArgumentsCapacity = 256;

    public uint MaxWidth;
    public uint MaxHeight;
    public LogLevel LogLevel;
    public uint SerialEnabled;

    /// <summary>Console glyph scale; 0 = choose from the resolution.</summary>
    public uint ConsoleScale;
    public AllocatorKind Allocator;
    public ulong KernelStackSize;

    /// <summary>Free-form kernel arguments (ASCII, NUL-terminated), e.g. which test suite to run.</summary>
    public fixed byte Arguments[ArgumentsCapacity];
}
