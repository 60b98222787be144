// The QEMU command line each run option produces (tools/Qemu/RunCommand.cs, Qemu.cs).
using Xunit;

namespace Host.Tests.Qemu;

public sealed class RunCommandTests
{
    private static readonly OvmfFirmware s_firmware = new("/fw/OVMF_CODE_4M.fd", "/fw/OVMF_VARS_4M.fd", "test");
    private static readonly DisplayChoice s_gtk = new("gtk", "window: gtk");
    private static readonly DisplayChoice s_headless = new(null, "headless (--headless)");

    private static List<string> Arguments(RunOptions options, DisplayChoice display = null, bool debug = false, string accelerator = "tcg")
        => RunCommand.Machine(options, display ?? s_headless, s_firmware, "/run/vars.fd", options.Disk ? "/a/disk.img" : "/a/esp", accelerator, debug).BuildArguments();

    // The value after each occurrence of a flag ("-device" appears more than once).
    private static List<string> Values(List<string> arguments, string flag)
        => arguments.Select((a, i) => (a, i)).Where(p => p.a == flag && p.i + 1 < arguments.Count).Select(p => arguments[p.i + 1]).ToList();

    [Fact]
    public void Defaults_BootTheEspDirectory_OnQ35_WithSerialOnTheTerminal()
    {
        List<string> args = Arguments(new RunOptions(), s_gtk);
        Assert.Equal(new[] { "q35" }, Values(args, "-machine"));
        Assert.Equal(new[] { "512M" }, Values(args, "-m"));
        Assert.Equal(new[] { "1" }, Values(args, "-smp"));
        Assert.Equal(new[] { "tcg" }, Values(args, "-accel"));
        Assert.Equal(new[] { "stdio" }, Values(args, "-serial"));
        Assert.Contains("format=raw,file=fat:rw:/a/esp", Values(args, "-drive"));
        Assert.Contains("if=pflash,format=raw,readonly=on,file=/fw/OVMF_CODE_4M.fd", Values(args, "-drive"));
        Assert.Contains("if=pflash,format=raw,file=/run/vars.fd", Values(args, "-drive"));
        Assert.Equal(new[] { "VGA" }, Values(args, "-device"));
        Assert.Equal(new[] { "gtk" }, Values(args, "-display"));
        Assert.DoesNotContain("-S", args);
        Assert.Empty(Values(args, "-gdb"));
    }

    [Fact]
    public void Headless_HasNoWindow_AndKeepsTheSerialConsole()
    {
        List<string> args = Arguments(new RunOptions { Headless = true });
        Assert.Equal(new[] { "none" }, Values(args, "-display"));
        Assert.Equal(new[] { "stdio" }, Values(args, "-serial"));
    }

    [Theory]
    [InlineData("sdl", "sdl")]
    [InlineData("cocoa", "cocoa")]
    public void WindowBackEnd_IsPassedToQemu(string backend, string display)
        => Assert.Equal(new[] { display }, Values(Arguments(new RunOptions(), new DisplayChoice(backend, "window")), "-display"));

    [Fact]
    public void MemoryCpusMachine_Appear()
    {
        List<string> args = Arguments(new RunOptions { MemoryMiB = 2048, Cpus = 4, Machine = "pc" });
        Assert.Equal(new[] { "2048M" }, Values(args, "-m"));
        Assert.Equal(new[] { "4" }, Values(args, "-smp"));
        Assert.Equal(new[] { "pc" }, Values(args, "-machine"));
    }

    [Theory]
    [InlineData("std", "VGA")]
    [InlineData("virtio", "virtio-gpu-pci")]
    [InlineData("bochs", "bochs-display")]
    public void DisplayDevice_IsTheOnlyAdapter(string name, string device)
    {
        List<string> args = Arguments(new RunOptions { DisplayDeviceName = name });
        Assert.Equal(new[] { "none" }, Values(args, "-vga"));
        Assert.Equal(new[] { device }, Values(args, "-device"));
    }

    [Fact]
    public void DisplayDeviceNone_HasNoAdapter()
    {
        List<string> args = Arguments(new RunOptions { DisplayDeviceName = "none" });
        Assert.Equal(new[] { "none" }, Values(args, "-vga"));
        Assert.Empty(Values(args, "-device"));
    }

    [Fact]
    public void Disk_BootsTheImage()
    {
        List<string> args = Arguments(new RunOptions { Disk = true });
        Assert.Contains("format=raw,file=/a/disk.img", Values(args, "-drive"));
        Assert.DoesNotContain(Values(args, "-drive"), d => d.Contains("fat:"));
    }

    [Fact]
    public void Debug_HaltsAndOpensTheGdbStubOnLoopback()
    {
        List<string> args = Arguments(new RunOptions { GdbPort = 4321 }, debug: true);
        Assert.Contains("-S", args);
        Assert.Equal(new[] { "tcp:127.0.0.1:4321" }, Values(args, "-gdb"));
        Assert.Equal(new[] { "stdio" }, Values(args, "-serial"));
    }

    [Fact]
    public void Kvm_Modes()
    {
        Assert.Equal("tcg", RunCommand.Accelerator(KvmMode.Off, true, () => throw new InvalidOperationException("no probe for off")));
        Assert.Equal("kvm", RunCommand.Accelerator(KvmMode.On, true, () => throw new InvalidOperationException("no probe for on")));
        Assert.Equal("tcg", RunCommand.Accelerator(KvmMode.Auto, true, () => "tcg"));
        Assert.Equal("kvm", RunCommand.Accelerator(KvmMode.Auto, true, () => "kvm"));
        RunOptionException error = Assert.Throws<RunOptionException>(() => RunCommand.Accelerator(KvmMode.On, false, () => "kvm"));
        Assert.Contains("--kvm=on", error.Message);
        Assert.Contains("/dev/kvm", error.Message);
    }

    [Fact]
    public void KvmAccelerator_IsPassedToQemu()
        => Assert.Equal(new[] { "kvm" }, Values(Arguments(new RunOptions(), accelerator: "kvm"), "-accel"));

    [Fact]
    public void GdbCommand_LoadsTheSymbolsAndAttaches()
    {
        Assert.Equal("gdb -q /r/kernel.debug.exe -ex 'target remote 127.0.0.1:1234'", RunCommand.GdbCommand("/r/kernel.debug.exe", 1234));
        Assert.Equal("gdb -q '/my dir/k.exe' -ex 'target remote 127.0.0.1:9'", RunCommand.GdbCommand("/my dir/k.exe", 9));
    }
}
