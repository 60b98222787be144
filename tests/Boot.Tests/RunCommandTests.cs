// The run command as a user meets it: `./build.sh` with run options in a terminal, in a
// desktop window (a real GTK window on a virtual X server, looked at through an X
// screenshot and typed into), and `--target=Debug` with gdb attached. Each test starts the
// Cake target itself (CakeRun), so what is checked is what a user runs. One class: the
// three boots run one after another.
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Boot.Tests.Harness;
using Shared.Console;
using Xunit;

namespace Boot.Tests;

public sealed class RunCommandTests
{
    private const string BannerPattern = @"^Tessera \d+\.\d+\.\d+ \(x86_64, UEFI\) \| .*$";
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(300);

    [Fact]
    public async Task Run_HeadlessWithCpusMemoryAndConf_BootsWithThem_AndCtrlCQuits()
    {
        string conf = WriteConf("run-options", "timer = 250\nresolution = 1024x768\n");
        await using CakeRun run = CakeRun.Start("run-options", "Run", new[] { "--headless", "--cpus=4", "--memory=2G", "--conf=" + conf });

        Match banner = await run.WaitForAsync(BannerPattern, s_timeout);
        string output = run.Output;
        Assert.Contains("Booting in QEMU (", output);
        Assert.Contains("headless (--headless)", output);
        Assert.Matches(@"QEMU command: .* -m 2048M -smp 4 .*-serial stdio .*-display none", output);

        // The kernel saw what the options asked for: 4 CPUs in the MADT, about 2 GiB (less the firmware's share)...
        Assert.Matches(@"\[boot\] ACPI: .*, 4 CPUs,", output);
        int mebibytes = int.Parse(Regex.Match(banner.Value, @"\| (\d+) MiB memory").Groups[1].Value);
        Assert.InRange(mebibytes, 1900, 2048);
        // ...and the kernel.conf given for this run: its timer rate and resolution limit.
        Assert.Contains("loader: configuration read from", output);
        Assert.Matches(@"\[boot\] timer: ok, 250 Hz", output);
        Assert.Contains("1024x768 display", banner.Value);

        // Ctrl-C in the terminal (SIGINT to the foreground group) ends QEMU and the build.
        run.SendCtrlC();
        Assert.True(await run.WaitForExitAsync(TimeSpan.FromSeconds(30)), "the run did not quit on Ctrl-C:\n" + run.Tail());
    }

