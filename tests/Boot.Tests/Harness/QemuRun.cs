// One QEMU process booting one image: serial output captured to a file, a
// QMP socket for screenshots and keys, isa-debug-exit for test images. The
// process is always killed - on dispose, on timeout, and when the test host
// exits - so no QEMU outlives its test.
//
// With BootOptions.SerialInput the serial port is a unix socket instead
// (QEMU waits for the connection before it starts the machine, so no output
// is lost): a pump copies what QEMU sends into the same serial.log, and
// SendSerialAsync types into the guest's COM1.
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Boot.Tests.Harness;

public sealed class QemuRun : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<int, Process> s_running = new();
    private static readonly Lazy<string> s_accelerator = new(DetectAccelerator);
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();
    private QmpClient? _qmp;
    private Socket? _serialSocket;
    private Task? _serialPump;

    static QemuRun()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (Process process in s_running.Values)
                TryKill(process);
        };
    }

    private QemuRun(BootOptions options, string directory, string serialLog, string qmpSocket, Process process)
    {
        Options = options;
        Directory = directory;
        SerialLogPath = serialLog;
        QmpSocket = qmpSocket;
        _process = process;
        Started = DateTime.UtcNow;
    }

    public BootOptions Options { get; }

    /// <summary>artifacts/test-runs/&lt;name&gt;: the ESP copy, the serial log, screenshots.</summary>
    public string Directory { get; }

    public string SerialLogPath { get; }

    public string QmpSocket { get; }

    public DateTime Started { get; }

    public static string Accelerator => s_accelerator.Value;

    public static QemuRun Start(BootOptions options)
    {
        OvmfFirmware firmware = Ovmf.Find(options.Firmware)
            ?? throw new InvalidOperationException(Ovmf.DescribeSearch() + (options.Firmware == OvmfFlavor.Any ? "" : $" (needed: the {options.Firmware} build)"));
        string efi = Path.Combine(options.Esp, "EFI", "BOOT", "BOOTX64.EFI");
        if (!File.Exists(efi))
            throw new InvalidOperationException($"{efi} does not exist: build the images first (./build.sh --target=Build)");

        string directory = Path.Combine(Repository.RunsDirectory, Sanitize(options.Name));
        if (System.IO.Directory.Exists(directory))
            System.IO.Directory.Delete(directory, recursive: true);
        string esp = Path.Combine(directory, "esp");
        string bootDirectory = Path.Combine(esp, "EFI", "BOOT");
        System.IO.Directory.CreateDirectory(bootDirectory);
        File.Copy(efi, Path.Combine(bootDirectory, "BOOTX64.EFI"));
        if (options.Config is not null)
            File.WriteAllText(Path.Combine(bootDirectory, "kernel.conf"), options.Config);
        foreach ((string relative, byte[] content) in options.ExtraFiles)
        {
            string path = Path.Combine(esp, relative);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, content);
        }

        string bootMedia = esp;
        if (options.DiskImage is not null)
        {
            if (options.Config is not null || options.ExtraFiles.Count > 0)
                throw new ArgumentException(options.Name + ": Config and ExtraFiles cannot be added to a disk image");
            if (!File.Exists(options.DiskImage))
                throw new InvalidOperationException($"{options.DiskImage} does not exist: build it first (./build.sh --target=Image)");
            bootMedia = Path.Combine(directory, Path.GetFileName(options.DiskImage));
            File.Copy(options.DiskImage, bootMedia);
        }

        string serialLog = Path.Combine(directory, "serial.log");
        File.WriteAllText(serialLog, "");
        // Unix socket paths are limited to 108 bytes: keep them short, in /tmp.
        string qmpSocket = Path.Combine(Path.GetTempPath(), "qmp-" + Guid.NewGuid().ToString("N")[..12] + ".sock");
        string serialSocket = Path.Combine(Path.GetTempPath(), "com1-" + Guid.NewGuid().ToString("N")[..12] + ".sock");
        var machine = new QemuMachine
        {
            MachineType = options.MachineType,
            MemoryMiB = options.MemoryMiB,
            Cpus = options.Cpus,
            DisplayDevice = options.DisplayDevice,
            Firmware = firmware,
            VarsFile = firmware.CreateVarsCopy(directory),
            BootMedia = bootMedia,
            BootMediaIsDirectory = options.DiskImage is null,
            Accelerator = Accelerator,
            Serial = options.SerialInput ? "unix:" + serialSocket + ",server=on,wait=on" : "file:" + serialLog,
            QmpSocket = qmpSocket,
            DebugExit = true,
            Window = false,
        };
        if (options.CpuModel is not null)
            machine.ExtraArguments.AddRange(new[] { "-cpu", options.CpuModel });

        var start = new ProcessStartInfo(QemuAccelerator.Executable)
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        foreach (string argument in machine.BuildArguments())
            start.ArgumentList.Add(argument);
        File.WriteAllText(Path.Combine(directory, "qemu-command.txt"), QemuAccelerator.Executable + " " + string.Join(" ", start.ArgumentList));

        Process process = Process.Start(start) ?? throw new InvalidOperationException("cannot start " + QemuAccelerator.Executable);
        var run = new QemuRun(options, directory, serialLog, qmpSocket, process);
        s_running[process.Id] = process;
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (run._stderr)
                    run._stderr.AppendLine(e.Data);
            }
        };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        if (options.SerialInput)
            run.ConnectSerial(serialSocket);
        return run;
    }

    /// <summary>Sends <paramref name="text"/> (UTF-8) to the guest's COM1, as a terminal would. Needs BootOptions.SerialInput.</summary>
    public async Task SendSerialAsync(string text)
    {
        Socket socket = _serialSocket ?? throw new InvalidOperationException(Options.Name + ": boot with SerialInput = true to type into the serial port");
        await socket.SendAsync(Encoding.UTF8.GetBytes(text), SocketFlags.None);
    }

    // Connects to QEMU's serial socket (retrying while QEMU creates it) and starts copying its output to the log.
    private void ConnectSerial(string path)
    {
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                socket.Connect(new UnixDomainSocketEndPoint(path));
                _serialSocket = socket;
                break;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                socket.Dispose();
                Thread.Sleep(50);
            }
        }

        _serialPump = Task.Run(async () =>
        {
            var buffer = new byte[4096];
            using var log = new FileStream(SerialLogPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
            try
            {
                int read;
                while ((read = await _serialSocket.ReceiveAsync(buffer, SocketFlags.None)) > 0)
                {
                    log.Write(buffer, 0, read);
                    log.Flush();
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // QEMU exited or the run is being disposed.
            }
        });
        try
        {
            File.Delete(path); // connected: the name is no longer needed
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Everything the kernel and firmware printed so far (without terminal escape sequences).</summary>
    public string Serial
    {
        get
        {
            using var stream = new FileStream(SerialLogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return StripEscapes(reader.ReadToEnd());
        }
    }

    public string StandardError
    {
        get
        {
            lock (_stderr)
                return _stderr.ToString();
        }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Waits until the serial output matches <paramref name="pattern"/>; returns the match.</summary>
    public async Task<Match> WaitForSerialAsync(string pattern, TimeSpan? timeout = null)
    {
        var regex = new Regex(pattern, RegexOptions.Multiline);
        DateTime deadline = DateTime.UtcNow + (timeout ?? Options.Timeout);
        while (true)
        {
            Match match = regex.Match(Serial);
            if (match.Success)
                return match;
            if (_process.HasExited)
                throw new BootFailedException($"{Options.Name}: QEMU exited with status {_process.ExitCode} before the serial output matched /{pattern}/", this);
            if (DateTime.UtcNow > deadline)
                throw new BootFailedException($"{Options.Name}: timed out after {(timeout ?? Options.Timeout).TotalSeconds:0} s waiting for /{pattern}/ on serial", this);
            await Task.Delay(50);
        }
    }

    /// <summary>Waits for QEMU to exit and returns its status; a timeout kills QEMU and throws.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        TimeSpan limit = timeout ?? Options.Timeout;
        using var cancellation = new CancellationTokenSource(limit);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            TryKill(_process);
            throw new BootFailedException($"{Options.Name}: timed out after {limit.TotalSeconds:0} s", this);
        }

        return _process.ExitCode;
    }

    public async Task<QmpClient> QmpAsync()
        => _qmp ??= await QmpClient.ConnectAsync(QmpSocket, TimeSpan.FromSeconds(10));

    /// <summary>Takes a screenshot into the run directory and loads it.</summary>
    public async Task<PpmImage> ScreenshotAsync(string name)
    {
        string path = Path.Combine(Directory, name + ".ppm");
        QmpClient qmp = await QmpAsync();
        await qmp.ScreendumpAsync(path);
        return PpmImage.Load(path);
    }

    /// <summary>The last lines of serial output, for failure messages.</summary>
    public string Tail(int lines = 25)
    {
        string[] all = Serial.Replace("\r", "").Split('\n');
        return string.Join("\n", all.Skip(Math.Max(0, all.Length - lines)));
    }

    public async ValueTask DisposeAsync()
    {
        if (_qmp is not null)
            await _qmp.DisposeAsync();
        TryKill(_process);
        _serialSocket?.Dispose();
        if (_serialPump is not null)
            await _serialPump;
        s_running.TryRemove(_process.Id, out _);
        _process.Dispose();
        try
        {
            File.Delete(QmpSocket);
        }
        catch (IOException)
        {
        }
    }

    private static void TryKill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }
    }

    private static string DetectAccelerator()
    {
        OvmfFirmware firmware = Ovmf.Find() ?? throw new InvalidOperationException(Ovmf.DescribeSearch());
        return QemuAccelerator.Detect(firmware, Path.Combine(Repository.Artifacts, "run"), Path.Combine(Repository.Artifacts, "qemu-accelerator.txt"));
    }

    // OVMF's terminal output is full of ANSI cursor and clear sequences; the kernel's colors are kept out too.
    public static string StripEscapes(string text) => Regex.Replace(text, @"\x1b\[[0-9;=?]*[A-Za-z]", "");

    private static string Sanitize(string name) => Regex.Replace(name, @"[^A-Za-z0-9_.-]", "_");
}

public sealed class BootFailedException : Exception
{
    public BootFailedException(string message, QemuRun run)
        : base(message + Environment.NewLine + "--- last serial lines (" + run.SerialLogPath + ") ---" + Environment.NewLine + run.Tail()
            + (string.IsNullOrWhiteSpace(run.StandardError) ? "" : Environment.NewLine + "--- QEMU stderr ---" + Environment.NewLine + run.StandardError))
    {
    }
}
