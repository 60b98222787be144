// RSDP validation: signature, the 20-byte checksum, and for ACPI 2.0+ the
// Length field and the extended checksum.
using System.Text;
using Shared.Boot;
using Xunit;

namespace Host.Tests.Boot;

public sealed class RsdpTests
{
    // An RSDP as firmware builds it: signature, checksum, OEM id, revision, RSDT address, then (revision 2+)
    // length, XSDT address, extended checksum and three reserved bytes.
    private static byte[] Make(byte revision, int length = Rsdp.Version2Length)
    {
        var rsdp = new byte[revision >= 2 ? length : Rsdp.Version1Length];
        Encoding.ASCII.GetBytes("RSD PTR ").CopyTo(rsdp, 0);
        Encoding.ASCII.GetBytes("BOCHS ").CopyTo(rsdp, 9);
        rsdp[15] = revision;
        BitConverter.GetBytes(0x7FFE_2000u).CopyTo(rsdp, 16);
        if (revision >= 2)
        {
            BitConverter.GetBytes((uint)length).CopyTo(rsdp, 20);
            BitConverter.GetBytes(0x7FFE_3000UL).CopyTo(rsdp, 24);
        }

        rsdp[8] = Checksum(rsdp.AsSpan(0, 20));
        if (revision >= 2)
            rsdp[32] = Checksum(rsdp);
        return rsdp;
    }

    private static byte Checksum(ReadOnlySpan<byte> bytes)
    {
        byte sum = 0;
        foreach (byte b in bytes)
            sum += b;
        return (byte)-sum;
    }

    [Fact]
    public void Acpi1Rsdp_IsValid_With20Bytes()
    {
        byte[] rsdp = Make(0);
        Assert.Equal(Rsdp.Version1Length, Rsdp.RequiredLength(rsdp));
        Assert.Equal(RsdpError.None, Rsdp.Validate(rsdp));
    }

    [Theory]
    [InlineData(36)]
    [InlineData(48)]
    public void Acpi2Rsdp_IsValid_OverItsLength(int length)
    {
        byte[] rsdp = Make(2, length);
        Assert.Equal(RsdpError.None, Rsdp.Validate(rsdp));
    }

    [Fact]
    public void RequiredLength_GrowsFrom20To24ToLength()
    {
        byte[] rsdp = Make(2, 48);
        Assert.Equal(24, Rsdp.RequiredLength(rsdp.AsSpan(0, 20)));
        Assert.Equal(48, Rsdp.RequiredLength(rsdp.AsSpan(0, 24)));
        Assert.Equal(48, Rsdp.RequiredLength(rsdp));
    }

    [Fact]
    public void BadSignature_IsRejected()
    {
        byte[] rsdp = Make(2);
        rsdp[0] = (byte)'X';
        Assert.Equal(RsdpError.BadSignature, Rsdp.Validate(rsdp));
    }

    [Fact]
    public void BadFirstChecksum_IsRejected()
    {
        byte[] rsdp = Make(0);
        rsdp[10] ^= 1; // OEM id
        Assert.Equal(RsdpError.BadChecksum, Rsdp.Validate(rsdp));
    }

    [Fact]
    public void BadExtendedChecksum_IsRejected_EvenWhenTheFirst20BytesAreFine()
    {
        byte[] rsdp = Make(2);
        rsdp[24] ^= 0x10; // XSDT address: outside the first checksum
        Assert.Equal(RsdpError.BadExtendedChecksum, Rsdp.Validate(rsdp));
    }

    [Theory]
    [InlineData(20u)]
    [InlineData(35u)]
    [InlineData(100_000u)]
    public void ImplausibleLength_IsRejected(uint length)
    {
        byte[] rsdp = Make(2);
        BitConverter.GetBytes(length).CopyTo(rsdp, 20);
        rsdp[8] = 0;
        rsdp[8] = Checksum(rsdp.AsSpan(0, 20));
        Assert.Equal(24, Rsdp.RequiredLength(rsdp));
        Assert.Equal(RsdpError.BadLength, Rsdp.Validate(rsdp));
    }

    [Fact]
    public void TruncatedStructure_IsRejected()
    {
        Assert.Equal(RsdpError.TooShort, Rsdp.Validate(Make(0).AsSpan(0, 19)));
        Assert.Equal(RsdpError.TooShort, Rsdp.Validate(Make(2).AsSpan(0, 30)));
    }
}
