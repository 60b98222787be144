// The UEFI memory map as GetMemoryMap returns it: a buffer of descriptors,
// each DescriptorSize bytes apart. DescriptorSize is whatever the firmware
// reports - at least the 40 bytes of EFI_MEMORY_DESCRIPTOR, possibly more
// (newer firmware may append fields) - so the walk never assumes the struct
// size. Pure logic over a byte buffer: the loader reads the firmware's map
// through it, the host tests feed it hand-made buffers with odd strides.
using System;
using System.Buffers.Binary;

namespace Shared.Boot;

/// <summary>EFI_MEMORY_TYPE (UEFI spec 7.2, AllocatePages).</summary>
public enum EfiMemoryType : uint
{
    Reserved = 0,
    LoaderCode = 1,
    LoaderData = 2,
    BootServicesCode = 3,
    BootServicesData = 4,
    RuntimeServicesCode = 5,
    RuntimeServicesData = 6,
    Conventional = 7,
    Unusable = 8,
    AcpiReclaim = 9,
    AcpiNvs = 10,
    MemoryMappedIo = 11,
    MemoryMappedIoPortSpace = 12,
    PalCode = 13,
    Persistent = 14,
    Unaccepted = 15,
}

/// <summary>One EFI_MEMORY_DESCRIPTOR, decoded.</summary>
public readonly struct EfiMemoryDescriptor
{
    /// <summary>Bytes of the fields this struct decodes; the firmware's stride may be larger.</summary>
    public const int MinimumSize = 40;

    /// <summary>EFI_MEMORY_RUNTIME: the range must be mapped for runtime services after the OS takes over.</summary>
    public const ulong RuntimeAttribute = 0x8000_0000_0000_0000;

    /// <summary>EFI_MEMORY_SP: "specific purpose" memory the firmware asks the OS not to use as general RAM.</summary>
    public const ulong SpecificPurposeAttribute = 0x0000_0000_0004_0000;

    public EfiMemoryDescriptor(EfiMemoryType type, ulong physicalStart, ulong numberOfPages, ulong attribute)
    {
        Type = type;
        PhysicalStart = physicalStart;
        NumberOfPages = numberOfPages;
        Attribute = attribute;
    }

    public EfiMemoryType Type { get; }

    public ulong PhysicalStart { get; }

    public ulong NumberOfPages { get; }

    public ulong Attribute { get; }

    /// <summary>
    /// Length in bytes, clamped so that the range ends at or below the top of the physical address space: a
    /// page count that would overflow (firmware bug or a corrupt buffer) cannot wrap around.
    /// </summary>
    public ulong Length
    {
        get
        {
            const ulong Top = 1UL << 52;
            if (PhysicalStart >= Top)
                return 0;
            ulong maxPages = (Top - PhysicalStart) / 4096;
            return (NumberOfPages > maxPages ? maxPages : NumberOfPages) * 4096;
        }
    }

    public ulong End => PhysicalStart + Length;

    /// <summary>What the kernel may do with this range (see MemoryRegionKind).</summary>
    public MemoryRegionKind Kind
    {
        get
        {
            // Runtime-services memory stays the firmware's for the machine's life, whatever its type says.
            if ((Attribute & RuntimeAttribute) != 0 && Type != EfiMemoryType.MemoryMappedIo && Type != EfiMemoryType.MemoryMappedIoPortSpace)
                return MemoryRegionKind.RuntimeServices;

            return Type switch
            {
                EfiMemoryType.Conventional => (Attribute & SpecificPurposeAttribute) != 0 ? MemoryRegionKind.Reserved : MemoryRegionKind.Usable,
                EfiMemoryType.LoaderCode or EfiMemoryType.LoaderData => MemoryRegionKind.BootReclaimable,
                EfiMemoryType.BootServicesCode or EfiMemoryType.BootServicesData => MemoryRegionKind.BootReclaimable,
                EfiMemoryType.RuntimeServicesCode or EfiMemoryType.RuntimeServicesData => MemoryRegionKind.RuntimeServices,
                EfiMemoryType.AcpiReclaim => MemoryRegionKind.AcpiReclaimable,
                EfiMemoryType.AcpiNvs => MemoryRegionKind.AcpiNvs,
                EfiMemoryType.MemoryMappedIo or EfiMemoryType.MemoryMappedIoPortSpace => MemoryRegionKind.Mmio,
                EfiMemoryType.Unusable => MemoryRegionKind.Unusable,
                EfiMemoryType.Persistent => MemoryRegionKind.Persistent,
                EfiMemoryType.Unaccepted => MemoryRegionKind.Unaccepted,

                // Reserved, PalCode, and the OEM / OS-loader ranges (0x70000000+, 0x80000000+): not ours.
                _ => MemoryRegionKind.Reserved,
            };
        }
    }
}

/// <summary>A read-only view of a firmware memory map buffer.</summary>
public readonly ref struct EfiMemoryMap
{
    private readonly ReadOnlySpan<byte> _buffer;

    private EfiMemoryMap(ReadOnlySpan<byte> buffer, int descriptorSize)
    {
        _buffer = buffer;
        DescriptorSize = descriptorSize;
    }

    public int DescriptorSize { get; }

    /// <summary>Whole descriptors in the buffer (a partial one at the end is ignored).</summary>
    public int Count => _buffer.Length / DescriptorSize;

    public EfiMemoryDescriptor this[int index]
    {
        get
        {
            ReadOnlySpan<byte> d = _buffer.Slice(index * DescriptorSize, EfiMemoryDescriptor.MinimumSize);
            return new EfiMemoryDescriptor(
                (EfiMemoryType)BinaryPrimitives.ReadUInt32LittleEndian(d),
                BinaryPrimitives.ReadUInt64LittleEndian(d.Slice(8)),
                BinaryPrimitives.ReadUInt64LittleEndian(d.Slice(24)),
                BinaryPrimitives.ReadUInt64LittleEndian(d.Slice(32)));
        }
    }

    /// <summary>
    /// Wraps <paramref name="buffer"/> (the bytes GetMemoryMap filled in). False when the descriptor size cannot
    /// be right: smaller than EFI_MEMORY_DESCRIPTOR or not a multiple of 8 (the spec keeps descriptors aligned).
    /// </summary>
    public static bool TryCreate(ReadOnlySpan<byte> buffer, ulong descriptorSize, out EfiMemoryMap map)
    {
        if (descriptorSize < EfiMemoryDescriptor.MinimumSize || descriptorSize > 4096 || (descriptorSize & 7) != 0)
        {
            map = default;
            return false;
        }

        map = new EfiMemoryMap(buffer, (int)descriptorSize);
        return true;
    }

    /// <summary>The end of the highest range in the map, whatever its type (sizes the physical-memory window).</summary>
    public ulong HighestEnd()
    {
        ulong highest = 0;
        for (int i = 0; i < Count; i++)
        {
            ulong end = this[i].End;
            if (end > highest)
                highest = end;
        }

        return highest;
    }

    /// <summary>Adds every descriptor to <paramref name="builder"/>; false when the builder's scratch space runs out.</summary>
    public bool AddTo(ref MemoryMapBuilder builder)
    {
        for (int i = 0; i < Count; i++)
        {
            EfiMemoryDescriptor descriptor = this[i];
            if (!builder.Add(descriptor.PhysicalStart, descriptor.Length, descriptor.Kind))
                return false;
        }

        return true;
    }
}
