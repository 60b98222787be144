// The loader on every kind of machine it must boot: q35 and pc, 128 MiB to
// 8 GiB, 1 to 8 CPUs, std VGA, virtio-gpu and bochs-display, the 2 MB and 4 MB
// OVMF builds. Not a cross product: eight boots that together take every value
// of every dimension, plus one without any display adapter. Each boots the test kernel with the "bootinfo" suite
// (Kernel/Tests/BootInfoTests.cs), which checks the handoff from inside, and
// then compares what the kernel reported with what QEMU was given.
//
// The boots also exercise kernel.conf: a resolution limit, bad lines (warned
// about, then ignored), log levels, and serial = off.
//
// "Usable memory" is the RAM the kernel will own: free RAM, boot-services and
// loader memory it may reclaim, and what the loader set up for it (image,
// stack, page tables, boot info). It must be within 10 % of -m: the rest is
// what the firmware keeps (ACPI tables and NVS, runtime services, reserved
// RAM). QEMU relocates RAM above the PCI hole rather than dropping it, so
// -m 8G still means 8 GiB of RAM, part of it above 4 GiB.
using System.Text.RegularExpressions;
using Boot.Tests.Harness;
using Xunit;

namespace Boot.Tests;

public sealed class LoaderMatrixTests
{
    public sealed record Machine(string Name, string Type, int MemoryMiB, int Cpus, string? Display, OvmfFlavor Firmware, string Config = "")
    {
        /// <summary>"1024x768", "none" (no framebuffer), or null for "whatever fits the default 1920x1080 limit".</summary>
        public string? Resolution { get; init; }

        /// <summary>Lines the loader must have printed (regular expressions).</summary>
        public string[] LoaderSays { get; init; } = Array.Empty<string>();

        /// <summary>Lines the loader must not have printed.</summary>
        public string[] LoaderDoesNotSay { get; init; } = Array.Empty<string>();

        /// <summary>The page size the physical window must be mapped with: 1 GiB pages only where the CPU has them.</summary>
        public string WindowPages { get; init; } = "2 MiB";

        /// <summary>QEMU's -cpu model, or null for the default (qemu64: no 1 GiB pages).</summary>
        public string? CpuModel { get; init; }

        /// <summary>With serial = off the kernel may be silent too: only the exit status reports the tests.</summary>
        public bool SerialOff { get; init; }
    }

    private static readonly Machine[] s_machines =
    {
        new("q35-128M-1cpu-vga-ovmf4M", "q35", 128, 1, "VGA", OvmfFlavor.Size4MB, "resolution = 1024x768\n")
        {
            Resolution = "1024x768",
            LoaderSays = new[] { @"^loader: display 1024x768 \(limit 1024x768\)" },
        },
        new("pc-512M-2cpu-bochs-ovmf2M", "pc", 512, 2, "bochs-display", OvmfFlavor.Size2MB,
            "log = warning\ncolour = blue\nresolution = huge\nthis line has no equals sign\n")
        {
            LoaderSays = new[]
            {
                @"^loader: warning: kernel\.conf: line 3: unknown key 'colour'",
                @"^loader: warning: kernel\.conf: line 4: invalid value for 'resolution', using the default",
                @"^loader: warning: kernel\.conf: line 5: expected 'key = value'",
            },
            LoaderDoesNotSay = new[] { "^loader: started by", "^loader: jumping to the kernel" },
        },
        new("q35-2G-4cpu-virtio-ovmf4M", "q35", 2048, 4, "virtio-gpu-pci", OvmfFlavor.Size4MB)
        {
            Resolution = "none",
            LoaderSays = new[] { @"^loader: warning: the display offers no framebuffer \(every GOP mode is BltOnly\)" },
        },
        new("pc-8G-8cpu-vga-ovmf4M", "pc", 8192, 8, "VGA", OvmfFlavor.Size4MB, "resolution = 800x600\n") { Resolution = "800x600" },
        new("q35-8G-2cpu-bochs-ovmf2M", "q35", 8192, 2, "bochs-display", OvmfFlavor.Size2MB, "log = debug\n")
        {
            CpuModel = "max",
            WindowPages = "1024 MiB",
            LoaderSays = new[] { @"^loader: GOP modes: .*\(current\)", @"^loader: firmware memory map: \d+ descriptors of \d+ bytes", @"^loader:   0x0000" },
        },
        new("pc-128M-4cpu-virtio-ovmf2M", "pc", 128, 4, "virtio-gpu-pci", OvmfFlavor.Size2MB) { Resolution = "none" },
        new("q35-512M-8cpu-vga-ovmf2M", "q35", 512, 8, "VGA", OvmfFlavor.Size2MB, "serial = off\nresolution = 1280x800\n")
        {
            SerialOff = true,
            LoaderDoesNotSay = new[] { "^loader:" },
        },
        new("pc-2G-1cpu-bochs-ovmf4M", "pc", 2048, 1, "bochs-display", OvmfFlavor.Size4MB, "resolution = 1280x1024\n") { Resolution = "1280x1024" },
        new("q35-256M-2cpu-nodisplay-ovmf4M", "q35", 256, 2, null, OvmfFlavor.Size4MB)
        {
            Resolution = "none",
            LoaderSays = new[] { @"^loader: warning: no graphics output protocol \(GOP\): no framebuffer, the kernel runs on the serial port only" },
        },
    };

