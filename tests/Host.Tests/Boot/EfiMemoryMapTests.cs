// The firmware memory map: descriptors read with the firmware's stride, each
// EFI type mapped to a region kind, and the conversion to the boot-info list.
using System.Buffers.Binary;
using Shared.Boot;
using Xunit;

namespace Host.Tests.Boot;

public sealed class EfiMemoryMapTests
{
    // A GetMemoryMap buffer with descriptors `stride` bytes apart; bytes past the 40 the spec defines are filled
    // with junk, as a newer firmware's extra fields would be.
    internal static byte[] Buffer(int stride, params (EfiMemoryType Type, ulong Start, ulong Pages, ulong Attribute)[] descriptors)
    {
        var buffer = new byte[stride * descriptors.Length];
        buffer.AsSpan().Fill(0xCC);
        for (int i = 0; i < descriptors.Length; i++)
        {
            Span<byte> d = buffer.AsSpan(i * stride, stride);
            BinaryPrimitives.WriteUInt32LittleEndian(d, (uint)descriptors[i].Type);
            BinaryPrimitives.WriteUInt32LittleEndian(d.Slice(4), 0);
            BinaryPrimitives.WriteUInt64LittleEndian(d.Slice(8), descriptors[i].Start);
            BinaryPrimitives.WriteUInt64LittleEndian(d.Slice(16), 0);
            BinaryPrimitives.WriteUInt64LittleEndian(d.Slice(24), descriptors[i].Pages);
            BinaryPrimitives.WriteUInt64LittleEndian(d.Slice(32), descriptors[i].Attribute);
        }

        return buffer;
    }

    internal static MemoryRegion[] Convert(byte[] buffer, int stride, params MemoryRegion[] claims)
    {
        Assert.True(EfiMemoryMap.TryCreate(buffer, (ulong)stride, out EfiMemoryMap map));
        int inputs = map.Count + claims.Length;
        var builder = new MemoryMapBuilder(new MemoryRegion[inputs]);
        Assert.True(map.AddTo(ref builder));
        foreach (MemoryRegion claim in claims)
            Assert.True(builder.Add(claim.Start, claim.Length, claim.Kind));
        var output = new MemoryRegion[2 * inputs];
        int count = builder.Build(output, new ulong[2 * inputs]);
        Assert.True(count >= 0);
        return output.AsSpan(0, count).ToArray();
    }

    // An OVMF-like map, deliberately out of order and with one firmware overlap.
    private static readonly (EfiMemoryType, ulong, ulong, ulong)[] s_firmwareMap =
    {
        (EfiMemoryType.BootServicesData, 0x0010_0000, 0x700, 0xF),
        (EfiMemoryType.Conventional, 0x0000_0000, 0xA0, 0xF),
        (EfiMemoryType.Conventional, 0x0080_0000, 0x7000, 0xF),
        (EfiMemoryType.AcpiNvs, 0x0080_0000, 0x8, 0xF),                                   // overlaps the usable range above
        (EfiMemoryType.RuntimeServicesData, 0x0F00_0000, 0x100, 0x8000_0000_0000_000F),
        (EfiMemoryType.LoaderData, 0x0E00_0000, 0x200, 0xF),
        (EfiMemoryType.AcpiReclaim, 0x0FF0_0000, 0x10, 0xF),
        (EfiMemoryType.MemoryMappedIo, 0xFFC0_0000, 0x400, 0x8000_0000_0000_0001),
        (EfiMemoryType.Reserved, 0xB000_0000, 0x10000, 0),
    };

    [Theory]
    [InlineData(40)]
    [InlineData(48)]
    [InlineData(56)]
    [InlineData(64)]
    public void DescriptorStride_IsHonoured_WhateverItIs(int stride)
    {
        byte[] buffer = Buffer(stride, s_firmwareMap);
        Assert.True(EfiMemoryMap.TryCreate(buffer, (ulong)stride, out EfiMemoryMap map));
        Assert.Equal(s_firmwareMap.Length, map.Count);
        for (int i = 0; i < map.Count; i++)
        {
            Assert.Equal(s_firmwareMap[i].Item1, map[i].Type);
            Assert.Equal(s_firmwareMap[i].Item2, map[i].PhysicalStart);
            Assert.Equal(s_firmwareMap[i].Item3, map[i].NumberOfPages);
            Assert.Equal(s_firmwareMap[i].Item4, map[i].Attribute);
        }

        Assert.Equal(0x1_0000_0000UL, map.HighestEnd());
    }

