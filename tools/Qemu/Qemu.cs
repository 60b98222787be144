// Building QEMU command lines for this kernel and choosing the accelerator.
// Shared by build.cake (#load) and the boot tests (compiled in), so it has no
// namespace and uses only the base class library.
//
// KVM is used only where it really works with OVMF: on some hosts (nested
// virtualization) /dev/kvm exists but OVMF dies in its first instructions with
// "KVM internal error". A short probe boot decides, and the result is cached.
using System;
using System.Collections.Generic;
using System.Diagnostics;

public sealed class QemuMachine
{
    public string MachineType { get; set; } = "q35";
    public int MemoryMiB { get; set; } = 512;
    public int Cpus { get; set; } = 1;

    /// <summary>-device value for the display adapter: "VGA" (std), "virtio-gpu-pci", "bochs-display", or null for none.</summary>
    public string DisplayDevice { get; set; } = "VGA";

    public OvmfFirmware Firmware { get; set; }

    /// <summary>Per-run copy of the variable store (see OvmfFirmware.CreateVarsCopy).</summary>
    public string VarsFile { get; set; }

    /// <summary>A directory QEMU presents as a FAT drive (the ESP), or a raw disk image.</summary>
    public string BootMedia { get; set; }

    public bool BootMediaIsDirectory { get; set; } = true;

    public string Accelerator { get; set; } = "tcg";

    /// <summary>"-serial" target: "stdio", "file:PATH", "mon:stdio"...</summary>
    public string Serial { get; set; } = "stdio";

    /// <summary>A QMP unix socket path, or null.</summary>
    public string QmpSocket { get; set; }

    /// <summary>Adds isa-debug-exit at port 0xf4: writing v exits QEMU with status (v &lt;&lt; 1) | 1.</summary>
    public bool DebugExit { get; set; }

    /// <summary>Show a window (true) or run headless (false).</summary>
    public bool Window { get; set; }

    /// <summary>With <see cref="Window"/>: QEMU's display back end (gtk, sdl, cocoa); null leaves QEMU's default.</summary>
    public string DisplayBackend { get; set; }

    /// <summary>TCP port on 127.0.0.1 for QEMU's gdb stub, or null for none.</summary>
    public int? GdbPort { get; set; }

    /// <summary>Start with the CPUs stopped (-S), for a debugger to attach first.</summary>
    public bool Halted { get; set; }

    public List<string> ExtraArguments { get; } = new();

    public List<string> BuildArguments()
    {
        var args = new List<string>
        {
            "-machine", MachineType,
            "-accel", Accelerator,
            "-m", MemoryMiB + "M",
            "-smp", Cpus.ToString(),
            "-drive", "if=pflash,format=raw,readonly=on,file=" + Firmware.Code,
            "-drive", "if=pflash,format=raw,file=" + VarsFile,
            "-drive", BootMediaIsDirectory ? "format=raw,file=fat:rw:" + BootMedia : "format=raw,file=" + BootMedia,
            "-net", "none",
            "-no-reboot",
            "-serial", Serial,
        };

        if (DisplayDevice is null)
        {
            args.Add("-vga");
            args.Add("none");
        }
        else
        {
            args.Add("-vga");
            args.Add("none");
            args.Add("-device");
            args.Add(DisplayDevice);
        }

        if (!Window)
        {
            args.Add("-display");
            args.Add("none");
        }
        else if (DisplayBackend is not null)
        {
            args.Add("-display");
            args.Add(DisplayBackend);
        }

        if (GdbPort is int port)
        {
            args.Add("-gdb");
            args.Add("tcp:127.0.0.1:" + port);
        }

        if (Halted)
            args.Add("-S");

        if (QmpSocket is not null)
        {
            args.Add("-qmp");
            args.Add("unix:" + QmpSocket + ",server=on,wait=off");
        }

        if (DebugExit)
        {
            args.Add("-device");
            args.Add("isa-debug-exit,iobase=0xf4,iosize=0x04");
        }

        args.AddRange(ExtraArguments);
        return args;
    }
}

public static class QemuAccelerator
{
    public const string Executable = "qemu-system-x86_64";

    /// <summary>"kvm" when KVM boots OVMF correctly on this host, otherwise "tcg". Cached in <paramref name="cacheFile"/>.</summary>
    public static string Detect(OvmfFirmware firmware, string workDirectory, string cacheFile)
    {
        string forced = Environment.GetEnvironmentVariable("QEMU_ACCEL");
        if (!string.IsNullOrEmpty(forced))
            return forced;
        if (!System.IO.File.Exists("/dev/kvm"))
            return "tcg";

        if (System.IO.File.Exists(cacheFile))
            return System.IO.File.ReadAllText(cacheFile).Trim();

        string result = ProbeKvm(firmware, workDirectory) ? "kvm" : "tcg";
        System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(cacheFile)));
        System.IO.File.WriteAllText(cacheFile, result);
        return result;
    }

    // Boots OVMF alone under KVM for a few seconds: working KVM prints the firmware's
    // boot messages on serial; broken nested KVM exits with an emulation failure.
    private static bool ProbeKvm(OvmfFirmware firmware, string workDirectory)
    {
        System.IO.Directory.CreateDirectory(workDirectory);
        string serial = System.IO.Path.Combine(workDirectory, "kvm-probe-serial.txt");
        string vars = firmware.CreateVarsCopy(workDirectory);
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { "-machine", "q35", "-accel", "kvm", "-m", "128M", "-nodefaults", "-display", "none", "-no-reboot",
                     "-drive", "if=pflash,format=raw,readonly=on,file=" + firmware.Code, "-drive", "if=pflash,format=raw,file=" + vars,
                     "-serial", "file:" + serial })
            start.ArgumentList.Add(arg);

        try
        {
            using Process process = Process.Start(start);
            bool exited = process.WaitForExit(6000);
            if (!exited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }

            string errors = process.StandardError.ReadToEnd();
            bool printed = System.IO.File.Exists(serial) && new System.IO.FileInfo(serial).Length > 0;
            return !exited && printed && !errors.Contains("KVM internal error");
        }
        catch (Exception)
        {
            return false;
        }
        finally
        {
            TryDelete(serial);
            TryDelete(vars);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            System.IO.File.Delete(path);
        }
        catch (System.IO.IOException)
        {
        }
    }
}
