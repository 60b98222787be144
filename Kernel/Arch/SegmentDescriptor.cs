// One 8-byte GDT entry for a code or data segment. In 64-bit mode base and
// limit are ignored for code and data; what matters is present, the
// privilege level (DPL), code versus data, and the long-mode (L) bit of code
// segments. The accessed bit is preset so the CPU never writes to the GDT
// when it loads a selector.
namespace Kernel.Arch;

public readonly struct SegmentDescriptor
{
    private const ulong LimitAll = 0xFFFFUL | (0xFUL << 48);
    private const ulong Accessed = 1UL << 40;
    private const ulong ReadableOrWritable = 1UL << 41;
    private const ulong Executable = 1UL << 43;
    private const ulong CodeOrData = 1UL << 44;
    private const int DplShift = 45;
    private const ulong Present = 1UL << 47;
    private const ulong LongMode = 1UL << 53;
    private const ulong DefaultSize32 = 1UL << 54;
    private const ulong Granularity4K = 1UL << 55;

    private const ulong Common = LimitAll | Accessed | ReadableOrWritable | CodeOrData | Present | Granularity4K;

    public SegmentDescriptor(ulong raw) => Raw = raw;

    public ulong Raw { get; }

    public static SegmentDescriptor Null => default;

    /// <summary>64-bit code: execute/read, long mode, ring 0 (0x00AF9B000000FFFF).</summary>
    public static SegmentDescriptor KernelCode => Code(PrivilegeLevel.Kernel);

    /// <summary>Data: read/write, ring 0 (0x00CF93000000FFFF).</summary>
    public static SegmentDescriptor KernelData => Data(PrivilegeLevel.Kernel);

    /// <summary>64-bit code, ring 3 (0x00AFFB000000FFFF).</summary>
    public static SegmentDescriptor UserCode => Code(PrivilegeLevel.User);

    /// <summary>Data, ring 3 (0x00CFF3000000FFFF).</summary>
    public static SegmentDescriptor UserData => Data(PrivilegeLevel.User);

    public bool IsPresent => (Raw & Present) != 0;

    public bool IsCode => (Raw & (CodeOrData | Executable)) == (CodeOrData | Executable);

    public bool IsLongModeCode => IsCode && (Raw & LongMode) != 0;

    public PrivilegeLevel Privilege => (PrivilegeLevel)((Raw >> DplShift) & 3);

    private static SegmentDescriptor Code(PrivilegeLevel privilege)
        => new(Common | Executable | LongMode | ((ulong)privilege << DplShift));

    private static SegmentDescriptor Data(PrivilegeLevel privilege)
        => new(Common | DefaultSize32 | ((ulong)privilege << DplShift));
}
