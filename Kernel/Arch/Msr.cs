// Model-specific registers: a typed number plus read/write.
using System;

namespace Kernel.Arch;

public readonly struct Msr
{
    public static readonly Msr Efer = new(0xC000_0080);
    public static readonly Msr ApicBase = new(0x0000_001B);
    public static readonly Msr FsBase = new(0xC000_0100);
    public static readonly Msr GsBase = new(0xC000_0101);
    public static readonly Msr KernelGsBase = new(0xC000_0102);

    public Msr(uint number) => Number = number;

    public uint Number { get; }

    public ulong Read() => Native.ReadMsr(Number);

    public void Write(ulong value) => Native.WriteMsr(Number, value);
}

[Flags]
public enum EferFlags : ulong
{
    SystemCallExtensions = 1UL << 0,
    LongModeEnable = 1UL << 8,
    LongModeActive = 1UL << 10,
    NoExecuteEnable = 1UL << 11,
}