    [Theory]
    [InlineData(48)]
    [InlineData(56)]
    public void Conversion_IsTheSame_ForEveryStride(int stride)
    {
        MemoryRegion[] expected = Convert(Buffer(40, s_firmwareMap), 40);
        MemoryRegion[] actual = Convert(Buffer(stride, s_firmwareMap), stride);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Conversion_SortsMergesAndResolvesOverlaps()
    {
        MemoryRegion[] regions = Convert(Buffer(48, s_firmwareMap), 48,
            new MemoryRegion { Start = 0x0E00_0000, Length = 0x10_0000, Kind = MemoryRegionKind.KernelImage });

        AssertNormalized(regions);
        Assert.Equal((0UL, 0xA_0000UL, MemoryRegionKind.Usable), Tuple(regions[0]));
        Assert.Equal((0x10_0000UL, 0x70_0000UL, MemoryRegionKind.BootReclaimable), Tuple(regions[1]));
        Assert.Equal((0x80_0000UL, 0x8000UL, MemoryRegionKind.AcpiNvs), Tuple(regions[2]));       // NVS wins the overlap
        Assert.Equal((0x80_8000UL, 0x6FF_8000UL, MemoryRegionKind.Usable), Tuple(regions[3]));
        Assert.Equal((0xE00_0000UL, 0x10_0000UL, MemoryRegionKind.KernelImage), Tuple(regions[4])); // the claim carves loader data
        Assert.Equal((0xE10_0000UL, 0x10_0000UL, MemoryRegionKind.BootReclaimable), Tuple(regions[5]));
        Assert.Contains(regions, r => r.Kind == MemoryRegionKind.RuntimeServices && r.Start == 0x0F00_0000);
        Assert.Contains(regions, r => r.Kind == MemoryRegionKind.AcpiReclaimable);
        Assert.Contains(regions, r => r.Kind == MemoryRegionKind.Reserved && r.Start == 0xB000_0000);
        Assert.Equal((0xFFC0_0000UL, 0x40_0000UL, MemoryRegionKind.Mmio), Tuple(regions[^1]));
    }

    [Theory]
    [InlineData(EfiMemoryType.Conventional, 0xFUL, MemoryRegionKind.Usable)]
    [InlineData(EfiMemoryType.Conventional, 0x4_000FUL, MemoryRegionKind.Reserved)]                  // EFI_MEMORY_SP
    [InlineData(EfiMemoryType.Conventional, 0x8000_0000_0000_000FUL, MemoryRegionKind.RuntimeServices)]
    [InlineData(EfiMemoryType.LoaderCode, 0xFUL, MemoryRegionKind.BootReclaimable)]
    [InlineData(EfiMemoryType.BootServicesCode, 0xFUL, MemoryRegionKind.BootReclaimable)]
    [InlineData(EfiMemoryType.RuntimeServicesCode, 0x8000_0000_0000_000FUL, MemoryRegionKind.RuntimeServices)]
    [InlineData(EfiMemoryType.RuntimeServicesData, 0xFUL, MemoryRegionKind.RuntimeServices)]
    [InlineData(EfiMemoryType.AcpiReclaim, 0xFUL, MemoryRegionKind.AcpiReclaimable)]
    [InlineData(EfiMemoryType.AcpiNvs, 0xFUL, MemoryRegionKind.AcpiNvs)]
    [InlineData(EfiMemoryType.MemoryMappedIo, 0x8000_0000_0000_0001UL, MemoryRegionKind.Mmio)]
    [InlineData(EfiMemoryType.MemoryMappedIoPortSpace, 0x1UL, MemoryRegionKind.Mmio)]
    [InlineData(EfiMemoryType.Unusable, 0xFUL, MemoryRegionKind.Unusable)]
    [InlineData(EfiMemoryType.PalCode, 0xFUL, MemoryRegionKind.Reserved)]
    [InlineData(EfiMemoryType.Persistent, 0xFUL, MemoryRegionKind.Persistent)]
    [InlineData(EfiMemoryType.Unaccepted, 0xFUL, MemoryRegionKind.Unaccepted)]
    [InlineData(EfiMemoryType.Reserved, 0UL, MemoryRegionKind.Reserved)]
    [InlineData((EfiMemoryType)0x7000_0001, 0UL, MemoryRegionKind.Reserved)]                          // OEM range
    [InlineData((EfiMemoryType)0x8000_0001, 0xFUL, MemoryRegionKind.Reserved)]                        // OS-loader range
    public void EveryEfiType_MapsToTheRightKind(EfiMemoryType type, ulong attribute, MemoryRegionKind kind)
        => Assert.Equal(kind, new EfiMemoryDescriptor(type, 0x10_0000, 1, attribute).Kind);

    [Theory]
    [InlineData(0UL)]
    [InlineData(24UL)]
    [InlineData(39UL)]
    [InlineData(44UL)]
    [InlineData(8192UL)]
    public void ImpossibleDescriptorSize_IsRefused(ulong size)
        => Assert.False(EfiMemoryMap.TryCreate(new byte[1024], size, out _));

    [Fact]
    public void PartialTrailingDescriptor_IsIgnored()
    {
        byte[] buffer = Buffer(48, s_firmwareMap);
        Assert.True(EfiMemoryMap.TryCreate(buffer.AsSpan(0, buffer.Length - 10), 48, out EfiMemoryMap map));
        Assert.Equal(s_firmwareMap.Length - 1, map.Count);
    }

    [Fact]
    public void HugePageCount_IsClampedToThePhysicalAddressSpace()
    {
        var descriptor = new EfiMemoryDescriptor(EfiMemoryType.Conventional, 0x1000, ulong.MaxValue / 2, 0xF);
        Assert.Equal(1UL << 52, descriptor.End);
        Assert.Equal(0UL, new EfiMemoryDescriptor(EfiMemoryType.Conventional, 1UL << 60, 4, 0xF).Length);
    }

    internal static (ulong, ulong, MemoryRegionKind) Tuple(MemoryRegion region) => (region.Start, region.Length, region.Kind);

    internal static void AssertNormalized(MemoryRegion[] regions)
    {
        for (int i = 0; i < regions.Length; i++)
        {
            Assert.True(regions[i].Length > 0);
            if (i == 0)
                continue;
            Assert.True(regions[i - 1].End <= regions[i].Start, "sorted, never overlapping");
            Assert.False(regions[i - 1].End == regions[i].Start && regions[i - 1].Kind == regions[i].Kind, "adjacent regions of one kind are merged");
        }
    }
}
