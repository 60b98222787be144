// The kernel PE embedded in BOOTX64.EFI: validated (Shared/Boot/PeImage.cs
// names every way it can be wrong), then copied into fresh physical memory
// laid out as it runs - headers, each section at its RVA, zeros wherever the
// file has no bytes (.bss).
using System;
using System.Runtime.InteropServices;
using Efi.Uefi;
using Shared.Boot;

namespace Efi;

internal readonly struct LoadedKernel
{
    public ulong PhysicalBase { get; init; }
    public ulong VirtualBase { get; init; }
    public ulong Size { get; init; }
    public ulong EntryPoint { get; init; }
}

internal static unsafe class KernelImage
{
    [DllImport("*", EntryPoint = "efi_kernel_image"), SuppressGCTransition]
    private static extern byte* EmbeddedImage();

    [DllImport("*", EntryPoint = "efi_kernel_image_size"), SuppressGCTransition]
    private static extern ulong EmbeddedImageSize();

    public static ReadOnlySpan<byte> Embedded => new ReadOnlySpan<byte>(EmbeddedImage(), (int)EmbeddedImageSize());

    public static EfiStatus Load(ReadOnlySpan<byte> file, out PeImage image, out LoadedKernel kernel)
    {
        kernel = default;
        PeError error = PeImage.TryParse(file, out image);
        if (error != PeError.None)
            return Log.Failure("the embedded kernel image is invalid: " + PeImage.Describe(error), EfiStatus.LoadError);
        if (image.ImageBase != KernelLayout.KernelBase)
        {
            return Log.Failure("the embedded kernel image is linked at 0x" + image.ImageBase.ToString("X") + ", not at 0x"
                + KernelLayout.KernelBase.ToString("X"), EfiStatus.LoadError);
        }

        ulong size = image.PageAlignedSize;
        EfiStatus status = Firmware.AllocatePages(size / KernelLayout.PageSize, EfiMemoryType.LoaderData, out ulong physical);
        if (status != EfiStatus.Success)
            return Log.Failure("cannot allocate " + (size / 1024).ToString() + " KiB for the kernel image", status);

        image.CopyTo(new Span<byte>((void*)physical, (int)size));
        Claims.Add(physical, size, MemoryRegionKind.KernelImage);
        kernel = new LoadedKernel
        {
            PhysicalBase = physical,
            VirtualBase = image.ImageBase,
            Size = size,
            EntryPoint = image.ImageBase + image.EntryPointRva,
        };
        Log.Info("kernel image: " + image.SectionCount.ToString() + " sections, " + (size / 1024).ToString() + " KiB at physical 0x" + physical.ToString("X"));
        return EfiStatus.Success;
    }
}
