// Typed x86 I/O ports. A port value says its width; reading or writing it is
// one in/out instruction. Writes are unsafe, as in the x86_64 crate: a port
// write can program a device to change memory (DMA controllers, bus-master
// devices, the PCI configuration that places MMIO windows), which no type
// check can see. Each caller states why its writes are harmless.
namespace Kernel.Arch;

public readonly struct Port8
{
    public Port8(ushort number) => Number = number;

    public ushort Number { get; }

    public byte Read() => Native.InByte(Number);

    /// <summary>Unsafe: the caller guarantees that this write cannot make the device change memory the kernel did not give it.</summary>
    public unsafe void Write(byte value) => Native.OutByte(Number, value);

    public Port8 Offset(ushort delta) => new((ushort)(Number + delta));
}

public readonly struct Port16
{
    public Port16(ushort number) => Number = number;

    public ushort Number { get; }

    public ushort Read() => Native.InWord(Number);

    /// <summary>Unsafe: the caller guarantees that this write cannot make the device change memory the kernel did not give it.</summary>
    public unsafe void Write(ushort value) => Native.OutWord(Number, value);
}

public readonly struct Port32
{
    public Port32(ushort number) => Number = number;

    public ushort Number { get; }

    public uint Read() => Native.InDword(Number);

    /// <summary>Unsafe: the caller guarantees that this write cannot make the device change memory the kernel did not give it.</summary>
    public unsafe void Write(uint value) => Native.OutDword(Number, value);
}
