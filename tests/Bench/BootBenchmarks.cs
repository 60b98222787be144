// Image size and boot time, each against the floor: a trivial EFI
// application built by the same toolchain that prints one line and halts.
using System.Diagnostics;
using Boot.Tests.Harness;

namespace Bench;

public sealed class BootBenchmarks : IBenchmark
{
    public string Name => "boot";

    public IEnumerable<BenchmarkResult> Run(BenchmarkContext context)
    {
        string kernelEfi = Path.Combine(Repository.ReleaseEsp, "EFI", "BOOT", "BOOTX64.EFI");
        string floorEsp = Path.Combine(Repository.Artifacts, "floor", "esp");
        string floorEfi = Path.Combine(floorEsp, "EFI", "BOOT", "BOOTX64.EFI");
        long kernelSize = new FileInfo(kernelEfi).Length;
        long floorSize = new FileInfo(floorEfi).Length;
        yield return new BenchmarkResult(
            "BOOTX64.EFI size (loader + embedded kernel)",
            $"{kernelSize / 1024.0:F1} KiB",
            "floor EFI app",
            $"{floorSize / 1024.0:F1} KiB",
            $"+{(kernelSize - floorSize) / 1024.0:F1} KiB");

        var kernelTimes = new List<double>();
        var floorTimes = new List<double>();
        for (int i = 0; i < context.Repetitions; i++)
        {
            // Alternate, so drift on a busy machine hits both alike.
            floorTimes.Add(TimeToLine(floorEsp, "floor: ready", "bench-floor-" + i));
            kernelTimes.Add(TimeToLine(Repository.ReleaseEsp, @"Tessera \d+\.\d+\.\d+", "bench-kernel-" + i));
        }

        double kernel = BenchmarkContext.Median(kernelTimes);
        double floor = BenchmarkContext.Median(floorTimes);
        yield return new BenchmarkResult(
            $"QEMU launch -> kernel banner ({QemuRun.Accelerator}, median of {context.Repetitions})",
            $"{kernel:F2} s",
            "QEMU launch -> floor app line",
            $"{floor:F2} s",
            $"+{kernel - floor:F2} s ({kernel / floor:F2}x)");
    }

    /// <summary>Seconds from QEMU's launch on <paramref name="esp"/> to the first serial line matching <paramref name="pattern"/>.</summary>
    internal static double TimeToLine(string esp, string pattern, string name, int timeoutSeconds = 120)
        => TimeToLineFromHandoff(esp, pattern, name, timeoutSeconds).Total;

    /// <summary>
    /// As TimeToLine, and also the seconds from the firmware's handoff (its "BdsDxe: starting" line, printed as it
    /// starts BOOTX64.EFI) to the line: what the image itself takes, without QEMU's and the firmware's part, which
    /// varies by seconds on a busy machine. The serial log is polled every 50 ms, so each figure is +-50 ms.
    /// </summary>
    internal static (double Total, double FromHandoff) TimeToLineFromHandoff(string esp, string pattern, string name, int timeoutSeconds = 120)
    {
        var watch = Stopwatch.StartNew();
        QemuRun run = QemuRun.Start(new BootOptions { Name = name, Esp = esp, Timeout = TimeSpan.FromSeconds(timeoutSeconds) });
        run.WaitForSerialAsync(@"BdsDxe: starting Boot\d+").GetAwaiter().GetResult();
        double handoff = watch.Elapsed.TotalSeconds;
        run.WaitForSerialAsync(pattern).GetAwaiter().GetResult();
        double seconds = watch.Elapsed.TotalSeconds;
        run.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return (seconds, seconds - handoff);
    }
}
