// Clock calibration accuracy and the SPSC ring's throughput.
//
// - The kernel's TSC frequency, calibrated against the ACPI PM timer (q35)
//   and against the PIT (q35 without ACPI tables), beside the host kernel's
//   own TSC calibration: under QEMU TCG the guest TSC runs at the host's
//   rate, so the difference is the calibration error.
// - The kernel's local APIC timer frequency beside QEMU's nominal rate (a
//   1 GHz APIC clock divided by 16).
// - The timer tick's rate by the TSC (the median of five runs of 50
//   periods, Kernel/Tests/InterruptDeliveryTests.cs) beside the configured
//   rate.
// - Items per second through Shared/Collections/SpscRing between two host
//   threads, beside .NET's ConcurrentQueue<T> doing the same job.
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Boot.Tests.Harness;
using Shared.Collections;

namespace Bench;

public sealed class InterruptBenchmarks : IBenchmark
{
    private const double QemuApicTimerMHz = 1000.0 / 16;

    public string Name => "interrupts";

    public IEnumerable<BenchmarkResult> Run(BenchmarkContext context)
    {
        double? host = HostTscMHz(out string hostSource);
        foreach ((string machine, string reference) in new[] { ("q35", "PM timer"), ("q35,acpi=off", "PIT") })
        {
            (double tsc, double apic) = BootAndReadClocks(machine, context.Repetitions);
            yield return new BenchmarkResult(
                $"TSC frequency calibrated against the {reference} ({machine}, median of {context.Repetitions})",
                $"{tsc:F3} MHz",
                hostSource,
                host is null ? "unknown" : $"{host:F3} MHz",
                host is null ? "-" : $"{(tsc - host.Value) / host.Value * 1e6:+0;-0} ppm");
            yield return new BenchmarkResult(
                $"APIC timer frequency calibrated against the {reference} ({machine})",
                $"{apic:F3} MHz",
                "QEMU's APIC clock (1 GHz) / 16",
                $"{QemuApicTimerMHz:F3} MHz",
                $"{(apic - QemuApicTimerMHz) / QemuApicTimerMHz * 1e6:+0;-0} ppm");
        }

        const string TickTest = "InterruptDeliveryTests.Timer_TicksAtTheConfiguredRate_ByTheTsc";
        var rates = new List<double>();
        for (int i = 0; i < context.Repetitions; i++)
        {
            KernelTestRunResult result = KernelTestRun.RunAsync("bench-tick-" + i, "ktest.test=" + TickTest, TimeSpan.FromSeconds(180), new[] { TickTest })
                .GetAwaiter().GetResult();
            if (result.Outcomes[TickTest].Status != KernelTestStatus.Passed)
                throw new InvalidOperationException($"{TickTest} did not pass: {result.Outcomes[TickTest].Message}\n{result.Tail()}");
            Match line = Regex.Match(result.Serial, @"^\[bench\] tick-rate-millihz (\d+)", RegexOptions.Multiline);
            if (!line.Success)
                throw new InvalidOperationException("the kernel printed no '[bench] tick-rate-millihz' line");
            rates.Add(double.Parse(line.Groups[1].Value, CultureInfo.InvariantCulture) / 1000);
        }

        double tick = BenchmarkContext.Median(rates);
        yield return new BenchmarkResult(
            $"timer tick rate by the TSC (q35, 100 periods less disturbed ones, median of {context.Repetitions})",
            $"{tick:F3} Hz",
            "configured rate (kernel.conf timer, default)",
            "100.000 Hz",
            $"{(tick - 100) / 100 * 1e6:+0;-0} ppm");

        const int Items = 5_000_000;
        double ring = BenchmarkContext.Median(Enumerable.Range(0, context.Repetitions).Select(_ => RingItemsPerSecond(Items)));
        double queue = BenchmarkContext.Median(Enumerable.Range(0, context.Repetitions).Select(_ => ConcurrentQueueItemsPerSecond(Items)));
        yield return new BenchmarkResult(
            "SpscRing<ulong> (capacity 256), producer -> consumer thread, host",
            $"{ring / 1e6:F1} M items/s",
            "ConcurrentQueue<ulong>, same threads",
            $"{queue / 1e6:F1} M items/s",
            $"{ring / queue:F2}x");
    }

