// QEMU's isa-debug-exit device (port 0xF4, present only when QEMU is started
// with -device isa-debug-exit): writing v makes QEMU exit with status
// (v << 1) | 1. Test images use it to report their result.
using Kernel.Arch;

namespace Kernel.Diagnostics;

public static class QemuExit
{
    public const byte Success = 0x10; // QEMU exit status 33
    public const byte Failure = 0x11; // QEMU exit status 35

    private static readonly Port32 s_port = new(0xF4);

    /// <summary>Exits QEMU; on a machine without the device, halts instead.</summary>
    public static void Exit(byte code)
    {
        // isa-debug-exit only ends the emulator; on a machine without it, the write goes nowhere.
        unsafe
        {
            s_port.Write(code);
        }

        Cpu.HaltForever();
    }
}
