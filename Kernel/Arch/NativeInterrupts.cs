// Bindings to the interrupt machine code in native.obj (tools/AsmGen/Modules:
// InterruptStubs, Traps, KernelReservations). Only the typed wrappers in
// Kernel/Arch, Kernel/Interrupts, Kernel/Memory and Kernel/Diagnostics call these.
using System.Runtime.InteropServices;

namespace Kernel.Arch;

internal static unsafe class NativeInterrupts
{
    /// <summary>256 entry-point addresses, indexed by vector.</summary>
    [DllImport("*", EntryPoint = "interrupt_stub_table_address"), SuppressGCTransition] public static extern ulong* StubTable();

    [DllImport("*", EntryPoint = "cpu_read_tr"), SuppressGCTransition] public static extern ushort ReadTaskRegister();
    [DllImport("*", EntryPoint = "cpu_divide_u64"), SuppressGCTransition] public static extern ulong DivideUnsigned(ulong dividend, ulong divisor);

    /// <summary>Reads 8 bytes at <paramref name="address"/> in machine code. Caller: the address is readable, or a fault report is wanted.</summary>
    [DllImport("*", EntryPoint = "cpu_read_u64"), SuppressGCTransition] public static extern ulong ReadInMachineCode(ulong address);
    [DllImport("*", EntryPoint = "cpu_ud2"), SuppressGCTransition] public static extern void InvalidOpcode();
    [DllImport("*", EntryPoint = "cpu_load_ds"), SuppressGCTransition] public static extern void LoadDataSegment(ushort selector);
    [DllImport("*", EntryPoint = "cpu_software_interrupt"), SuppressGCTransition] public static extern ulong SoftwareInterrupt(byte vector);
    [DllImport("*", EntryPoint = "interrupt_check_preserved"), SuppressGCTransition] public static extern ulong CheckPreserved(byte vector);

    [DllImport("*", EntryPoint = "kernel_ist_double_fault_stack_address"), SuppressGCTransition] public static extern byte* DoubleFaultStack();
    [DllImport("*", EntryPoint = "kernel_ist_double_fault_stack_size"), SuppressGCTransition] public static extern uint DoubleFaultStackSize();
    [DllImport("*", EntryPoint = "kernel_ist_nmi_stack_address"), SuppressGCTransition] public static extern byte* NmiStack();
    [DllImport("*", EntryPoint = "kernel_ist_nmi_stack_size"), SuppressGCTransition] public static extern uint NmiStackSize();
    [DllImport("*", EntryPoint = "kernel_ist_machine_check_stack_address"), SuppressGCTransition] public static extern byte* MachineCheckStack();
    [DllImport("*", EntryPoint = "kernel_ist_machine_check_stack_size"), SuppressGCTransition] public static extern uint MachineCheckStackSize();


    [DllImport("*", EntryPoint = "kernel_symbol_table_address"), SuppressGCTransition] public static extern byte* SymbolTable();
}
