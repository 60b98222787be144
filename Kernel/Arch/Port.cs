// Typed x86 I/O ports. A port value says its width; reading or writing it is
// one in/out instruction.
namespace Kernel.Arch;

public readonly struct Port8
{
    public Port8(ushort number) => Number = number;

    public ushort Number { get; }

    public byte Read() => Native.InByte(Number);

    public void Write(byte value) => Native.OutByte(Number, value);

    public Port8 Offset(ushort delta) => new((ushort)(Number + delta));
}

public readonly struct Port16
{
    public Port16(ushort number) => Number = number;

    public ushort Number { get; }

    public ushort Read() => Native.InWord(Number);

    public void Write(ushort value) => Native.OutWord(Number, value);
}

public readonly struct Port32
{
    public Port32(ushort number) => Number = number;

    public ushort Number { get; }

    public uint Read() => Native.InDword(Number);

    public void Write(uint value) => Native.OutDword(Number, value);
}
