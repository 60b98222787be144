// FADT revisions and field choices, RSDP parsing, signatures and checksums,
// on hand-made structures.
using System.Buffers.Binary;
using Shared.Acpi;
using Xunit;
using static Host.Tests.Acpi.AcpiBytes;

namespace Host.Tests.Acpi;

public sealed class FadtAndRsdpTests
{
    // A FADT of the given total length with the fields the tests set.
    private static byte[] FadtOf(int length, byte revision, Action<byte[]> fill)
    {
        var table = Table("FACP", revision, new byte[length - 36]);
        fill(table);
        return FixChecksum(table);
    }

    [Fact]
    public void ExtendedPmTimer_WinsOverTheLegacyPort_AndKeeps32BitWidthFlag()
    {
        byte[] table = FadtOf(276, 6, t =>
        {
            BinaryPrimitives.WriteUInt32LittleEndian(t.AsSpan(76), 0x408);
            t[91] = 4;
            BinaryPrimitives.WriteUInt32LittleEndian(t.AsSpan(112), 1u << 8);
            t[208] = 0; // system memory
            t[209] = 32;
            BinaryPrimitives.WriteUInt64LittleEndian(t.AsSpan(212), 0xFED0_0000_0000UL);
        });

        Fadt fadt = Fadt.Parse(table, out string? problem)!;

        Assert.Null(problem);
        Assert.True(fadt.PmTimerIs32Bit);
        Assert.Equal(AddressSpace.SystemMemory, fadt.PmTimer.Space);
        Assert.Equal(0xFED0_0000_0000UL, fadt.PmTimer.Address);
        Assert.Equal(32, fadt.PmTimer.BitWidth);
    }

    [Fact]
    public void EmptyExtendedPmTimer_FallsBackToTheLegacyPort()
    {
        byte[] table = FadtOf(244, 3, t =>
        {
            BinaryPrimitives.WriteUInt32LittleEndian(t.AsSpan(76), 0x408);
            t[91] = 4;
        });

        Fadt fadt = Fadt.Parse(table, out _)!;

        Assert.Equal(AddressSpace.SystemIo, fadt.PmTimer.Space);
        Assert.Equal(0x408UL, fadt.PmTimer.Address);
        Assert.Equal(24, fadt.PmTimer.BitWidth);
        Assert.Equal("port 0x408 (24 bits)", fadt.PmTimer.ToString());
    }

    [Fact]
    public void LegacyPortWithZeroLength_MeansNoPmTimer()
    {
        byte[] table = FadtOf(116, 1, t => BinaryPrimitives.WriteUInt32LittleEndian(t.AsSpan(76), 0x408));

        Assert.False(Fadt.Parse(table, out _)!.PmTimer.IsPresent);
    }

    [Fact]
    public void ResetRegister_NeedsTheSupportedFlag()
    {
        byte[] table = FadtOf(129, 2, t =>
        {
            t[116] = 1;
            t[117] = 8;
            BinaryPrimitives.WriteUInt64LittleEndian(t.AsSpan(120), 0xCF9);
            t[128] = 6;
        });

        Fadt withoutFlag = Fadt.Parse(table, out _)!;
        BinaryPrimitives.WriteUInt32LittleEndian(table.AsSpan(112), 1u << 10);
        Fadt withFlag = Fadt.Parse(FixChecksum(table), out _)!;

        Assert.False(withoutFlag.HasResetRegister);
        Assert.True(withFlag.HasResetRegister);
        Assert.Equal(6, withFlag.ResetValue);
    }

    [Fact]
    public void BootArchitectureFlags_AreIgnoredBeforeRevision2()
    {
        byte[] revision1 = FadtOf(116, 1, t => t[109] = 0x02);
        byte[] revision2 = FadtOf(129, 2, t => t[109] = 0x02);

        Assert.Equal((BootArchitectureFlags)0, Fadt.Parse(revision1, out _)!.BootArchitecture);
        Assert.Equal(BootArchitectureFlags.I8042, Fadt.Parse(revision2, out _)!.BootArchitecture);
    }

    [Fact]
    public void TooShortFadt_IsRejectedWithTheReason()
    {
        Assert.Null(Fadt.Parse(Table("FACP", 1, new byte[40]), out string? problem));
        Assert.Equal("FADT is 76 bytes, shorter than the 116 of ACPI 1.0", problem);
    }

    [Fact]
    public void Rsdp_Revision0_HasOnlyAnRsdt()
    {
        Assert.Equal(RsdpStatus.Valid, Rsdp.Parse(RsdpBytes(0, 0x1234, 0), out Rsdp rsdp));
        Assert.Equal(0x1234u, rsdp.RsdtAddress);
        Assert.Equal(0UL, rsdp.XsdtAddress);
        Assert.Equal("TESTOE", rsdp.OemId);
    }

    [Fact]
    public void Rsdp_Revision2_HasBothRoots()
    {
        Assert.Equal(RsdpStatus.Valid, Rsdp.Parse(RsdpBytes(2, 0x1234, 0x1_0000_5678), out Rsdp rsdp));
        Assert.Equal(0x1_0000_5678UL, rsdp.XsdtAddress);
    }

    [Fact]
    public void Rsdp_Revision2CutTo20Bytes_HasABadExtendedChecksum()
    {
        byte[] bytes = RsdpBytes(2, 0x1234, 0x5678).AsSpan(0, 20).ToArray();
        Assert.Equal(RsdpStatus.BadExtendedChecksum, Rsdp.Parse(bytes, out Rsdp rsdp));
        Assert.Equal(0x1234u, rsdp.RsdtAddress);
        Assert.Equal(0UL, rsdp.XsdtAddress);
    }

    [Fact]
    public void Rsdp_TooShortOrWrongSignature_IsBadSignature()
    {
        Assert.Equal(RsdpStatus.BadSignature, Rsdp.Parse(new byte[10], out _));
        Assert.Equal(RsdpStatus.BadSignature, Rsdp.Parse(new byte[36], out _));
    }

    [Fact]
    public void TableSignature_RoundTripsItsText()
    {
        Assert.Equal("APIC", TableSignature.Madt.ToString());
        Assert.Equal(TableSignature.Fadt, TableSignature.FromBytes("FACP"u8));
        Assert.Equal("A?C?", new TableSignature(0x0043_0041).ToString());
        Assert.Throws<ArgumentException>(() => TableSignature.FromText("TOOLONG"));
    }

    [Fact]
    public void Checksum_SumsToZeroOnlyWhenFixed()
    {
        byte[] table = Table("TEST", 1, new byte[] { 1, 2, 3 });
        Assert.True(AcpiChecksum.IsValid(table));
        table[36] = 9;
        Assert.False(AcpiChecksum.IsValid(table));
        Assert.True(AcpiChecksum.IsValid(FixChecksum(table)));
    }
}
