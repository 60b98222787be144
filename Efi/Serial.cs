// The loader's serial output: polled writes to COM1, which the firmware has
// already set up (115200 8N1 on QEMU). The kernel has its own full driver.
using Efi.Arch;

namespace Efi;

internal static class Serial
{
    private const ushort Com1 = 0x3F8;
    private const ushort LineStatus = Com1 + 5;
    private const byte TransmitterEmpty = 0x20;
    private const int SpinLimit = 100_000;

    public static void Write(string text)
    {
        foreach (char c in text)
        {
            if (c == '\n')
                WriteByte((byte)'\r');
            WriteByte(c < 0x80 ? (byte)c : (byte)'?');
        }
    }

    // Bounded wait: a missing UART must not hang the loader.
    private static void WriteByte(byte value)
    {
        for (int i = 0; i < SpinLimit && (Cpu.InByte(LineStatus) & TransmitterEmpty) == 0; i++)
        {
        }

        Cpu.OutByte(Com1, value);
    }
}
