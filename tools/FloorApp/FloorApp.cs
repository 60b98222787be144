// A trivial UEFI application: write "floor: ready" to COM1, then halt.
using System.Runtime.InteropServices;

namespace FloorApp;

internal static unsafe class FloorApp
{
    [DllImport("*", EntryPoint = "cpu_outb"), SuppressGCTransition]
    private static extern void OutByte(ushort port, byte value);

    [DllImport("*", EntryPoint = "cpu_inb"), SuppressGCTransition]
    private static extern byte InByte(ushort port);

    [DllImport("*", EntryPoint = "rt_halt_forever"), SuppressGCTransition]
    private static extern void HaltForever();

    [UnmanagedCallersOnly(EntryPoint = "EfiMain")]
    private static ulong Entry(void* imageHandle, void* systemTable)
    {
        byte* text = stackalloc byte[] { (byte)'f', (byte)'l', (byte)'o', (byte)'o', (byte)'r', (byte)':', (byte)' ', (byte)'r', (byte)'e', (byte)'a', (byte)'d', (byte)'y', (byte)'\r', (byte)'\n' };
        for (int i = 0; i < 14; i++)
        {
            for (int spin = 0; spin < 100_000 && (InByte(0x3FD) & 0x20) == 0; spin++)
            {
            }

            OutByte(0x3F8, text[i]);
        }

        HaltForever();
        return 0;
    }
}
