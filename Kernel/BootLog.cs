// The boot log: one line per start-up stage with its status, then the banner.
using Kernel.Drivers;

namespace Kernel;

public static class BootLog
{
    public static void Stage(string stage, string status)
    {
        SerialPort serial = SerialPort.Com1;
        serial.Write("[boot] ");
        serial.Write(stage);
        serial.Write(": ");
        serial.Write(status);
        serial.Write("\n");
    }

    public static unsafe void Banner()
    {
        SerialPort serial = SerialPort.Com1;
        serial.Write(KernelMain.Name + " " + KernelMain.Version + " (x86_64, UEFI) - memory: ");
        serial.Write((KernelState.UsableMemoryBytes / (1024 * 1024)).ToString());
        serial.Write(" MiB\n");
    }
}
