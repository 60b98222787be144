// The loader's failure paths on real firmware: a BOOTX64.EFI whose embedded
// kernel is damaged must print the loader's error line (reason and EFI status)
// and hand that status back to OVMF, which then reports the failed boot
// option and carries on with the next one - never a hang, never a reset. And
// an ExitBootServices that fails on a stale map key is retried with a fresh
// map (forced with kernel.conf "debug = stale-map-key").
using System.Buffers.Binary;
using Boot.Tests.Harness;
using Xunit;

namespace Boot.Tests;

public sealed class LoaderErrorTests
{
    private const ulong KernelBase = 0xFFFF_8000_0000_0000;

    [Fact]
    public async Task CorruptKernelImage_PrintsTheLoaderError_AndReturnsToTheFirmware()
    {
        byte[] efi = File.ReadAllBytes(Path.Combine(Repository.ReleaseEsp, "EFI", "BOOT", "BOOTX64.EFI"));
        int peSignature = FindEmbeddedKernelPeSignature(efi);
        efi[peSignature + 1] = (byte)'X'; // "PE\0\0" -> "PX\0\0"

        string esp = Path.Combine(Repository.RunsDirectory, "loader-corrupt-kernel-esp");
        Directory.CreateDirectory(Path.Combine(esp, "EFI", "BOOT"));
        File.WriteAllBytes(Path.Combine(esp, "EFI", "BOOT", "BOOTX64.EFI"), efi);

        await KernelTestSchedule.WithBootSlotAsync(async () =>
        {
            await using QemuRun run = QemuRun.Start(new BootOptions { Name = "loader-corrupt-kernel", Esp = esp, Timeout = TimeSpan.FromSeconds(120) });
            await run.WaitForSerialAsync(@"^loader: error: the embedded kernel image is invalid: bad PE signature \(expected 'PE\\0\\0'\) \(EFI_LOAD_ERROR\)");

            // OVMF got EFI_LOAD_ERROR back ("Load Error") and moves on to its next boot option.
            await run.WaitForSerialAsync(@"^BdsDxe: failed to start Boot\d+ .*: Load Error");
            string serial = run.Serial;
            Assert.DoesNotContain("loader: jumping to the kernel", serial);
            Assert.DoesNotContain("[boot]", serial);

            // The same line went to the firmware console (which OVMF mirrors to serial): a person at the screen sees it.
            int copies = serial.Split("loader: error: the embedded kernel image is invalid").Length - 1;
            Assert.True(copies >= 2, $"the error should reach both serial and the firmware console, found {copies} copies");
            return true;
        });
    }

    // kernel.conf "debug = stale-map-key" makes the loader allocate a page between reading the memory map and its
    // first ExitBootServices, so OVMF rejects the now stale map key (EFI_INVALID_PARAMETER). The loader must read
    // the map again, without allocating, and exit with the fresh key on the second attempt; the kernel then boots.
    [Fact]
    public async Task StaleMapKey_FirstExitBootServicesFails_TheRetryWithAFreshMapBoots()
    {
        await KernelTestSchedule.WithBootSlotAsync(async () =>
        {
            await using QemuRun run = QemuRun.Start(new BootOptions
            {
                Name = "loader-stale-map-key",
                Esp = Repository.ReleaseEsp,
                Config = "debug = stale-map-key\n",
                Timeout = TimeSpan.FromSeconds(120),
            });
            await run.WaitForSerialAsync(@"^Tessera \d+\.\d+\.\d+ .*MiB memory");
            string serial = run.Serial;
            Assert.Contains("loader: debug: the first ExitBootServices will meet a stale map key", serial);
            Assert.Contains("loader: ExitBootServices attempt 1: EFI_INVALID_PARAMETER (stale map key), retrying", serial);
            Assert.DoesNotContain("ExitBootServices attempt 2", serial);
            Assert.Contains("loader: jumping to the kernel", serial);
            Assert.Contains("[boot] boot information: ok", serial);
            return true;
        });
    }

    // The kernel is a PE image inside the loader's PE image: the first "MZ" after the loader's own headers whose
    // e_lfanew leads to "PE\0\0" for x86-64 with the kernel's image base.
    private static int FindEmbeddedKernelPeSignature(byte[] efi)
    {
        for (int mz = 2; mz + 0x40 < efi.Length; mz++)
        {
            if (efi[mz] != 'M' || efi[mz + 1] != 'Z')
                continue;
            int pe = mz + BinaryPrimitives.ReadInt32LittleEndian(efi.AsSpan(mz + 0x3C));
            if (pe <= mz || pe + 24 + 32 > efi.Length || BinaryPrimitives.ReadUInt32LittleEndian(efi.AsSpan(pe)) != 0x4550)
                continue;
            bool x64 = BinaryPrimitives.ReadUInt16LittleEndian(efi.AsSpan(pe + 4)) == 0x8664;
            bool kernelBase = BinaryPrimitives.ReadUInt64LittleEndian(efi.AsSpan(pe + 24 + 24)) == KernelBase;
            if (x64 && kernelBase)
                return pe;
        }

        throw new InvalidOperationException("no embedded kernel image (PE at 0x" + KernelBase.ToString("X") + ") found in BOOTX64.EFI");
    }
}
