// Where the kernel's ordinary output goes: the boot log, fault reports that
// do not end the kernel (breakpoints), test output. For now the serial port;
// the console (Kernel/Console) takes it over once it exists, mirroring to
// serial. The panic path has its own output (Panic), since it must work even
// when this one is broken or busy.
using Kernel.Drivers;

namespace Kernel.Diagnostics;

public static class KernelLog
{
    public static void Write(string text) => SerialPort.Com1.Write(text);

    public static void WriteLine(string text)
    {
        SerialPort.Com1.Write(text);
        SerialPort.Com1.Write("\n");
    }
}
