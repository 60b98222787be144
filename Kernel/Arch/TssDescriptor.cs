// The 16-byte GDT entry that points to a task state segment (a system
// segment: type 9, "available 64-bit TSS"; ltr marks it busy, type 11).
// It takes two GDT slots because the base is a full 64-bit address.
namespace Kernel.Arch;

public readonly struct TssDescriptor
{
    private const ulong TypeAvailableTss = 0x9UL << 40;
    private const ulong Present = 1UL << 47;

    public TssDescriptor(ulong tssAddress, int size)
    {
        ulong limit = (ulong)(size - 1);
        Low = (limit & 0xFFFF)
            | ((tssAddress & 0xFF_FFFF) << 16)
            | TypeAvailableTss
            | Present
            | (((limit >> 16) & 0xF) << 48)
            | (((tssAddress >> 24) & 0xFF) << 56);
        High = tssAddress >> 32;
    }

    public ulong Low { get; }

    public ulong High { get; }

    /// <summary>The TSS address the two halves encode.</summary>
    public static ulong BaseOf(ulong low, ulong high)
        => ((low >> 16) & 0xFF_FFFF) | (((low >> 56) & 0xFF) << 24) | (high << 32);

    /// <summary>The type field: 9 = available 64-bit TSS, 11 = busy (loaded by ltr).</summary>
    public static int TypeOf(ulong low) => (int)((low >> 40) & 0xF);
}
