// Finding \_S5 in real DSDTs captured from QEMU (q35 and pc), the PM1a
// control register in their FADTs, and the scanner's refusals.
using Shared.Acpi;
using Xunit;

namespace Host.Tests.Acpi;

public sealed class SleepStatePackageTests
{
    private static (AcpiTables Tables, byte[] Dsdt) Load(string machine)
    {
        CapturedAcpiMemory memory = AcpiBytes.Captured(machine);
        AcpiTables tables = AcpiTables.Discover(memory, memory.RsdpAddress);
        Assert.True(tables.TryFind(TableSignature.Dsdt, out AcpiTableInfo dsdt));
        return (tables, AcpiTables.ReadTable(memory, dsdt));
    }

    [Theory]
    [InlineData("q35", 0x604UL)]
    [InlineData("pc", 0xB004UL)]
    public void CapturedDsdt_S5IsSlpTypZero_AndPm1aControlIsTheChipsetsPort(string machine, ulong port)
    {
        (AcpiTables tables, byte[] dsdt) = Load(machine);

        Assert.True(SleepStatePackage.TryFind(dsdt, "_S5_", out SleepStatePackage s5, out string? problem), problem);
        Assert.Equal(0, s5.TypeA);
        Assert.Equal(0, s5.TypeB);
        Assert.Equal(AddressSpace.SystemIo, tables.Fadt!.Pm1aControl.Space);
        Assert.Equal(port, tables.Fadt.Pm1aControl.Address);
        Assert.False(tables.Fadt.Pm1bControl.IsPresent);
    }

    [Fact]
    public void CapturedDsdt_S3_IsFoundToo_WithItsOwnValue()
    {
        (_, byte[] dsdt) = Load("q35");
        // QEMU declares _S3 only when S3 is enabled; whichever it is, the scanner must not mistake _S5 for it.
        if (SleepStatePackage.TryFind(dsdt, "_S3_", out SleepStatePackage s3, out _))
            Assert.Equal(1, s3.TypeA);
    }

    [Fact]
    public void Package_WithBytePrefixedElements_Decodes()
    {
        byte[] aml = Table(0x08, (byte)'\\', (byte)'_', (byte)'S', (byte)'5', (byte)'_', 0x12, 0x08, 0x04, 0x0A, 0x07, 0x0A, 0x05, 0x00, 0x00);

        Assert.True(SleepStatePackage.TryFind(aml, "_S5_", out SleepStatePackage s5, out _));
        Assert.Equal(7, s5.TypeA);
        Assert.Equal(5, s5.TypeB);
    }

    [Fact]
    public void Reference_WithoutNameOp_IsSkipped_AndMissingNameIsReported()
    {
        byte[] aml = Table(0x70, (byte)'_', (byte)'S', (byte)'5', (byte)'_', 0x12, 0x04, 0x02, 0x01, 0x01);

        Assert.False(SleepStatePackage.TryFind(aml, "_S5_", out _, out string? problem));
        Assert.Equal("no _S5_ package in the AML", problem);
    }

    [Fact]
    public void NonConstantElements_AreRefused()
    {
        byte[] aml = Table(0x08, (byte)'_', (byte)'S', (byte)'5', (byte)'_', 0x12, 0x05, 0x02, 0x5B, 0x31, 0x00);

        Assert.False(SleepStatePackage.TryFind(aml, "_S5_", out _, out string? problem));
        Assert.Equal("the package's elements are not integer constants", problem);
    }

    private static byte[] Table(params byte[] body)
    {
        var table = new byte[36 + body.Length];
        body.CopyTo(table, 36);
        return table;
    }
}
