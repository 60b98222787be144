// Deliberate CPU exceptions, one per kind of fault report, so a user can see
// each report (the shell's "fault <kind>" command; until the shell exists,
// the kernel argument fault=<kind> in kernel.conf) and the tests can prove
// each one (Kernel/Tests/ExceptionFaultTests.cs, one boot per fault). Every trigger except the
// breakpoint ends the kernel through its fault report; if the CPU did not
// fault, the trigger panics saying so, so a missing protection cannot pass
// for a working one.
using System.Runtime.CompilerServices;
using System.Threading;
using Kernel.Arch;
using Kernel.Interrupts;
using Kernel.Memory;

namespace Kernel.Diagnostics;

public enum FaultKind
{
    Breakpoint,
    PageFault,
    NullDereference,
    DivideByZero,
    InvalidOpcode,
    GeneralProtection,
    StackOverflow,
    NoExecute,
    WriteProtect,
}

public static unsafe class Faults
{
    /// <summary>An address in the kernel half that nothing maps (checked before it is read).</summary>
    public const ulong UnmappedAddress = 0xFFFF_F000_DEAD_B000;

    /// <summary>A selector far beyond the GDT's 8 entries: loading it raises #GP with it as the error code.</summary>
    public const ushort BadSelector = 0xFFF8;

    private const string ArgumentKey = "fault";

    // Values the compiler cannot see through, so it cannot fold or drop the faulting operations.
    private static ulong s_sink;
    private static ulong s_depth;
    private static ulong s_returnInstruction = 0xC3; // ret, in a writable, no-execute data page

    /// <summary>The names the shell command and the fault= argument accept, in FaultKind order.</summary>
    public static string[] Names => new[] { "breakpoint", "pagefault", "nullderef", "divzero", "invalidopcode", "gpf", "stackoverflow", "nxexec", "wpwrite" };

    public static bool TryParse(string name, out FaultKind kind)
    {
        string[] names = Names;
        for (int i = 0; i < names.Length; i++)
        {
            if (names[i] == name)
            {
                kind = (FaultKind)i;
                return true;
            }
        }

        kind = default;
        return false;
    }

    public static string Describe(FaultKind kind) => kind switch
    {
        FaultKind.Breakpoint => "int3: logged, then the kernel resumes",
        FaultKind.PageFault => "read an unmapped kernel address",
        FaultKind.NullDereference => "read address 0",
        FaultKind.DivideByZero => "divide by zero with the div instruction",
        FaultKind.InvalidOpcode => "execute ud2",
        FaultKind.GeneralProtection => "load a segment selector beyond the GDT",
        FaultKind.StackOverflow => "recurse until the stack hits its guard page (double fault)",
        FaultKind.NoExecute => "jump into a no-execute data page",
        FaultKind.WriteProtect => "write to read-only kernel code",
        _ => "unknown",
    };

    /// <summary>Raises the fault; only Breakpoint returns.</summary>
    public static void Trigger(FaultKind kind)
    {
        switch (kind)
        {
            case FaultKind.Breakpoint: Breakpoint(); return;
            case FaultKind.PageFault: ReadUnmapped(); break;
            case FaultKind.NullDereference: ReadNull(); break;
            case FaultKind.DivideByZero: DivideByZero(); break;
            case FaultKind.InvalidOpcode: InvalidOpcode(); break;
            case FaultKind.GeneralProtection: LoadBadSelector(); break;
            case FaultKind.StackOverflow: OverflowStack(); break;
            case FaultKind.NoExecute: ExecuteData(); break;
            case FaultKind.WriteProtect: WriteKernelCode(); break;
        }
    }

    /// <summary>Triggers the fault named by a "fault=kind" word in the kernel arguments, if there is one.</summary>
    public static void TriggerRequested(string arguments)
    {
        string name = KernelArguments.Value(arguments, ArgumentKey);
        if (name is null)
            return;
        if (!TryParse(name, out FaultKind kind))
        {
            KernelLog.WriteLine("fault: unknown kind '" + name + "'; known: " + string.Join(", ", Names));
            return;
        }

        KernelLog.WriteLine("fault: triggering " + name + " (" + Describe(kind) + ")");
        Trigger(kind);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Breakpoint() => Cpu.Breakpoint();

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ReadUnmapped()
    {
        if (KernelPageTables.TryTranslateReported(UnmappedAddress, out _))
            Panic.Fail("fault trigger: 0x" + UnmappedAddress.ToString("X") + " is mapped, so reading it cannot page-fault");
        ReadAddress(UnmappedAddress);
        Returned("pagefault");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ReadNull()
    {
        if (KernelPageTables.IsMapped(Shared.Memory.VirtualAddress.Zero))
            Panic.Fail("fault trigger: page 0 is mapped (the loader's identity mapping is still there), so reading address 0 cannot fault");
        // Through machine code: a null read in compiled C# is a NullReferenceException now, not a report.
        s_sink = NativeInterrupts.ReadInMachineCode(Zero());
        Returned("nullderef");
    }

    /// <summary>Reads 8 bytes at <paramref name="address"/> (which may fault, that is the point).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ReadAddress(ulong address) => s_sink = *(ulong*)address;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void DivideByZero()
    {
        // C#'s '/' would check for zero and throw; only the div instruction raises #DE.
        s_sink = NativeInterrupts.DivideUnsigned(1, Zero());
        Returned("divzero");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void InvalidOpcode()
    {
        NativeInterrupts.InvalidOpcode();
        Returned("invalidopcode");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void LoadBadSelector()
    {
        NativeInterrupts.LoadDataSegment(BadSelector);
        Returned("gpf");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void OverflowStack()
    {
        s_sink = Recurse(0);
        Returned("stackoverflow");
    }

    // Not a tail call (the addition happens after it returns), so every level keeps its frame.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ulong Recurse(ulong depth)
    {
        Volatile.Write(ref s_depth, depth);
        return Recurse(depth + 1) + depth;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ExecuteData()
    {
        // A ret instruction: if no-execute were not enforced, the call would simply return.
        var code = (delegate* unmanaged<void>)Unsafe.AsPointer(ref s_returnInstruction);
        code();
        Returned("nxexec");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void WriteKernelCode()
    {
        // Write back the byte that is there: if write protection were off, nothing would change.
        byte* code = (byte*)Idt.StubAddress(0);
        byte original = *code;
        Volatile.Write(ref *code, original);
        Returned("wpwrite");
    }

    // Zero, but not a constant to the compiler: the time-stamp counter never reaches 2^63.
    private static ulong Zero() => Cpu.ReadTimeStampCounter() >> 63;

    private static void Returned(string name)
        => Panic.Fail("fault trigger '" + name + "' returned: the CPU did not raise the expected exception");
}
