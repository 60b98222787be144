// Bindings to the machine code the collector uses (tools/AsmGen/Modules/Collector.cs, RuntimeGlue.cs).
using System.Runtime.InteropServices;

namespace Kernel.Memory.Gc;

internal static unsafe class GcNative
{
    /// <summary>Pushes the callee-saved registers, then calls scanner(address of the lowest pushed word, context).</summary>
    [DllImport("*", EntryPoint = "gc_spill_and_scan"), SuppressGCTransition]
    public static extern void SpillAndScan(delegate* unmanaged<nuint*, void*, void> scanner, void* context);

    [DllImport("*", EntryPoint = "rt_ready_to_run_header"), SuppressGCTransition]
    public static extern void* ReadyToRunHeader();
}
