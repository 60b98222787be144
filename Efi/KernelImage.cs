// The kernel PE embedded in BOOTX64.EFI: validated, then copied section by
// section into fresh physical memory, with whatever the file does not cover
// (.bss) zero-filled.
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

    public static EfiStatus Load(ReadOnlySpan<byte> file, out LoadedKernel kernel)
    {
        kernel = default;
        PeError error = PeImage.TryParse(file, out PeImage image);
        if (error != PeError.None)
            return Log.Failure("the embedded kernel image is invalid: " + PeImage.Describe(error), EfiStatus.LoadError);
        if (image.ImageBase != KernelLayout.KernelBase)
            return Log.Failure("the kernel is not linked at 0x" + KernelLayout.KernelBase.ToString("X"), EfiStatus.LoadError);

        ulong size = ((ulong)image.SizeOfImage + KernelLayout.PageSize - 1) & ~(KernelLayout.PageSize - 1);
        EfiStatus status = Firmware.AllocatePages(size / KernelLayout.PageSize, EfiMemoryType.LoaderData, out ulong physical);
        if (status != EfiStatus.Success)
            return Log.Failure("cannot allocate " + (size / 1024).ToString() + " KiB for the kernel image", status);

        var memory = new Span<byte>((void*)physical, (int)size);
        memory.Clear();
        int headerSize = (int)Math.Min((ulong)file.Length, KernelLayout.PageSize);
        file.Slice(0, headerSize).CopyTo(memory);
        for (int i = 0; i < image.SectionCount; i++)
        {
            PeSection section = image.GetSection(i);
            image.SectionData(section).CopyTo(memory.Slice((int)section.VirtualAddress));
        }

        Claims.Add(physical, size, MemoryRegionKind.KernelImage);
        kernel = new LoadedKernel
        {
            PhysicalBase = physical,
            VirtualBase = image.ImageBase,
            Size = size,
            EntryPoint = image.ImageBase + image.EntryPointRva,
        };
        return EfiStatus.Success;
    }
}
