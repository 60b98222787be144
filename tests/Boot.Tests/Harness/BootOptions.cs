// How to boot one image: which ESP, which kernel arguments and config, on
// which QEMU machine, for how long.
namespace Boot.Tests.Harness;

public sealed record BootOptions
{
    /// <summary>Names the run in artifacts/test-runs and in messages.</summary>
    public required string Name { get; init; }

    /// <summary>The ESP directory whose EFI/BOOT/BOOTX64.EFI is booted (Repository.ReleaseEsp or TestEsp).</summary>
    public required string Esp { get; init; }

    /// <summary>
    /// A raw disk image (artifacts/disk.img) to boot as a plain disk instead of a directory made from
    /// Esp; a copy is booted. Config and ExtraFiles do not apply to it.
    /// </summary>
    public string? DiskImage { get; init; }

    /// <summary>Lines for the loader's config file (EFI/BOOT/kernel.conf); null for no file.</summary>
    public string? Config { get; init; }

    public string MachineType { get; init; } = "q35";

    public int MemoryMiB { get; init; } = 256;

    public int Cpus { get; init; } = 1;

    /// <summary>QEMU's -cpu model ("max" has 1 GiB pages, the default qemu64 has not), or null for QEMU's default.</summary>
    public string? CpuModel { get; init; }

    /// <summary>"VGA", "virtio-gpu-pci", "bochs-display", or null for no display adapter.</summary>
    public string? DisplayDevice { get; init; } = "VGA";

    public OvmfFlavor Firmware { get; init; } = OvmfFlavor.Any;

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>
    /// Connect the serial port through a socket instead of a file, so the test can also type into it
    /// (QemuRun.SendSerialAsync). The output still lands in the run's serial.log.
    /// </summary>
    public bool SerialInput { get; init; }

    /// <summary>Extra files to put on the ESP: relative path -> content.</summary>
    public IReadOnlyDictionary<string, byte[]> ExtraFiles { get; init; } = new Dictionary<string, byte[]>();
}
