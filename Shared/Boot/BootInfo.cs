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

    /// <summary>2: framebuffer channel shifts and caching, runtime/persistent/unaccepted region kinds, window page size, identity-mapped jump page.</summary>
    public const uint CurrentVersion = 3;

    public ulong Magic;
    public uint Version;

    /// <summary>sizeof(BootInfo) as the loader compiled it: catches a loader and kernel built from different sources.</summary>
    public uint Size;

    public FramebufferInfo Framebuffer;

    /// <summary>MemoryRegion[MemoryRegionCount], sorted by start, never overlapping.</summary>
    public MemoryRegion* MemoryRegions;
    public ulong MemoryRegionCount;

    /// <summary>
    /// All physical memory from 0 to PhysicalMemoryMappedSize is mapped at this offset (read/write, no-execute).
    /// The size covers at least 4 GiB (local APIC, IOAPIC, PCI MMIO), the end of the firmware's map and the framebuffer.
    /// </summary>
    public ulong PhysicalMemoryOffset;
    public ulong PhysicalMemoryMappedSize;

    /// <summary>The page size the window is mapped with: 1 GiB where the CPU supports it, otherwise 2 MiB.</summary>
    public ulong PhysicalMemoryPageSize;

    /// <summary>Physical address of the ACPI RSDP (checksums verified by the loader), 0 when the firmware has no valid one.</summary>
    public ulong RsdpPhysical;

    /// <summary>The RSDP's revision: 0 for ACPI 1.0 (RSDT only), 2 or more for ACPI 2.0+ (XSDT).</summary>
    public uint RsdpRevision;
    public uint Reserved0;

    public ulong KernelPhysicalBase;
    public ulong KernelVirtualBase;
    public ulong KernelImageSize;

    /// <summary>The kernel stack [bottom, top); the page just below bottom is an unmapped guard page.</summary>
    public ulong KernelStackBottom;
    public ulong KernelStackTop;

    /// <summary>Physical address of the top-level page table the kernel starts on.</summary>
    public ulong PageTableRootPhysical;

    /// <summary>
    /// The only low-half mapping in those tables: the page(s) of the loader's jump code, identity-mapped because
    /// the CPU executes them while switching CR3. The kernel unmaps the whole low half at start-up.
    /// </summary>
    public ulong IdentityMappedStart;
    public ulong IdentityMappedLength;

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

/// <summary>How the loader mapped the framebuffer.</summary>
[System.Flags]
public enum FramebufferFlags : uint
{
    None = 0,

    /// <summary>
    /// Mapped write-combining: the loader set PAT entry 1 to WC (IA32_PAT) and maps the framebuffer with PWT, so
    /// pixel writes are batched instead of going to the device one by one. The kernel must keep PAT entry 1 as WC
    /// (and program it the same way on other CPUs) while it uses this mapping.
    /// </summary>
    WriteCombining = 1,
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

    /// <summary>Bit position and width of each channel within a pixel, computed from the masks.</summary>
    public byte RedShift;
    public byte RedSize;
    public byte GreenShift;
    public byte GreenSize;
    public byte BlueShift;
    public byte BlueSize;
    public byte ReservedShift;
    public byte ReservedSize;

    public FramebufferFlags Flags;
    public uint Reserved0;

    public bool IsPresent => Format != PixelFormat.None && VirtualBase != 0;

    /// <summary>"1280x800, stride 1280, 32-bit BGR, at 0xC0000000" - or why there is none.</summary>
    public string Describe()
    {
        if (!IsPresent)
            return "none (no usable GOP framebuffer): output on the serial port only";
        string format = Format == PixelFormat.Rgbx ? "RGB" : Format == PixelFormat.Bgrx ? "BGR" : "bitmask";
        return Width.ToString() + "x" + Height.ToString() + ", stride " + Stride.ToString() + ", " + (BytesPerPixel * 8).ToString() + "-bit "
            + format + ", at 0x" + PhysicalBase.ToString("X") + ((Flags & FramebufferFlags.WriteCombining) != 0 ? " (write-combining)" : "");
    }
}

public enum MemoryRegionKind : uint
{
    /// <summary>Free RAM the kernel may use.</summary>
    Usable = 1,

    /// <summary>Loader and boot-services code and data: free once the kernel no longer needs what the loader left there.</summary>
    BootReclaimable = 2,

    /// <summary>ACPI tables: free once the kernel has read (or copied) them.</summary>
    AcpiReclaimable = 3,

    /// <summary>ACPI non-volatile storage: the firmware's, preserved across sleep states.</summary>
    AcpiNvs = 4,

    /// <summary>Device registers the firmware listed (flash, PCIe configuration space...).</summary>
    Mmio = 5,
    Reserved = 6,

    /// <summary>The kernel's own sections, where the loader copied them (mapped at KernelVirtualBase).</summary>
    KernelImage = 7,

    /// <summary>The frames of the page tables the kernel starts on.</summary>
    PageTables = 8,

    /// <summary>This struct and the region list it points to.</summary>
    BootInfo = 9,

    /// <summary>The GOP framebuffer (usually a PCI BAR outside RAM; listed so nothing else claims it).</summary>
    Framebuffer = 10,

    /// <summary>The boot stack (mapped at KernelStackBottom).</summary>
    KernelStack = 11,

    /// <summary>RAM the firmware found errors in.</summary>
    Unusable = 12,

    /// <summary>UEFI runtime services code and data: the firmware's for the machine's whole life, never reclaimable.</summary>
    RuntimeServices = 13,

    /// <summary>Persistent memory (NVDIMM): keeps its contents across reboots, so it is not general-purpose RAM.</summary>
    Persistent = 14,

    /// <summary>RAM a confidential VM (TDX, SEV-SNP) must accept before use; the kernel does not accept memory.</summary>
    Unaccepted = 15,
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
    Tlsf = 4,
}

/// <summary>Fault injection switches for tests ("debug = ..." in the config file).</summary>
[System.Flags]
public enum DebugFlags : uint
{
    None = 0,

    /// <summary>The loader changes the memory map after reading it, so its first ExitBootServices meets a stale map key.</summary>
    StaleMapKey = 1,
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

    /// <summary>Rate of the kernel's periodic timer interrupt (the tick), in Hz.</summary>
    public uint TimerHz;

    /// <summary>Fault injection for tests of the loader's rare paths ("debug = ..." in kernel.conf).</summary>
    public DebugFlags DebugFlags;
    public ulong KernelStackSize;

    /// <summary>Largest size the kernel heap may grow to ("heap.max"); 0 = the default (half of RAM).</summary>
    public ulong HeapMaximum;

    /// <summary>1 = heap debug mode ("heap.debug = on"): poisoned frees, canaries, bad frees reported.</summary>
    public uint HeapDebug;
    public uint HeapReserved;

    /// <summary>Garbage-collector stress ("gc.stress = N"): a collection at every N-th object allocation; 0 = off.</summary>
    public uint GcStress;
    public uint GcReserved;

    /// <summary>Free-form kernel arguments (ASCII, NUL-terminated), e.g. which test suite to run.</summary>
    public fixed byte Arguments[ArgumentsCapacity];
}
