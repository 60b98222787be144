// The interrupt-controller, ACPI, clock and interrupt-delivery kernel tests
// (suite "interrupts") on more machines than the default q35/1 CPU boot: pc
// with 4 CPUs, 2 GiB, the 2 MB OVMF build and a 250 Hz tick (kernel.conf
// "timer = 250"); q35 with 8 CPUs, 1 GiB and the 4 MB build. The same boots dump the ACPI tables
// ("acpi.dump"); the host parses the dump with the same Shared/Acpi code and
// checks it agrees with the kernel's summary line. And a machine without ACPI
// tables or i8042 must boot to the banner with clear warnings.
//
// Setting TESSERA_CAPTURE_ACPI=1 writes the dumped tables to
// tests/Host.Tests/Acpi/Tables/<machine>/ (see the README there).
using System.Text.RegularExpressions;
using Boot.Tests.Harness;
using Host.Tests.Acpi;
using Shared.Acpi;
using Xunit;

namespace Boot.Tests;

public sealed class InterruptHardwareTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(240);

    [Theory]
    [InlineData("pc", 4, 2048, OvmfFlavor.Size2MB, 250)]
    [InlineData("q35", 8, 1024, OvmfFlavor.Size4MB, 100)]
    public async Task InterruptSuite_Passes_AndHostParsesTheSameTables(string machine, int cpus, int memoryMiB, OvmfFlavor firmware, int timerHz)
    {
        string[] tests = KernelTestCatalog.All.Where(t => t.Suite == "interrupts" && !t.ShouldPanic).Select(t => t.Name).ToArray();
        KernelTestRunResult result = await KernelTestSchedule.RunAsync(
            $"interrupts-{machine}-{cpus}cpu", "acpi.dump ktest.suite=interrupts", s_timeout, tests,
            options => options with { MachineType = machine, Cpus = cpus, MemoryMiB = memoryMiB, Firmware = firmware, Config = options.Config + $"timer = {timerHz}\n" });

        string failures = string.Join("\n", result.Outcomes.Values.Where(o => o.Status != KernelTestStatus.Passed).Select(o => $"{o.Name}: {o.Status}: {o.Message}"));
        Assert.True(failures.Length == 0 && result.ExitCode == KernelTestRun.ExitSuccess, failures + "\n--- " + result.SerialLogPath + " ---\n" + result.Tail());

        CapturedAcpiMemory memory = CapturedAcpiMemory.FromSerial(result.Serial);
        AcpiTables tables = AcpiTables.Discover(memory, memory.RsdpAddress);
        Assert.Empty(tables.Warnings);
        Assert.Equal(cpus, tables.Interrupts.ProcessorCount);
        string kernelSummary = Regex.Match(result.Serial, @"\[boot\] ACPI: (.*)$", RegexOptions.Multiline).Groups[1].Value.TrimEnd('\r');
        Assert.Equal(HostSummary(tables), kernelSummary);
        Assert.Contains($"[boot] timer: ok, {timerHz} Hz on vector 0xF0", result.Serial);

        if (Environment.GetEnvironmentVariable("TESSERA_CAPTURE_ACPI") == "1")
            memory.Save(Path.Combine(Repository.Root, "tests", "Host.Tests", "Acpi", "Tables", machine));
    }

    [Fact]
    public async Task MachineWithoutAcpiTablesOrI8042_BootsWithWarningsAndDefaults()
    {
        await using QemuRun run = QemuRun.Start(new BootOptions
        {
            Name = "interrupts-no-acpi-no-i8042",
            Esp = Repository.ReleaseEsp,
            MachineType = "q35,acpi=off,i8042=off",
            Config = "args = acpi.dump\n",
            Timeout = s_timeout,
        });
        await run.WaitForSerialAsync(@"^Tessera \d+\.\d+\.\d+ ");
        string serial = run.Serial.Replace("\r", "");

        Assert.Contains("[boot] ACPI: warning: no valid MADT: using the PC defaults", serial);
        Assert.Contains("[boot] ACPI: warning: no valid FADT: no PM timer", serial);
        Assert.Matches(@"\[boot\] ACPI: .*no MADT \(defaults\), no FADT", serial);
        // Without a MADT the PC default base; a host whose CPU offers x2APIC (KVM) uses MSRs instead, and the
        // kernel says so rather than a base address.
        Match localApic = Regex.Match(serial, @"\[boot\] local APIC: (xAPIC at 0x(?<base>[0-9A-F]+)|x2APIC)");
        Assert.True(localApic.Success, "no local APIC line:\n" + serial);
        if (localApic.Groups["base"].Success)
            Assert.Equal("FEE00000", localApic.Groups["base"].Value);
        Assert.Contains("[boot] I/O APIC: id 0 at 0xFEC00000, GSI 0-23, all masked", serial);
        Assert.Contains("[boot] IRQ routes: IRQ1 -> GSI 1 vector 0x31, IRQ4 -> GSI 4 vector 0x34 (masked)", serial);
        Assert.Contains("[boot] clocks: warning: the FADT names no PM timer; calibrating against the PIT", serial);
        Assert.Matches(@"\[boot\] TSC: \d+\.\d{3} MHz \(PIT", serial);
        Assert.Contains("[boot] PS/2: warning: no i8042 controller (status port reads 0xFF)", serial);
        Assert.Contains("[boot] interrupts: ok, enabled: IRQ1 masked (no keyboard), COM1 IRQ4", serial);
        Assert.Contains("[boot] timer: ok, 100 Hz on vector 0xF0", serial);

        // What OVMF publishes without QEMU's tables: an XSDT whose only QEMU slot is empty, plus its own BGRT.
        CapturedAcpiMemory memory = CapturedAcpiMemory.FromSerial(serial);
        AcpiTables tables = AcpiTables.Discover(memory, memory.RsdpAddress);
        Assert.Null(tables.Madt);
        Assert.False(tables.Interrupts.FromFirmware);
        if (Environment.GetEnvironmentVariable("TESSERA_CAPTURE_ACPI") == "1")
            memory.Save(Path.Combine(Repository.Root, "tests", "Host.Tests", "Acpi", "Tables", "q35-acpi-off"));
    }

    [Fact]
    public async Task MachineWithoutAnyReferenceClock_BootsWithTheClocksUncalibrated()
    {
        await using QemuRun run = QemuRun.Start(new BootOptions
        {
            Name = "interrupts-no-reference-clock",
            Esp = Repository.ReleaseEsp,
            MachineType = "q35,acpi=off,pit=off",
            Timeout = s_timeout,
        });
        await run.WaitForSerialAsync(@"^Tessera \d+\.\d+\.\d+ ");
        string serial = run.Serial.Replace("\r", "");

        Assert.Contains("[boot] clocks: warning: neither a PM timer nor a PIT counts: the TSC and APIC timer stay uncalibrated", serial);
        Assert.DoesNotContain("[boot] TSC:", serial);
        Assert.Contains("[boot] timer: warning: the APIC timer is not calibrated: no timer interrupts, the tick count stays 0", serial);
        Assert.Contains("[boot] PS/2: i8042 ok", serial);
    }

    // The kernel's summary line (Kernel/Acpi/PlatformTables.Summary), rebuilt from the host's parse.
    private static string HostSummary(AcpiTables tables)
    {
        InterruptTopology interrupts = tables.Interrupts;
        return $"revision {tables.Rsdp.Revision}, XSDT, {tables.Tables.Count} tables, MADT ok, {interrupts.ProcessorCount} CPUs, "
            + $"{interrupts.IoApics.Count} IOAPIC, {interrupts.Overrides.Count} overrides, FADT ok, PM timer {tables.Fadt!.PmTimer}";
    }
}
