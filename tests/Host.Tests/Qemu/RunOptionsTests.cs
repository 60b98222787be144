// The Run target's options (tools/Qemu/RunOptions.cs): good values, bad values, and the messages
// that must name what is accepted.
using Xunit;

namespace Host.Tests.Qemu;

public sealed class RunOptionsTests
{
    // Cake's argument table: each name with its values; a bare switch has an empty value.
    private static RunOptions Parse(params string[] arguments)
    {
        var table = new Dictionary<string, ICollection<string>>();
        foreach (string argument in arguments)
        {
            string text = argument.TrimStart('-');
            int equals = text.IndexOf('=');
            string name = equals < 0 ? text : text[..equals];
            string value = equals < 0 ? "" : text[(equals + 1)..];
            table[name] = new List<string> { value };
        }

        return RunOptions.Parse(table);
    }

    private static string Error(params string[] arguments)
        => Assert.Throws<RunOptionException>(() => Parse(arguments)).Message;

    [Fact]
    public void NoOptions_GiveTheDefaults()
    {
        RunOptions options = Parse();
        Assert.False(options.Headless);
        Assert.Equal(512, options.MemoryMiB);
        Assert.Equal(1, options.Cpus);
        Assert.Equal("q35", options.Machine);
        Assert.Equal("VGA", options.DisplayDevice);
        Assert.Null(options.ConfFile);
        Assert.False(options.Disk);
        Assert.Equal(KvmMode.Auto, options.Kvm);
        Assert.Equal(1234, options.GdbPort);
    }

    [Fact]
    public void EveryOption_IsRead()
    {
        RunOptions options = Parse("--headless", "--memory=2G", "--cpus=4", "--machine=pc", "--display-device=virtio", "--conf=my.conf", "--kvm=off", "--gdb-port=4321", "--target=Run");
        Assert.True(options.Headless);
        Assert.Equal(2048, options.MemoryMiB);
        Assert.Equal(4, options.Cpus);
        Assert.Equal("pc", options.Machine);
        Assert.Equal("virtio-gpu-pci", options.DisplayDevice);
        Assert.Equal("my.conf", options.ConfFile);
        Assert.Equal(KvmMode.Off, options.Kvm);
        Assert.Equal(4321, options.GdbPort);
    }

    [Theory]
    [InlineData("std", "VGA")]
    [InlineData("virtio", "virtio-gpu-pci")]
    [InlineData("bochs", "bochs-display")]
    [InlineData("none", null)]
    [InlineData("BOCHS", "bochs-display")]
    public void DisplayDevice_MapsToTheQemuDevice(string name, string device)
        => Assert.Equal(device, Parse("--display-device=" + name).DisplayDevice);

    [Theory]
    [InlineData("512M", 512)]
    [InlineData("2G", 2048)]
    [InlineData("2g", 2048)]
    [InlineData("2GiB", 2048)]
    [InlineData("1536", 1536)]
    [InlineData("128M", 128)]
    [InlineData("1T", 1024 * 1024)]
    public void Memory_AcceptsSizesWithUnits(string text, int mebibytes)
        => Assert.Equal(mebibytes, RunOptions.ParseMemory(text));

    [Theory]
    [InlineData("")]
    [InlineData("lots")]
    [InlineData("2X")]
    [InlineData("-1G")]
    [InlineData("1.5G")]
    [InlineData("64M")]
    [InlineData("2T")]
    [InlineData("99999999999999999999")]
    public void Memory_RejectsOthers_NamingTheAcceptedForm(string text)
    {
        string message = Error("--memory=" + text);
        Assert.Contains("--memory=" + text, message);
        Assert.Contains("512M, 2G or 2048", message);
    }

    [Theory]
    [InlineData("--cpus=0", "1 to 255")]
    [InlineData("--cpus=256", "1 to 255")]
    [InlineData("--cpus=four", "1 to 255")]
    [InlineData("--cpus", "1 to 255")]
    [InlineData("--machine=virt", "one of q35, pc")]
    [InlineData("--display-device=cirrus", "one of std, virtio, bochs, none")]
    [InlineData("--kvm=maybe", "one of auto, on, off")]
    [InlineData("--gdb-port=70000", "1 to 65535")]
    [InlineData("--headless=sometimes", "switch")]
    [InlineData("--conf", "--conf=<path")]
    public void BadValues_AreRejected_NamingTheAcceptedOnes(string argument, string accepted)
        => Assert.Contains(accepted, Error(argument));

    [Fact]
    public void UnknownOption_IsRejected_ListingTheKnownOnes()
    {
        string message = Error("--memroy=2G");
        Assert.Contains("unknown option --memroy", message);
        Assert.Contains("--memory", message);
        Assert.Contains("--headless", message);
    }

    [Fact]
    public void CakeSettings_PassThrough()
        => Assert.Equal(4, Parse("--settings_enablescriptcache=true", "--cpus=4").Cpus);

    [Fact]
    public void ConfWithDisk_IsRejected()
        => Assert.Contains("--conf cannot be combined with --disk", Error("--disk", "--conf=a.conf"));

    [Theory]
    [InlineData("true", true)]
    [InlineData("false", false)]
    [InlineData("off", false)]
    public void Switches_TakeExplicitValues(string value, bool expected)
        => Assert.Equal(expected, Parse("--headless=" + value).Headless);

    [Fact]
    public void HelpText_ListsEveryOption()
    {
        foreach (string option in new[] { "--headless", "--memory=", "--cpus=", "--machine=q35|pc", "--display-device=std|virtio|bochs|none", "--conf=", "--disk", "--kvm=auto|on|off", "--gdb-port=", "--debug" })
            Assert.Contains(option, RunOptions.HelpText);
    }
}
