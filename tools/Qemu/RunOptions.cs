// The options of ./build.sh's Run and Debug targets (--headless, --memory=2G, --cpus=4, ...):
// parsing and checking them, and the help text that lists them. Pure logic: build.cake
// (#load) hands in Cake's argument table, the host tests hand in their own.
// Shared by build.cake and the tests, so it has no namespace and uses only the base class library.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

public enum KvmMode
{
    /// <summary>KVM when a probe boot shows it works with OVMF here, else TCG.</summary>
    Auto,

    /// <summary>KVM, or a clear error when the host has none.</summary>
    On,

    /// <summary>TCG always.</summary>
    Off,
}

public sealed record RunOptions
{
    public const int MinMemoryMiB = 128;
    public const int MaxMemoryMiB = 1024 * 1024;
    public const int MaxCpus = 255;
    public const int DefaultGdbPort = 1234;

    /// <summary>The accepted --display-device names and the QEMU device each selects (null: no adapter).</summary>
    public static readonly IReadOnlyDictionary<string, string> DisplayDevices = new Dictionary<string, string>
    {
        ["std"] = "VGA",
        ["virtio"] = "virtio-gpu-pci",
        ["bochs"] = "bochs-display",
        ["none"] = null,
    };

    public static readonly IReadOnlyList<string> Machines = new[] { "q35", "pc" };

    // Names Cake itself passes through to the script (everything else Cake consumes).
    private static readonly string[] s_cakeArguments = { "target" };

    private static readonly string[] s_names = { "headless", "memory", "cpus", "machine", "display-device", "conf", "disk", "kvm", "gdb-port" };

    public bool Headless { get; init; }

    public int MemoryMiB { get; init; } = 512;

    public int Cpus { get; init; } = 1;

    public string Machine { get; init; } = "q35";

    /// <summary>The name the user gave (std, virtio, bochs, none).</summary>
    public string DisplayDeviceName { get; init; } = "std";

    /// <summary>The QEMU -device for the display adapter, or null for none.</summary>
    public string DisplayDevice => DisplayDevices[DisplayDeviceName];

    /// <summary>A kernel.conf to put beside BOOTX64.EFI for this run, or null.</summary>
    public string ConfFile { get; init; }

    /// <summary>Boot artifacts/disk.img instead of the ESP directory.</summary>
    public bool Disk { get; init; }

    public KvmMode Kvm { get; init; } = KvmMode.Auto;

    /// <summary>TCP port of QEMU's gdb stub for the Debug target.</summary>
    public int GdbPort { get; init; } = DefaultGdbPort;

    /// <summary>The options as ./build.sh --help lists them.</summary>
    public static string HelpText =>
        "Run options (default target Run, and --target=Debug):\n" +
        "  --headless                     no window: the console is on this terminal (serial) only\n" +
        "  --memory=<size>                guest memory: 512M (default), 2G, or MiB as a number; 128M to 1T\n" +
        "  --cpus=<n>                     CPUs, 1 (default) to 255\n" +
        "  --machine=q35|pc               QEMU machine type (default q35)\n" +
        "  --display-device=std|virtio|bochs|none   display adapter (default std)\n" +
        "  --conf=<file>                  a kernel.conf to put beside BOOTX64.EFI for this run\n" +
        "  --disk                         boot artifacts/disk.img (the Image target) instead of the directory\n" +
        "  --kvm=auto|on|off              KVM where it works with OVMF (auto, default), required (on), never (off)\n" +
        "  --gdb-port=<n>                 Debug target: port of QEMU's gdb stub (default 1234)\n" +
        "  --debug                        same as --target=Debug: start halted with the gdb stub, print the attach command\n";

    /// <summary>
    /// Reads the run options from Cake's argument table (name -> values; a flag has an empty value).
    /// Throws <see cref="RunOptionException"/> naming the accepted values on anything wrong.
    /// </summary>
    public static RunOptions Parse(IEnumerable<KeyValuePair<string, ICollection<string>>> arguments)
    {
        var table = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var argument in arguments)
        {
            string name = argument.Key;
            if (s_cakeArguments.Contains(name, StringComparer.OrdinalIgnoreCase) || name.StartsWith("settings_", StringComparison.OrdinalIgnoreCase))
                continue;
            if (!s_names.Contains(name, StringComparer.OrdinalIgnoreCase))
                throw new RunOptionException($"unknown option --{name}. " + Accepted());
            string value = argument.Value?.LastOrDefault() ?? "";
            table[name] = value;
        }