    private static (double TscMHz, double ApicMHz) BootAndReadClocks(string machine, int repetitions)
    {
        var tsc = new List<double>();
        var apic = new List<double>();
        for (int i = 0; i < repetitions; i++)
        {
            var options = new BootOptions { Name = $"bench-clocks-{machine}-{i}", Esp = Repository.ReleaseEsp, MachineType = machine, Timeout = TimeSpan.FromSeconds(120) };
            QemuRun run = QemuRun.Start(options);
            try
            {
                Match tscLine = run.WaitForSerialAsync(@"^\[boot\] TSC: (?<mhz>[0-9.]+) MHz").GetAwaiter().GetResult();
                Match apicLine = run.WaitForSerialAsync(@"^\[boot\] APIC timer: (?<mhz>[0-9.]+) MHz").GetAwaiter().GetResult();
                tsc.Add(double.Parse(tscLine.Groups["mhz"].Value, CultureInfo.InvariantCulture));
                apic.Add(double.Parse(apicLine.Groups["mhz"].Value, CultureInfo.InvariantCulture));
            }
            finally
            {
                run.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }

        return (BenchmarkContext.Median(tsc), BenchmarkContext.Median(apic));
    }

    // The host kernel's TSC calibration: "tsc: Refined TSC clocksource calibration" or "Detected ... MHz processor"
    // in the kernel log when readable, else /proc/cpuinfo's "cpu MHz" (the TSC rate in a VM with a constant TSC).
    private static double? HostTscMHz(out string source)
    {
        string? log = Capture("dmesg");
        Match refined = Regex.Match(log ?? "", @"Refined TSC clocksource calibration: ([0-9.]+) MHz");
        Match detected = Regex.Match(log ?? "", @"tsc: Detected ([0-9.]+) MHz");
        Match chosen = refined.Success ? refined : detected;
        if (chosen.Success)
        {
            source = "host Linux TSC calibration (dmesg)";
            return double.Parse(chosen.Groups[1].Value, CultureInfo.InvariantCulture);
        }

        source = "host /proc/cpuinfo cpu MHz";
        Match cpuinfo = File.Exists("/proc/cpuinfo") ? Regex.Match(File.ReadAllText("/proc/cpuinfo"), @"cpu MHz\s*:\s*([0-9.]+)") : Match.Empty;
        return cpuinfo.Success ? double.Parse(cpuinfo.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    private static string? Capture(string command)
    {
        try
        {
            using Process process = Process.Start(new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private static double RingItemsPerSecond(int items)
    {
        var ring = new SpscRing<ulong>(256);
        var watch = Stopwatch.StartNew();
        var producer = new Thread(() =>
        {
            for (ulong i = 0; i < (ulong)items; i++)
            {
                while (!ring.TryPush(i))
                    Thread.SpinWait(1);
            }
        });
        producer.Start();
        for (int received = 0; received < items;)
        {
            if (ring.TryPop(out _))
                received++;
            else
                Thread.SpinWait(1);
        }

        producer.Join();
        return items / watch.Elapsed.TotalSeconds;
    }

    private static double ConcurrentQueueItemsPerSecond(int items)
    {
        var queue = new ConcurrentQueue<ulong>();
        var watch = Stopwatch.StartNew();
        var producer = new Thread(() =>
        {
            for (ulong i = 0; i < (ulong)items; i++)
            {
                // The same bound as the ring, so neither side gets to buffer everything.
                while (queue.Count >= 256)
                    Thread.SpinWait(1);
                queue.Enqueue(i);
            }
        });
        producer.Start();
        for (int received = 0; received < items;)
        {
            if (queue.TryDequeue(out _))
                received++;
            else
                Thread.SpinWait(1);
        }

        producer.Join();
        return items / watch.Elapsed.TotalSeconds;
    }
}
