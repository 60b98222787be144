// Physical memory on machines of very different sizes: 128 MiB, 3 GiB (RAM
// split around the PCI hole on q35) and 8 GiB (most of it above 4 GiB, 1 GiB
// window pages with -cpu max). Each boots the test kernel with the "memory"
// suite (Kernel/Tests/MemoryTests.cs: frame counts against the map, map and
// unmap, contiguous runs, reclaimed boot memory, the heap region), then
// compares the frames the kernel manages with what QEMU was given. Three
// boots, started together.
//
// "Managed" is RAM the kernel hands out (free RAM, reclaimed boot-services
// and loader memory, the loader's page tables). The rest of -m is what the
// firmware keeps (ACPI tables and NVS, runtime services, reserved RAM) and
// what the kernel holds for itself (image, stacks, boot info, the frame
// allocator's metadata): a few MiB plus 0.2 % of RAM.
using System.Text.RegularExpressions;
using Boot.Tests.Harness;
using Xunit;

namespace Boot.Tests;

public sealed class MemoryBootTests
{
    public sealed record Machine(string Name, string Type, int MemoryMiB, string? CpuModel = null);

    private static readonly Machine[] s_machines =
    {
        new("q35-128M", "q35", 128),
        new("q35-3G", "q35", 3072),
        new("pc-8G-cpumax", "pc", 8192, "max"),
    };

    private static readonly Lazy<Dictionary<string, Lazy<Task<KernelTestRunResult>>>> s_boots = new(() =>
        s_machines.ToDictionary(m => m.Name, m => new Lazy<Task<KernelTestRunResult>>(() => Task.Run(() => BootAsync(m)))));

    public static TheoryData<string> Machines => new(s_machines.Select(m => m.Name));

    [Theory]
    [MemberData(nameof(Machines))]
    public async Task UsableMemory_MatchesTheMachine_LessWhatTheFirmwareKeeps(string name)
    {
        Machine machine = s_machines.Single(m => m.Name == name);
        foreach (Lazy<Task<KernelTestRunResult>> boot in s_boots.Value.Values)
            _ = boot.Value;
        KernelTestRunResult result = await s_boots.Value[name].Value;
        string serial = result.Serial.Replace("\r", "");
        string context = $"{Environment.NewLine}--- {name}: serial log {result.SerialLogPath}; last lines ---{Environment.NewLine}{result.Tail(40)}";

        foreach (KernelTestOutcome outcome in result.Outcomes.Values)
            Assert.True(outcome.Status == KernelTestStatus.Passed, $"kernel: {outcome.Name}: {outcome.Status}: {outcome.Message}{context}");
        Assert.True(result.ExitCode == KernelTestRun.ExitSuccess, $"QEMU exit status {result.ExitCode?.ToString() ?? "none"} ({result.RunError ?? "tests failed"}){context}");

        Match counts = Regex.Match(serial, @"^\[memory\] managed (\d+) KiB, reserved (\d+) KiB, metadata (\d+) KiB, ram in map (\d+) KiB", RegexOptions.Multiline);
        Assert.True(counts.Success, "the kernel reports its frame counts" + context);
        long managedKiB = long.Parse(counts.Groups[1].Value);
        long metadataKiB = long.Parse(counts.Groups[3].Value);
        long ramKiB = long.Parse(counts.Groups[4].Value);
        long machineKiB = machine.MemoryMiB * 1024L;

        // The map never lists more RAM than QEMU has, and the firmware keeps only a few MiB of it.
        Assert.True(ramKiB <= machineKiB, $"RAM in the map {ramKiB} KiB <= -m {machineKiB} KiB{context}");
        Assert.True(ramKiB >= machineKiB - (16 * 1024), $"RAM in the map {ramKiB} KiB is -m less at most 16 MiB of holes{context}");

        // The kernel manages all of it but the firmware's share, its own image and stacks, and the metadata.
        long held = machineKiB - managedKiB;
        Assert.True(held <= (40 * 1024) + metadataKiB, $"managed {managedKiB} KiB: {held} KiB of {machineKiB} KiB not handed out (at most 40 MiB + metadata {metadataKiB} KiB){context}");
        Assert.True(metadataKiB <= (machineKiB / 400) + 4 + 1024, $"metadata {metadataKiB} KiB stays near 0.25 % of RAM{context}");

        // The boot log says the same in MiB.
        Match log = Regex.Match(serial, @"^\[boot\] physical memory: .*?ok, (\d+) MiB usable", RegexOptions.Multiline);
        Assert.True(log.Success, "the boot log reports physical memory" + context);
        Assert.Equal(managedKiB / 1024, long.Parse(log.Groups[1].Value));
    }

    private static Task<KernelTestRunResult> BootAsync(Machine machine)
    {
        const string Arguments = "ktest.suite=memory";
        var options = new BootOptions
        {
            Name = "memory-" + machine.Name,
            Esp = Repository.TestEsp,
            Config = "args = " + Arguments + "\n",
            MachineType = machine.Type,
            MemoryMiB = machine.MemoryMiB,
            CpuModel = machine.CpuModel,
            Timeout = TimeSpan.FromSeconds(240),
        };
        string[] tests = KernelTestCatalog.All.Where(t => t.Suite == "memory" && !t.ShouldPanic).Select(t => t.Name).ToArray();
        return KernelTestSchedule.WithBootSlotAsync(() => KernelTestRun.RunAsync(options, Arguments, tests));
    }
}
