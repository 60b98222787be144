// What the Run and Debug targets start: the QEMU machine for a set of run options, and the
// debugger command printed for the Debug target. Pure: every fact about the host (firmware,
// accelerator, display back end, paths) comes in as an argument, so the host tests can
// check the command line each option produces.
// Shared by build.cake (#load) and the tests, so it has no namespace and uses only the base class library.
using System;
using System.Collections.Generic;

public static class RunCommand
{
    /// <summary>The machine that boots <paramref name="bootMedia"/> (an ESP directory, or disk.img with --disk).</summary>
    public static QemuMachine Machine(RunOptions options, DisplayChoice display, OvmfFirmware firmware, string varsFile, string bootMedia, string accelerator, bool debug)
    {
        return new QemuMachine
        {
            MachineType = options.Machine,
            MemoryMiB = options.MemoryMiB,
            Cpus = options.Cpus,
            DisplayDevice = options.DisplayDevice,
            Firmware = firmware,
            VarsFile = varsFile,
            BootMedia = bootMedia,
            BootMediaIsDirectory = !options.Disk,
            Accelerator = accelerator,
            // The console on this terminal in every mode; QEMU's stdio keeps Ctrl-C as "quit".
            Serial = "stdio",
            Window = display.Window,
            DisplayBackend = display.Backend,
            GdbPort = debug ? options.GdbPort : null,
            Halted = debug,
        };
    }

    /// <summary>
    /// The accelerator for --kvm: <paramref name="detect"/> runs the probe (auto); "on" insists on KVM
    /// and fails clearly when the host has none.
    /// </summary>
    public static string Accelerator(KvmMode mode, bool kvmDevicePresent, Func<string> detect)
    {
        switch (mode)
        {
            case KvmMode.Off:
                return "tcg";
            case KvmMode.On:
                if (!kvmDevicePresent)
                    throw new RunOptionException("--kvm=on: this host has no /dev/kvm (use --kvm=auto or --kvm=off)");
                return "kvm";
            default:
                return detect();
        }
    }

    /// <summary>The gdb command line that attaches to a Debug run, with the kernel's symbols loaded.</summary>
    public static string GdbCommand(string symbolFile, int port)
        => $"gdb -q {Quote(symbolFile)} -ex 'target remote 127.0.0.1:{port}'";

    private static string Quote(string path) => path.Contains(' ') || path.Contains('\'') ? "'" + path.Replace("'", "'\\''") + "'" : path;
}
