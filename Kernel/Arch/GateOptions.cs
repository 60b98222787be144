// How an IDT gate delivers: present or not, interrupt gate (IF cleared on
// entry) or trap gate (IF unchanged), the lowest ring allowed to raise it
// with int n (DPL), and which IST stack to switch to. Start from
// GateOptions.Interrupt and adjust: GateOptions.Interrupt.WithStack(...).
namespace Kernel.Arch;

public enum GateType : byte
{
    /// <summary>Clears IF on entry: the handler runs with maskable interrupts off.</summary>
    Interrupt = 0xE,

    /// <summary>Leaves IF as it was.</summary>
    Trap = 0xF,
}

public readonly struct GateOptions
{
    private GateOptions(bool present, GateType type, PrivilegeLevel privilege, InterruptStackIndex stack)
    {
        IsPresent = present;
        Type = type;
        Privilege = privilege;
        Stack = stack;
    }

    /// <summary>A present interrupt gate, ring 0 only, on the current stack.</summary>
    public static GateOptions Interrupt => new(true, GateType.Interrupt, PrivilegeLevel.Kernel, InterruptStackIndex.None);

    /// <summary>A present trap gate, ring 0 only, on the current stack.</summary>
    public static GateOptions Trap => new(true, GateType.Trap, PrivilegeLevel.Kernel, InterruptStackIndex.None);

    public bool IsPresent { get; }

    public GateType Type { get; }

    /// <summary>The gate's DPL: int n from a less privileged ring raises #GP instead.</summary>
    public PrivilegeLevel Privilege { get; }

    public InterruptStackIndex Stack { get; }

    public GateOptions WithStack(InterruptStackIndex stack) => new(IsPresent, Type, Privilege, stack);

    public GateOptions WithPrivilege(PrivilegeLevel privilege) => new(IsPresent, Type, privilege, Stack);

    public GateOptions NotPresent() => new(false, Type, Privilege, Stack);
}
