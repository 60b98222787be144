using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Internal.Runtime;

namespace Kernel;

public static unsafe class KernelMain
{
    [DllImport("*", EntryPoint = "cpu_outb"), SuppressGCTransition]
    private static extern void Outb(ushort port, byte value);

    [DllImport("*", EntryPoint = "cpu_inb"), SuppressGCTransition]
    private static extern byte Inb(ushort port);

    [DllImport("*", EntryPoint = "rt_early_heap"), SuppressGCTransition]
    private static extern byte* EarlyHeap();

    [UnmanagedCallersOnly(EntryPoint = "KernelMain")]
    private static void Entry(void* bootInfo)
    {
        Startup.Initialize(EarlyHeap(), 8 * 1024 * 1024);
        Run();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Run()
    {
        Write("hello from kernel\n");
        while (true) { }
    }

    private static void Write(string s)
    {
        foreach (char c in s)
        {
            while ((Inb(0x3F8 + 5) & 0x20) == 0) { }
            Outb(0x3F8, (byte)c);
        }
    }
}