    private static readonly Lazy<Dictionary<string, Lazy<Task<KernelTestRunResult>>>> s_boots = new(() =>
        s_machines.ToDictionary(m => m.Name, m => new Lazy<Task<KernelTestRunResult>>(() => Task.Run(() => BootAsync(m)))));

    public static TheoryData<string> Machines => new(s_machines.Select(m => m.Name));

    [Theory]
    [MemberData(nameof(Machines))]
    public async Task BootInfo_IsValid_AndMatchesTheMachine(string name)
    {
        Machine machine = s_machines.Single(m => m.Name == name);
        KernelTestRunResult result = await ResultFor(name);
        string serial = result.Serial.Replace("\r", "");
        string context = $"{Environment.NewLine}--- {name}: serial log {result.SerialLogPath}; last lines ---{Environment.NewLine}{result.Tail(40)}";

        // Every bootinfo test passed: QEMU's exit status says so even when the kernel is silent.
        Assert.True(result.ExitCode == KernelTestRun.ExitSuccess, $"QEMU exit status {result.ExitCode?.ToString() ?? "none"} ({result.RunError ?? "tests failed"}){context}");
        foreach (string pattern in machine.LoaderSays)
            Assert.True(Regex.IsMatch(serial, pattern, RegexOptions.Multiline), $"the loader should have said /{pattern}/{context}");
        foreach (string pattern in machine.LoaderDoesNotSay)
            Assert.False(Regex.IsMatch(serial, pattern, RegexOptions.Multiline), $"the loader should not have said /{pattern}/{context}");
        if (machine.SerialOff)
            return;

        foreach (KernelTestOutcome outcome in result.Outcomes.Values)
            Assert.True(outcome.Status == KernelTestStatus.Passed, $"kernel: {outcome.Name}: {outcome.Status}: {outcome.Message}{context}");

        long usable = long.Parse(Find(serial, @"^\[bootinfo\] usable memory (\d+) MiB", context));
        Assert.True(Math.Abs(usable - machine.MemoryMiB) <= machine.MemoryMiB / 10, $"usable memory {usable} MiB should be within 10 % of -m {machine.MemoryMiB}M{context}");

        long window = long.Parse(Find(serial, @"^\[bootinfo\] window (\d+) GiB", context));
        Assert.True(window >= Math.Max(4, (machine.MemoryMiB + 1023) / 1024), $"the physical window ({window} GiB) must cover all RAM{context}");
        Assert.Equal(machine.WindowPages, Find(serial, @"^\[bootinfo\] window \d+ GiB in (\d+ MiB) pages", context));

        CheckFramebuffer(machine, serial, context);
    }

    private static void CheckFramebuffer(Machine machine, string serial, string context)
    {
        Match framebuffer = Regex.Match(serial, @"^\[bootinfo\] framebuffer (none|(\d+)x(\d+) stride (\d+) bpp (\d+) size (\d+))", RegexOptions.Multiline);
        Assert.True(framebuffer.Success, "the kernel reports its framebuffer" + context);
        if (machine.Resolution == "none")
        {
            Assert.Equal("none", framebuffer.Groups[1].Value);
            Assert.Matches(@"(?m)^\[boot\] framebuffer: none .*serial port only", serial);
            return;
        }

        Assert.NotEqual("none", framebuffer.Groups[1].Value);
        int width = int.Parse(framebuffer.Groups[2].Value);
        int height = int.Parse(framebuffer.Groups[3].Value);
        long stride = long.Parse(framebuffer.Groups[4].Value);
        long bytesPerPixel = long.Parse(framebuffer.Groups[5].Value);
        long size = long.Parse(framebuffer.Groups[6].Value);
        Assert.True(stride >= width, $"stride {stride} >= width {width}{context}");
        Assert.True(size >= stride * height * bytesPerPixel, $"size {size} >= stride x height x bytes per pixel{context}");
        if (machine.Resolution is not null)
            Assert.Equal(machine.Resolution, $"{width}x{height}");
        else
            Assert.True(width <= 1920 && height <= 1080 && width * height >= 1024 * 768, $"{width}x{height}: the largest mode within the default 1920x1080{context}");
    }

    private static string Find(string serial, string pattern, string context)
    {
        Match match = Regex.Match(serial, pattern, RegexOptions.Multiline);
        Assert.True(match.Success, $"the kernel should have printed /{pattern}/{context}");
        return match.Groups[1].Value;
    }

    // All the boots start together the first time any case asks, sharing the CPU limit with the other boot tests.
    private static Task<KernelTestRunResult> ResultFor(string name)
    {
        foreach (Lazy<Task<KernelTestRunResult>> boot in s_boots.Value.Values)
            _ = boot.Value;
        return s_boots.Value[name].Value;
    }

    private static Task<KernelTestRunResult> BootAsync(Machine machine)
    {
        const string Arguments = "ktest.suite=bootinfo";
        var options = new BootOptions
        {
            Name = "loader-" + machine.Name,
            Esp = Repository.TestEsp,
            Config = "args = " + Arguments + "\n" + machine.Config,
            MachineType = machine.Type,
            MemoryMiB = machine.MemoryMiB,
            Cpus = machine.Cpus,
            CpuModel = machine.CpuModel,
            DisplayDevice = machine.Display,
            Firmware = machine.Firmware,
            Timeout = TimeSpan.FromSeconds(240),
        };
        string[] tests = KernelTestCatalog.All.Where(t => t.Suite == "bootinfo").Select(t => t.Name).ToArray();
        return KernelTestSchedule.WithBootSlotAsync(() => KernelTestRun.RunAsync(options, Arguments, tests));
    }
}
