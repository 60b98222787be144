// A segment selector: what CS, SS, DS... and the task register hold. Bits
// 3..15 index the GDT (or LDT when bit 2 is set); bits 0..1 are the
// requested privilege level.
namespace Kernel.Arch;

public readonly struct SegmentSelector
{
    public SegmentSelector(int index, PrivilegeLevel privilege) => Value = (ushort)((index << 3) | (int)privilege);

    private SegmentSelector(ushort value) => Value = value;

    public ushort Value { get; }

    public int Index => Value >> 3;

    public PrivilegeLevel RequestedPrivilege => (PrivilegeLevel)(Value & 3);

    public static SegmentSelector FromRaw(ushort value) => new(value);

    public static SegmentSelector CurrentCode => new(Native.ReadCs());

    public static SegmentSelector CurrentStack => new(Native.ReadSs());

    public static SegmentSelector CurrentTask => new(NativeInterrupts.ReadTaskRegister());

    public override string ToString() => "0x" + Value.ToString("X2");
}

/// <summary>Ring 0 (kernel) to ring 3 (user).</summary>
public enum PrivilegeLevel
{
    Kernel = 0,
    User = 3,
}