    [Fact]
    public async Task Run_OnADesktop_OpensAGtkWindowThatFitsTheScreen_ShowsTheConsole_AndTakesTheKeyboard()
    {
        using XvfbServer x = XvfbServer.Start(1280, 1024);
        var environment = new Dictionary<string, string> { ["DISPLAY"] = x.Display, ["WAYLAND_DISPLAY"] = "" };
        await using CakeRun run = CakeRun.Start("run-window", "Run", Array.Empty<string>(), environment);

        Match banner = await run.WaitForAsync(BannerPattern, s_timeout);
        Match backend = Regex.Match(run.Output, @"window: (gtk|sdl), display mode up to 1264x904 for the 1280x1024 screen\)");
        Assert.True(backend.Success, "no window back end, or no screen fit:\n" + run.Tail());
        Assert.Matches(@"QEMU command: .* -display " + backend.Groups[1].Value, run.Output);

        // The loader chose a mode within the limit, so the window fits the screen.
        Match mode = Regex.Match(banner.Value, @"\| (\d+)x(\d+) display");
        int width = int.Parse(mode.Groups[1].Value);
        int height = int.Parse(mode.Groups[2].Value);
        Assert.InRange(width, 640, 1264);
        Assert.InRange(height, 480, 904);

        // What the X screen shows: the kernel's console, pixel for pixel, read back glyph by glyph from
        // the screenshot (not a VNC notice, not an empty or scaled picture). Its position is found, not assumed.
        string[] rows = ReadConsoleOnScreen(x.Screenshot(Path.Combine(Repository.RunsDirectory, "run-window", "screen.xwd")), width, height);
        Assert.Contains(banner.Value.TrimEnd('\r'), rows);
        Assert.StartsWith("[boot] serial port COM1: ok", rows[0]); // the clock task draws the uptime at the right

        // Keys typed into the window reach the kernel (PS/2), which echoes them on serial.
        x.Run("xdotool", "mousemove", "400", "300");
        x.Run("xdotool", "type", "--delay", "150", "tessera");
        await run.WaitForAsync(@"^tessera", TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task Debug_GdbAttaches_BreaksOnAKernelMethodByName_AndSeesTheHit()
    {
        int port = FreePort();
        await using CakeRun run = CakeRun.Start("debug-gdb", "Debug", new[] { "--headless", "--gdb-port=" + port });
        Match attach = await run.WaitForAsync(@"^\s*(gdb -q \S+kernel\.gdb\.elf -ex 'target remote 127\.0\.0\.1:" + port + "')", s_timeout);

        // The address the linker gave the method, from the kernel's own map; gdb is given its C# name.
        const string Method = "Kernel_Kernel_Time_ClockCalibration__Calibrate";
        const string CSharpName = "Kernel.Time.ClockCalibration.Calibrate";
        string map = File.ReadAllText(Path.Combine(Repository.Artifacts, "obj", "release", "kernel.map"));
        string address = Regex.Match(map, @"^\s*\S+\s+" + Method + @"\s+([0-9a-f]{16})\s", RegexOptions.Multiline).Groups[1].Value;
        Assert.NotEmpty(address);

        // What the console had printed when the breakpoint hit (gdb flushes each line as it runs;
        // the pause before detaching keeps the machine stopped while this is read).
        string atBreakpoint = null;
        string gdbOutput = await RunGdbAsync(Path.Combine(Repository.Artifacts, "obj", "release", "kernel.gdb.elf"), port,
            line => atBreakpoint ??= line.StartsWith("Breakpoint 1, ", StringComparison.Ordinal) ? run.Output : null,
            "break " + CSharpName, "continue", "backtrace", "stepi", "info symbol $pc", "shell sleep 2", "detach");

        Assert.Contains($"Breakpoint 1 at 0x{address}", gdbOutput);
        Assert.Matches($@"Breakpoint 1, 0x0*{address} in {Method} \(\)", gdbOutput);
        // The backtrace walks ILCompiler's frames through .debug_frame made from the image's unwind tables.
        Assert.Matches(@"#1 +0x[0-9a-f]+ in Kernel_Kernel_Time_ClockCalibration__Initialize \(\)\s+#2 +0x[0-9a-f]+ in Kernel_Kernel_KernelMain__Start \(\)\s+#3 +0x[0-9a-f]+ in Kernel_Kernel_KernelMain__Entry \(\)", gdbOutput);
        Assert.Contains(Method + " + 1 in section", gdbOutput);

        // It stopped there: the firmware and early boot ran, the calibration's result line had not been printed yet.
        // After the debugger detaches, the kernel carries on to its banner.
        Assert.NotNull(atBreakpoint);
        Assert.Contains("[boot] I/O APIC", atBreakpoint);
        Assert.DoesNotContain("[boot] TSC:", atBreakpoint);
        await run.WaitForAsync(BannerPattern, s_timeout);
        Assert.Contains("halted before the firmware, waiting for a debugger", run.Output);
        Assert.NotEmpty(attach.Groups[1].Value);
    }

    private static string WriteConf(string name, string text)
    {
        string path = Path.Combine(Repository.Artifacts, "test-confs", name + ".conf");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    // gdb in batch mode with the given commands; its whole output (stdout and stderr).
    private static async Task<string> RunGdbAsync(string symbols, int port, Action<string> onLine, params string[] commands)
    {
        var start = new System.Diagnostics.ProcessStartInfo("gdb") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (string argument in new[] { "-q", "-batch", "-nx", symbols, "-ex", "target remote 127.0.0.1:" + port }.Concat(commands.SelectMany(c => new[] { "-ex", c })))
            start.ArgumentList.Add(argument);
        using var gdb = System.Diagnostics.Process.Start(start) ?? throw new InvalidOperationException("cannot start gdb (apt-get install gdb)");
        var lines = new System.Text.StringBuilder();
        Task<string> output = Task.Run(async () =>
        {
            string line;
            while ((line = await gdb.StandardOutput.ReadLineAsync()) is not null)
            {
                onLine(line);
                lines.AppendLine(line);
            }

            return lines.ToString();
        });
        Task<string> error = gdb.StandardError.ReadToEndAsync();
        using var cancellation = new CancellationTokenSource(s_timeout);
        try
        {
            await gdb.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            gdb.Kill();
            throw new TimeoutException("gdb did not finish:\n" + await output + await error);
        }

        return await output + await error;
    }

    // Finds the console's top-left corner on the screen (the first row starts with "[boot]") and reads its rows.
    private static string[] ReadConsoleOnScreen(PpmImage screen, int width, int height)
    {
        BitmapFont font = Fonts.ForScale(1, out _);
        Rgb background = ColorPalette.ToRgb(ColorPalette.DefaultBackground);
        var pixels = new PpmPixelSource(screen);
        for (int y = 0; y + height <= screen.Height; y++)
        {
            for (int x = 0; x + width <= screen.Width; x++)
            {
                if (ScreenReader.ReadCell(pixels, font, 1, x, y, background).Character != '[')
                    continue;
                var console = new ConsoleScreen(screen.Crop(x, y, width, height), scale: 1);
                string[] rows = console.ReadRows();
                if (rows[0].StartsWith("[boot]", StringComparison.Ordinal))
                    return rows;
            }
        }

        throw new Xunit.Sdk.XunitException("the kernel console is nowhere on the X screen");
    }
}
