// Linker maps in lld-link's /map format, small enough to reason about: two
// code sections (machine code in .text, ILC's managed code), data sections
// whose symbols must not become functions, an export alias, a placeholder
// symbol table section at the end.
namespace Host.Tests.Symbols;

internal static class SampleMaps
{
    public const ulong Base = 0xFFFF800000000000;

    public static string Kernel(uint tableLength = 0x30, ulong managedShift = 0, bool tableLast = true)
    {
        // With tableLast false, lld would have put the table before .tls: section numbers shift.
        string table = $" {(tableLast ? "0008" : "0007")}:00000000 {tableLength:x8}H .zsymtab                DATA";
        string tls = $" {(tableLast ? "0007" : "0008")}:00000000 00000018H .tls$                   DATA";
        return $"""
 kernel

 Timestamp is 6b0458ff (Mon Nov 23 15:17:19 2026)

 Preferred load address is ffff800000000000

 Start         Length     Name                   Class
 0001:00000000 00000546H .text                   CODE
 0002:00000000 00000428H .rdata                  DATA
 0002:00000428 0000072dH .xdata                  DATA
 0003:00000000 00001580H .data                   DATA
 0004:00000000 00000450H .pdata                  DATA
 0005:00000000 00000300H .managedcode$I          CODE
{(tableLast ? tls : table)}
{(tableLast ? table : tls)}

  Address         Publics by Value              Rva+Base               Lib:Object

 0001:00000000       rt_halt_forever            ffff800000001000     native-kernel.obj
 0001:00000010       cpu_int3                   ffff800000001010     native-kernel.obj
 0001:00000540       cpu_last                   ffff800000001540     native-kernel.obj
 0002:00000060       ??_7Kernel_Kernel_Drivers_SerialPort@@6B@ ffff800000002060     kernel.obj
 0002:00000428       _unwind0Kernel_Kernel_BootLog__Stage ffff800000002428     kernel.obj
 0005:00000000       Kernel_Kernel_BootLog__Stage {0xFFFF800000006000 + managedShift:x16}     kernel.obj
 0005:000000c0       Kernel_Kernel_KernelMain__Entry {0xFFFF8000000060C0 + managedShift:x16}     kernel.obj
 0005:000000c0       KernelMain                 {0xFFFF8000000060C0 + managedShift:x16}     kernel.obj
 0005:00000120       S_P_CoreLib_System_Collections_Generic_List_1<Int32>__Add {0xFFFF800000006120 + managedShift:x16}     kernel.obj
 0005:00000200       Kernel_Kernel_Diagnostics_Panic__Fail {0xFFFF800000006200 + managedShift:x16}     kernel.obj
 0008:00000000       kernel_symbol_table        ffff80000000a000     kernel-symbols.obj

 entry point at         0005:000000c0

 Static symbols

""";
    }
}
