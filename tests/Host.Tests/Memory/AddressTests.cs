using Shared.Memory;
using Xunit;

namespace Host.Tests.Memory;

public sealed class AddressTests
{
    [Theory]
    [InlineData(0x0000_7FFF_FFFF_FFFFUL, true)]
    [InlineData(0xFFFF_8000_0000_0000UL, true)]
    [InlineData(0x0000_8000_0000_0000UL, false)]
    [InlineData(0xFFFF_7FFF_FFFF_FFFFUL, false)]
    public void VirtualAddress_AcceptsOnlyCanonicalValues(ulong value, bool canonical)
    {
        Assert.Equal(canonical, VirtualAddress.IsCanonical(value));
        if (canonical)
            Assert.Equal(value, new VirtualAddress(value).Value);
        else
            Assert.Throws<ArgumentOutOfRangeException>(() => new VirtualAddress(value));
    }

    [Fact]
    public void VirtualAddress_Truncate_SignExtendsBit47()
    {
        Assert.Equal(0xFFFF_8000_0000_0000UL, VirtualAddress.Truncate(0x0000_8000_0000_0000).Value);
        Assert.Equal(0x0000_1234_5678_9000UL, VirtualAddress.Truncate(0x1234_1234_5678_9000).Value);
    }

    [Fact]
    public void VirtualAddress_SplitsIntoTableIndices()
    {
        var address = new VirtualAddress(0xFFFF_8000_4020_3ABC);
        Assert.Equal(256, address.TableIndex(4));
        Assert.Equal(1, address.TableIndex(3));
        Assert.Equal(1, address.TableIndex(2));
        Assert.Equal(3, address.TableIndex(1));
        Assert.Equal(0xABC, address.PageOffset);
    }

    [Fact]
    public void PhysicalAddress_RejectsMoreThan52Bits()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PhysicalAddress(1UL << 52));
        Assert.Equal((1UL << 52) - 1, new PhysicalAddress((1UL << 52) - 1).Value);
        Assert.Equal(0x1000UL, new PhysicalAddress(0x1FFF).AlignDown(4096).Value);
        Assert.Equal(0x2000UL, new PhysicalAddress(0x1001).AlignUp(4096).Value);
    }

    [Fact]
    public void PageTableEntry_SeparatesAddressAndFlags()
    {
        var entry = new PageTableEntry(new PhysicalAddress(0x1234_5000), PageTableFlags.Present | PageTableFlags.Writable | PageTableFlags.NoExecute);
        Assert.Equal(0x1234_5000UL, entry.Address.Value);
        Assert.Equal(PageTableFlags.Present | PageTableFlags.Writable | PageTableFlags.NoExecute, entry.Flags);
        Assert.Equal(0x8000_0000_1234_5003UL, entry.Raw);
        Assert.Throws<ArgumentException>(() => new PageTableEntry(new PhysicalAddress(0x1234_5008), PageTableFlags.Present));
    }
}
