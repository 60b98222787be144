// The shell, driven the way a person would: keys through QEMU's keyboard
// (QMP send-key) and lines through the serial port, answers read on serial.
// Four boots: the commands and a 1,300-key burst ending in an ACPI S5
// shutdown on q35; the shutdown on pc; reboot (QEMU runs with -no-reboot,
// so a reset makes it exit); `fault pagefault`.
using System.Text;
using System.Text.RegularExpressions;
using Boot.Tests.Harness;
using Xunit;

namespace Boot.Tests;

public sealed class ShellBootTests
{
    private const string Prompt = @"^tessera> ";

    private static QemuRun Boot(string name, string machine = "q35")
        => QemuRun.Start(new BootOptions
        {
            Name = name,
            Esp = Repository.ReleaseEsp,
            MachineType = machine,
            SerialInput = true,
            Timeout = TimeSpan.FromSeconds(240),
        });

    // Sends a line on serial and waits for the output that follows its echo.
    private static async Task<Match> RunAsync(QemuRun run, string line, string expected)
    {
        int before = run.Serial.Length;
        await run.SendSerialAsync(line + "\r");
        return await WaitAfterAsync(run, before, expected);
    }

    private static async Task<Match> WaitAfterAsync(QemuRun run, int offset, string pattern, TimeSpan? timeout = null)
    {
        var regex = new Regex(pattern, RegexOptions.Multiline);
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(90));
        while (true)
        {
            string serial = run.Serial;
            Match match = regex.Match(serial, Math.Min(offset, serial.Length));
            if (match.Success)
                return match;
            if (run.HasExited || DateTime.UtcNow > deadline)
                throw new BootFailedException($"{run.Options.Name}: {(run.HasExited ? "QEMU exited" : "timed out")} waiting for /{pattern}/", run);
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Shell_AnswersCommands_FromKeyboardAndSerial_SurvivesABurst_AndShutsDownWithAcpiS5()
    {
        await using QemuRun run = Boot("shell-q35");
        await run.WaitForSerialAsync(Prompt);

        // Typed on the PS/2 keyboard through QMP, a few keys at a time (QEMU's input queue is short).
        QmpClient qmp = await run.QmpAsync();
        int start = run.Serial.Length;
        string typed = "echo typed on the keyboard";
        for (int i = 0; i < typed.Length; i++)
        {
            await qmp.SendKeyAsync(10, typed[i] == ' ' ? "spc" : typed[i].ToString());
            if (i % 5 == 4)
                await WaitAfterAsync(run, start, Regex.Escape(typed[..(i + 1)]));
        }

        await qmp.SendKeyAsync(10, "ret");
        await WaitAfterAsync(run, start, @"^typed on the keyboard\r?$");

        Match help = await RunAsync(run, "help", @"^  shutdown\s+power off.*\r?$");
        string helpText = run.Serial[..(help.Index + help.Length)];
        foreach (string command in new[] { "help", "echo", "clear", "uptime", "ticks", "sleep", "mem", "heap", "gc", "tasks", "fault", "reboot" })
            Assert.Matches(new Regex(@"^  " + command + @"\b", RegexOptions.Multiline), helpText);

        double first = double.Parse((await RunAsync(run, "uptime", @"^up (\d+\.\d{3}) s\r?$")).Groups[1].Value);
        await RunAsync(run, "sleep 500", @"^slept 500 ms\r?$");
        double second = double.Parse((await RunAsync(run, "uptime", @"^up (\d+\.\d{3}) s\r?$")).Groups[1].Value);
        Assert.True(second - first >= 0.5, $"uptime went from {first} to {second} across a 500 ms sleep");

        Match tasks = await RunAsync(run, "tasks", @"^(\d+) tasks; .*\r?$");
        string table = run.Serial[..tasks.Index];
        foreach (string name in new[] { "input", "shell", "clock" })
            Assert.Matches(new Regex(@"^\s+\d+\s+" + name + @"\s+(ready|running|waiting)\s+\d+\r?$", RegexOptions.Multiline), table);
        Assert.Matches(new Regex(@"^\s+\d+\s+shell\s+running\s+\d+\r?$", RegexOptions.Multiline), table);

        Match heap = await RunAsync(run, "heap", @"^  used (\d+) B, free (\d+) B, largest free block (\d+) B\r?$");
        Assert.True(long.Parse(heap.Groups[1].Value) > 0 && long.Parse(heap.Groups[3].Value) <= long.Parse(heap.Groups[2].Value), heap.Value);
        Match mem = await RunAsync(run, "mem", @"^frames: ok, (\d+) MiB usable: (\d+) MiB free, (\d+) MiB used .*\r?$");
        long usable = long.Parse(mem.Groups[1].Value), free = long.Parse(mem.Groups[2].Value), used = long.Parse(mem.Groups[3].Value);
        Assert.True(usable > 100 && free > 0 && Math.Abs(usable - free - used) <= 2, mem.Value);
        await WaitAfterAsync(run, mem.Index, @"^0x[0-9A-F]+\s+\d+ KiB\s+rw-\s+heap\r?$");
        Match collected = await RunAsync(run, "gc collect", @"^gc: collected\r?$");
        Match gc = await WaitAfterAsync(run, collected.Index, @"^gc: collections ([1-9]\d*), last pause \d+ us.*\r?$");
        Assert.True(long.Parse(gc.Groups[1].Value) >= 1, gc.Value);
        Match thrown = await RunAsync(run, "throw boom", @"^throw: System.InvalidOperationException: boom\r?$");
        await WaitAfterAsync(run, thrown.Index, @"^\s+at \S+.*\r?$");
        await RunAsync(run, "ticks", @"^[1-9]\d* ticks at 100 Hz\r?$");
        await RunAsync(run, "frobnicate now", @"^unknown command: frobnicate \(try help\)\r?$");

        // Typing during a long command is kept and handled after it.
        int sleepStart = run.Serial.Length;
        await run.SendSerialAsync("sleep 1500\recho typed while sleeping\r");
        Match slept = await WaitAfterAsync(run, sleepStart, @"^slept 1500 ms\r?$");
        await WaitAfterAsync(run, slept.Index, @"^typed while sleeping\r?$");

        // Ctrl-C during a running command cancels it through the token the shell passes: ^C, then the prompt
        // at once (not after 100 s), and the shell goes on.
        int cancelStart = run.Serial.Length;
        await run.SendSerialAsync("sleep 100000\r");
        await WaitAfterAsync(run, cancelStart, @"sleep 100000\r?$");
        await Task.Delay(1000);
        await run.SendSerialAsync("\x03");
        Match interrupted = await WaitAfterAsync(run, cancelStart, @"^\^C\r?$", TimeSpan.FromSeconds(30));
        await WaitAfterAsync(run, interrupted.Index, Prompt, TimeSpan.FromSeconds(30));
        int afterCancel = run.Serial.Length;
        await run.SendSerialAsync("echo after ctrl-c\r");
        await WaitAfterAsync(run, afterCancel, @"^after ctrl-c\r?$", TimeSpan.FromSeconds(30));
        Assert.DoesNotContain("slept 100000", run.Serial[cancelStart..]);

        // 1,300 characters at once: 100 lines of 13. The shell answers what the queues held (the rest is dropped
        // with a warning) and stays responsive.
        var burst = new StringBuilder();
        for (int i = 0; i < 100; i++)
            burst.Append($"echo b{i:D3}xyz\r");
        Assert.Equal(1_300, burst.Length);
        int burstStart = run.Serial.Length;
        await run.SendSerialAsync(burst.ToString());
        await Task.Delay(2000);
        await run.SendSerialAsync("\x03"); // Ctrl-C: drop whatever partial line the losses left
        Match after = await RunAsync(run, "echo after the burst", @"^after the burst\r?$");
        string burstOutput = run.Serial[burstStart..after.Index];
        int answered = Regex.Matches(burstOutput, @"^b\d{3}xyz\r?$", RegexOptions.Multiline).Count;
        Assert.True(answered == 100 || burstOutput.Contains("[input] warning:"), $"{answered} of 100 burst lines answered and no drop warning");
        Assert.True(answered > 0, "the shell answered during the burst");

        int shutdownStart = run.Serial.Length;
        await run.SendSerialAsync("shutdown\r");
        int status = await run.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.Matches(new Regex(@"^shutdown: ACPI S5 \(SLP_TYPa 0, SLP_TYPb 0\) via port 0x604", RegexOptions.Multiline), run.Serial[shutdownStart..]);
        Assert.DoesNotContain("last resort", run.Serial[shutdownStart..]);
        Assert.Equal(0, status);
    }

    [Fact]
    public async Task Shutdown_OnPc_PowersOffThroughAcpiS5()
    {
        await using QemuRun run = Boot("shell-shutdown-pc", "pc");
        await run.WaitForSerialAsync(Prompt);
        await run.SendSerialAsync("shutdown\r");
        int status = await run.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.Matches(new Regex(@"^shutdown: ACPI S5 \(SLP_TYPa 0, SLP_TYPb 0\) via port 0xB004", RegexOptions.Multiline), run.Serial);
        Assert.DoesNotContain("last resort", run.Serial);
        Assert.Equal(0, status);
    }

    [Fact]
    public async Task Reboot_ResetsTheMachine_ThroughTheAcpiResetRegister()
    {
        await using QemuRun run = Boot("shell-reboot");
        await run.WaitForSerialAsync(Prompt);
        await run.SendSerialAsync("reboot\r");
        int status = await run.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.Matches(new Regex(@"^reboot: ACPI reset register port 0xCF9 \(8 bits\) <- 0x0F\r?$", RegexOptions.Multiline), run.Serial);
        Assert.DoesNotContain("8042 reset pulse", run.Serial); // the first way worked
        Assert.Equal(0, status);
    }

    [Fact]
    public async Task FaultCommand_PageFault_PrintsTheReport_NamingTheShellTask()
    {
        await using QemuRun run = Boot("shell-fault");
        await run.WaitForSerialAsync(Prompt);
        await run.SendSerialAsync("fault pagefault\r");
        await run.WaitForSerialAsync(@"^System halted\.", TimeSpan.FromSeconds(60));
        string serial = run.Serial;
        Assert.Matches(new Regex(@"^fault: triggering pagefault", RegexOptions.Multiline), serial);
        Assert.Matches(new Regex(@"^PANIC: EXCEPTION: PAGE FAULT \(#PF, vector 14\)", RegexOptions.Multiline), serial);
        Assert.Matches(new Regex(@"accessed address \(CR2\) 0xFFFFF000DEADB000", RegexOptions.Multiline), serial);
        Assert.Matches(new Regex(@"^\s+in task \d+ 'shell'\r?$", RegexOptions.Multiline), serial);
    }
}
