// The image users boot: it starts, logs its boot stages and prints the banner.
using Boot.Tests.Harness;
using Xunit;

namespace Boot.Tests;

public sealed class ImageTests
{
    [Fact]
    public async Task ReleaseImage_Boots_AndPrintsTheBannerOnSerial()
    {
        await using QemuRun run = QemuRun.Start(new BootOptions { Name = "release-banner", Esp = Repository.ReleaseEsp });
        await run.WaitForSerialAsync(@"^Tessera \d+\.\d+\.\d+ \(x86_64, UEFI\)");
        string serial = run.Serial;
        Assert.Contains("loader: jumping to the kernel", serial);
        Assert.Contains("[boot] serial port COM1: ok", serial);
        Assert.Contains("[boot] boot information: ok", serial);
    }
}
