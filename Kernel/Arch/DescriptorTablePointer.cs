// The 10-byte operand of lgdt/lidt/sgdt/sidt: a 16-bit limit (size - 1)
// followed by the 64-bit linear base address.
using System.Runtime.InteropServices;

namespace Kernel.Arch;

[StructLayout(LayoutKind.Explicit, Size = 10)]
public readonly struct DescriptorTablePointer
{
    [FieldOffset(0)]
    private readonly ushort _limit;

    [FieldOffset(2)]
    private readonly ulong _base;

    public DescriptorTablePointer(ulong baseAddress, int sizeBytes)
    {
        _base = baseAddress;
        _limit = (ushort)(sizeBytes - 1);
    }

    public ulong Base => _base;

    /// <summary>The table's last valid byte offset (size in bytes - 1).</summary>
    public ushort Limit => _limit;

    /// <summary>The GDTR as the CPU holds it now.</summary>
    public static unsafe DescriptorTablePointer CurrentGdt()
    {
        DescriptorTablePointer pointer;
        Native.StoreGdt(&pointer);
        return pointer;
    }

    /// <summary>The IDTR as the CPU holds it now.</summary>
    public static unsafe DescriptorTablePointer CurrentIdt()
    {
        DescriptorTablePointer pointer;
        Native.StoreIdt(&pointer);
        return pointer;
    }
}