        var options = new RunOptions();
        if (table.TryGetValue("headless", out string headless))
            options = options with { Headless = Flag("headless", headless) };
        if (table.TryGetValue("disk", out string disk))
            options = options with { Disk = Flag("disk", disk) };
        if (table.TryGetValue("memory", out string memory))
            options = options with { MemoryMiB = ParseMemory(memory) };
        if (table.TryGetValue("cpus", out string cpus))
            options = options with { Cpus = ParseInteger("cpus", cpus, 1, MaxCpus, "a number of CPUs from 1 to " + MaxCpus) };
        if (table.TryGetValue("machine", out string machine))
            options = options with { Machine = OneOf("machine", machine, Machines) };
        if (table.TryGetValue("display-device", out string device))
            options = options with { DisplayDeviceName = OneOf("display-device", device, DisplayDevices.Keys) };
        if (table.TryGetValue("kvm", out string kvm))
            options = options with { Kvm = Enum.Parse<KvmMode>(OneOf("kvm", kvm, new[] { "auto", "on", "off" }), ignoreCase: true) };
        if (table.TryGetValue("gdb-port", out string port))
            options = options with { GdbPort = ParseInteger("gdb-port", port, 1, 65535, "a TCP port from 1 to 65535") };
        if (table.TryGetValue("conf", out string conf))
        {
            if (string.IsNullOrWhiteSpace(conf))
                throw new RunOptionException("--conf needs a file: --conf=<path to a kernel.conf>");
            options = options with { ConfFile = conf };
        }

        if (options.Disk && options.ConfFile is not null)
            throw new RunOptionException("--conf cannot be combined with --disk: the disk image carries its own files; boot the directory (drop --disk) to use a kernel.conf for one run");
        return options;
    }

    /// <summary>
    /// A memory size: a number of MiB, or a number with a unit M/MiB, G/GiB, T/TiB (case-insensitive).
    /// </summary>
    public static int ParseMemory(string text)
    {
        const string Accepted = "a size such as 512M, 2G or 2048 (MiB), from 128M to 1T";
        string value = (text ?? "").Trim();
        int unitStart = value.Length;
        while (unitStart > 0 && char.IsLetter(value[unitStart - 1]))
            unitStart--;
        string number = value.Substring(0, unitStart);
        string unit = value.Substring(unitStart).ToUpperInvariant();
        long multiplier = unit switch
        {
            "" or "M" or "MB" or "MIB" => 1,
            "G" or "GB" or "GIB" => 1024,
            "T" or "TB" or "TIB" => 1024 * 1024,
            _ => 0,
        };
        if (multiplier == 0 || !long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out long amount))
            throw new RunOptionException($"--memory={text}: not a size; expected {Accepted}");
        long mebibytes = amount * multiplier;
        if (mebibytes < MinMemoryMiB || mebibytes > MaxMemoryMiB)
            throw new RunOptionException($"--memory={text}: out of range; expected {Accepted}");
        return (int)mebibytes;
    }

    private static bool Flag(string name, string value)
    {
        if (value.Length == 0 || value.Equals("true", StringComparison.OrdinalIgnoreCase) || value == "1" || value.Equals("on", StringComparison.OrdinalIgnoreCase))
            return true;
        if (value.Equals("false", StringComparison.OrdinalIgnoreCase) || value == "0" || value.Equals("off", StringComparison.OrdinalIgnoreCase))
            return false;
        throw new RunOptionException($"--{name}={value}: --{name} is a switch; give it alone (or =true / =false)");
    }

    private static int ParseInteger(string name, string value, int min, int max, string accepted)
    {
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int result) || result < min || result > max)
            throw new RunOptionException($"--{name}={value}: expected {accepted}");
        return result;
    }

    private static string OneOf(string name, string value, IEnumerable<string> accepted)
    {
        string match = accepted.FirstOrDefault(a => a.Equals(value, StringComparison.OrdinalIgnoreCase));
        return match ?? throw new RunOptionException($"--{name}={value}: expected one of {string.Join(", ", accepted)}");
    }

    private static string Accepted() => "Run options: " + string.Join(", ", s_names.Select(n => "--" + n)) + " (./build.sh --help lists them)";
}

/// <summary>A bad run option; the message names the option and what it accepts.</summary>
public sealed class RunOptionException : Exception
{
    public RunOptionException(string message)
        : base(message)
    {
    }
}
