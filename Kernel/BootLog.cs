// The boot log: one line per start-up stage with its status, then the banner.
using Kernel.Diagnostics;

namespace Kernel;

public static class BootLog
{
    public static void Stage(string stage, string status) => KernelLog.WriteLine("[boot] " + stage + ": " + status);

    public static void Banner()
        => KernelLog.WriteLine(KernelMain.Name + " " + KernelMain.Version + " (x86_64, UEFI) - memory: " + (KernelState.UsableMemoryBytes / (1024 * 1024)).ToString() + " MiB");
}
