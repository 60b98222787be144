// The image users boot: it starts, logs its boot stages and prints the banner -
// from the ESP directory, and from artifacts/disk.img (tools/DiskImage) booted
// as a plain disk, the way a USB stick written with dd boots. That boot also
// takes the console screenshot the README shows.
using Boot.Tests.Harness;
using Xunit;

namespace Boot.Tests;

public sealed class ImageTests
{
    private const string BannerPattern = @"^Tessera \d+\.\d+\.\d+ \(x86_64, UEFI\)";

    /// <summary>Set to 1 to copy the disk boot's screenshot to docs/images/console.png (see README.md).</summary>
    private const string UpdateScreenshotVariable = "TESSERA_UPDATE_SCREENSHOT";

    [Fact]
    public async Task ReleaseImage_Boots_AndPrintsTheBannerOnSerial()
    {
        await using QemuRun run = QemuRun.Start(new BootOptions { Name = "release-banner", Esp = Repository.ReleaseEsp });
        await run.WaitForSerialAsync(BannerPattern);
        string serial = run.Serial;
        Assert.Contains("loader: jumping to the kernel", serial);
        Assert.Contains("[boot] serial port COM1: ok", serial);
        Assert.Contains("[boot] boot information: ok", serial);
    }

    [Fact]
    public async Task DiskImage_BootsAsAPlainDisk_ToTheBanner()
    {
        string disk = Path.Combine(Repository.Artifacts, "disk.img");
        string efi = Path.Combine(Repository.ReleaseEsp, "EFI", "BOOT", "BOOTX64.EFI");
        Assert.True(File.Exists(disk), $"{disk} is missing: ./build.sh --target=Image writes it");
        Assert.True(File.GetLastWriteTimeUtc(disk) >= File.GetLastWriteTimeUtc(efi), $"{disk} is older than {efi}: ./build.sh --target=Image rewrites it");

        await using QemuRun run = QemuRun.Start(new BootOptions { Name = "disk-image", Esp = Repository.ReleaseEsp, DiskImage = disk });
        await run.WaitForSerialAsync(BannerPattern);
        Assert.Contains("loader: jumping to the kernel", run.Serial);
        Assert.Contains("[boot] framebuffer console: ok", run.Serial);

        string screenshot = Path.Combine(run.Directory, "console.png");
        await (await run.QmpAsync()).ScreendumpPngAsync(screenshot);
        byte[] png = File.ReadAllBytes(screenshot);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        if (Environment.GetEnvironmentVariable(UpdateScreenshotVariable) == "1")
        {
            string target = Path.Combine(Repository.Root, "docs", "images", "console.png");
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(screenshot, target, overwrite: true);
        }
    }
}
