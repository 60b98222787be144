using System.Text;
using Shared.Boot;
using Xunit;

namespace Host.Tests.Boot;

public sealed unsafe class BootConfigParserTests
{
    private static (BootConfig Config, ConfigWarning[] Warnings) Parse(string text)
    {
        BootConfig config = BootConfigParser.Defaults();
        var warnings = new ConfigWarning[8];
        int count = BootConfigParser.Parse(Encoding.UTF8.GetBytes(text), ref config, warnings);
        return (config, warnings.Take(count).ToArray());
    }

    private static string Arguments(BootConfig config)
    {
        byte* arguments = config.Arguments;
        int length = 0;
        while (arguments[length] != 0)
            length++;
        return Encoding.ASCII.GetString(arguments, length);
    }

    [Fact]
    public void EmptyFile_GivesTheDefaults()
    {
        (BootConfig config, ConfigWarning[] warnings) = Parse("");
        Assert.Empty(warnings);
        Assert.Equal(1920u, config.MaxWidth);
        Assert.Equal(1080u, config.MaxHeight);
        Assert.Equal(LogLevel.Info, config.LogLevel);
        Assert.Equal(1u, config.SerialEnabled);
        Assert.Equal(KernelLayout.DefaultKernelStackSize, config.KernelStackSize);
        Assert.Equal(100u, config.TimerHz);
        Assert.Equal("", Arguments(config));
    }

    [Fact]
    public void EveryKey_IsApplied()
    {
        (BootConfig config, ConfigWarning[] warnings) = Parse(
            "\uFEFF# settings\r\nresolution = 1280x800\r\nlog=debug\nserial = off\nconsole.scale = 2\nallocator = linked-list\nstack = 1M\ntimer = 250\ndebug = stale-map-key\nargs = ktest.suite=main extra=1 # comment\n");
        Assert.Empty(warnings);
        Assert.Equal((1280u, 800u), (config.MaxWidth, config.MaxHeight));
        Assert.Equal(LogLevel.Debug, config.LogLevel);
        Assert.Equal(0u, config.SerialEnabled);
        Assert.Equal(2u, config.ConsoleScale);
        Assert.Equal(AllocatorKind.LinkedList, config.Allocator);
        Assert.Equal(1UL << 20, config.KernelStackSize);
        Assert.Equal(250u, config.TimerHz);
        Assert.Equal(DebugFlags.StaleMapKey, config.DebugFlags);
        Assert.Equal("ktest.suite=main extra=1", Arguments(config));
    }

    [Fact]
    public void BadLines_AreWarnings_AndKeepTheDefaults()
    {
        (BootConfig config, ConfigWarning[] warnings) = Parse("resolution = big\ncolour = blue\njust words\nstack = 4K\nlog = loud\ntimer = 5\ntimer = 1001\ntimer = fast\n");
        Assert.Equal(8, warnings.Length);
        Assert.All(warnings[5..], w => Assert.Equal((ConfigWarningKind.InvalidValue, "timer"), (w.Kind, w.Key)));
        Assert.Equal(DebugFlags.None, config.DebugFlags);
        Assert.Equal(100u, config.TimerHz);
        Assert.Equal((1, ConfigWarningKind.InvalidValue, "resolution"), (warnings[0].Line, warnings[0].Kind, warnings[0].Key));
        Assert.Equal((2, ConfigWarningKind.UnknownKey, "colour"), (warnings[1].Line, warnings[1].Kind, warnings[1].Key));
        Assert.Equal((3, ConfigWarningKind.MalformedLine), (warnings[2].Line, warnings[2].Kind));
        Assert.Equal(ConfigWarningKind.InvalidValue, warnings[3].Kind);
        Assert.Contains("unknown key 'colour'", warnings[1].Describe());
        Assert.Equal(1920u, config.MaxWidth);
        Assert.Equal(KernelLayout.DefaultKernelStackSize, config.KernelStackSize);
        Assert.Equal(LogLevel.Info, config.LogLevel);
    }

    [Fact]
    public void TooLongArguments_AreRejected()
    {
        (BootConfig config, ConfigWarning[] warnings) = Parse("args = " + new string('x', 300));
        Assert.Single(warnings);
        Assert.Equal(ConfigWarningKind.ValueTooLong, warnings[0].Kind);
        Assert.Equal("", Arguments(config));
    }

    [Fact]
    public void HeapKeys_AreParsed()
    {
        (BootConfig config, ConfigWarning[] warnings) = Parse("allocator = tlsf\nheap.max = 64M\nheap.debug = on\n");
        Assert.Empty(warnings);
        Assert.Equal(AllocatorKind.Tlsf, config.Allocator);
        Assert.Equal(64UL << 20, config.HeapMaximum);
        Assert.Equal(1u, config.HeapDebug);

        (config, warnings) = Parse("heap.max = 2G\nheap.debug = off\n");
        Assert.Empty(warnings);
        Assert.Equal(2UL << 30, config.HeapMaximum);
        Assert.Equal(0u, config.HeapDebug);
        Assert.Equal(0UL, BootConfigParser.Defaults().HeapMaximum); // 0 = half of RAM
    }

    [Fact]
    public void BadHeapValues_WarnAndKeepTheDefaults()
    {
        (BootConfig config, ConfigWarning[] warnings) = Parse("heap.max = 1M\nheap.max = lots\nheap.debug = maybe\nallocator = slab\n");
        Assert.Equal(4, warnings.Length);
        Assert.All(warnings, w => Assert.Equal(ConfigWarningKind.InvalidValue, w.Kind));
        Assert.Equal(0UL, config.HeapMaximum);
        Assert.Equal(0u, config.HeapDebug);
        Assert.Equal(AllocatorKind.Default, config.Allocator);
    }
}
