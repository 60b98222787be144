// The parser over the captured q35 tables, broken in the ways firmware (or a
// bad pointer) breaks them: every case ends in a clear warning and a usable
// result, never an exception or a silently wrong topology.
using System.Buffers.Binary;
using Shared.Acpi;
using Xunit;

namespace Host.Tests.Acpi;

public sealed class CorruptedTablesTests
{
    private static CapturedAcpiMemory Q35() => AcpiBytes.Captured("q35");

    private static AcpiTables Discover(CapturedAcpiMemory memory) => AcpiTables.Discover(memory, memory.RsdpAddress);

    private static byte[] Bytes(CapturedAcpiMemory memory, string signature) => (byte[])memory.Find(signature).Bytes.Clone();

    [Fact]
    public void NoRsdp_WarnsAndUsesTheDefaults()
    {
        AcpiTables tables = AcpiTables.Discover(Q35(), 0);

        Assert.False(tables.HasRsdp);
        Assert.Contains("the firmware reported no RSDP: the machine has no ACPI tables", tables.Warnings);
        Assert.False(tables.Interrupts.FromFirmware);
        Assert.Equal(0xFEE0_0000UL, tables.Interrupts.LocalApicAddress);
        Assert.Null(tables.Fadt);
    }

    [Fact]
    public void RsdpWithBadChecksum_IsRejectedWhole()
    {
        CapturedAcpiMemory memory = Q35();
        byte[] rsdp = Bytes(memory, "RSDP");
        rsdp[8] ^= 0x01;
        memory.Replace("RSDP", rsdp);

        AcpiTables tables = Discover(memory);

        Assert.False(tables.HasRsdp);
        Assert.Contains(tables.Warnings, w => w.Contains("has a bad checksum") && w.StartsWith("the RSDP"));
        Assert.Null(tables.Madt);
        Assert.Empty(tables.Tables);
    }

    [Fact]
    public void RsdpWithoutSignature_IsRejected()
    {
        CapturedAcpiMemory memory = Q35();
        byte[] rsdp = Bytes(memory, "RSDP");
        rsdp[0] = (byte)'X';
        memory.Replace("RSDP", rsdp);

        Assert.Contains(Discover(memory).Warnings, w => w.StartsWith("no RSDP signature"));
    }

    [Fact]
    public void RsdpWithBadExtendedChecksum_FallsBackToTheRsdt()
    {
        CapturedAcpiMemory memory = Q35();
        byte[] rsdp = Bytes(memory, "RSDP");
        rsdp[32] ^= 0xFF;
        memory.Replace("RSDP", rsdp);

        AcpiTables tables = Discover(memory);

        Assert.Contains("the RSDP's extended checksum is bad: ignoring the XSDT, using the RSDT", tables.Warnings);
        Assert.Equal(AcpiRootKind.Rsdt, tables.RootKind);
        Assert.NotNull(tables.Madt);
        Assert.NotNull(tables.Fadt);
    }

    [Fact]
    public void RsdtOnly_Revision0Rsdp_FindsTheSameTables()
    {
        CapturedAcpiMemory memory = Q35();
        CapturedTable rsdp = memory.Find("RSDP");
        uint rsdt = BinaryPrimitives.ReadUInt32LittleEndian(rsdp.Bytes.AsSpan(16));
        memory.Remove("XSDT");
        memory.Replace("RSDP", AcpiBytes.RsdpBytes(0, rsdt, 0));

        AcpiTables tables = Discover(memory);

        Assert.Empty(tables.Warnings);
        Assert.Equal(0, tables.Rsdp.Revision);
        Assert.Equal(AcpiRootKind.Rsdt, tables.RootKind);
        Assert.Equal(9, tables.Tables.Count);
        Assert.Equal(8, tables.Interrupts.ProcessorCount);
        Assert.Equal(0x608UL, tables.Fadt!.PmTimer.Address);
    }

    [Fact]
    public void XsdtWithBadChecksum_FallsBackToTheRsdt()
    {
        CapturedAcpiMemory memory = Q35();
        byte[] xsdt = Bytes(memory, "XSDT");
        xsdt[40] ^= 0x10;
        memory.Replace("XSDT", xsdt);

        AcpiTables tables = Discover(memory);

        Assert.Contains(tables.Warnings, w => w.StartsWith("XSDT at 0x") && w.EndsWith("has a bad checksum"));
        Assert.Contains("falling back to the RSDT", tables.Warnings);
        Assert.Equal(AcpiRootKind.Rsdt, tables.RootKind);
        Assert.True(tables.Interrupts.FromFirmware);
    }

    [Fact]
    public void BothRootsBroken_WarnsAndUsesTheDefaults()
    {
        CapturedAcpiMemory memory = Q35();
        memory.Remove("XSDT");
        memory.Remove("RSDT");

        AcpiTables tables = Discover(memory);

        Assert.Equal(AcpiRootKind.None, tables.RootKind);
        Assert.Contains("no usable root table (XSDT or RSDT)", tables.Warnings);
        Assert.Contains(tables.Warnings, w => w.Contains("the header is outside readable memory"));
        Assert.False(tables.Interrupts.FromFirmware);
    }

    [Fact]
    public void MadtWithBadChecksum_IsListedButNotUsed()
    {
        CapturedAcpiMemory memory = Q35();
        byte[] madt = Bytes(memory, "APIC");
        madt[44 + 3] = 0x42; // first processor's APIC id
        memory.Replace("APIC", madt);

        AcpiTables tables = Discover(memory);

        Assert.True(tables.TryFind(TableSignature.Madt, out AcpiTableInfo info));
        Assert.False(info.ChecksumValid);
        Assert.Contains(tables.Warnings, w => w.StartsWith("APIC at 0x") && w.EndsWith("has a bad checksum; it is not used"));
        Assert.Null(tables.Madt);
        Assert.False(tables.Interrupts.FromFirmware);
        Assert.NotNull(tables.Fadt);
    }

    [Fact]
    public void MissingMadt_WarnsAndUsesTheDefaults()
    {
        CapturedAcpiMemory memory = Q35();
        memory.Remove("APIC");

        AcpiTables tables = Discover(memory);

        Assert.Contains(tables.Warnings, w => w.Contains("(0x3F777000): the header is outside readable memory; skipped"));
        Assert.Contains(tables.Warnings, w => w.StartsWith("no valid MADT: using the PC defaults"));
        InterruptTopology defaults = tables.Interrupts;
        Assert.False(defaults.FromFirmware);
        Assert.Equal(0xFEC0_0000UL, Assert.Single(defaults.IoApics).Address);
        Assert.Equal("IRQ0 -> GSI 2 edge/high (override)", defaults.RouteIsaIrq(0).ToString());
        Assert.Equal("IRQ1 -> GSI 1 edge/high", defaults.RouteIsaIrq(1).ToString());
        Assert.True(defaults.TryFindLocalApicNmi(0, out LocalApicNmi nmi) && nmi.Lint == 1);
    }

    [Fact]
    public void MissingFadt_WarnsThatThereIsNoPmTimer()
    {
        CapturedAcpiMemory memory = Q35();
        memory.Remove("FACP");

        AcpiTables tables = Discover(memory);

        Assert.Null(tables.Fadt);
        Assert.Contains("no valid FADT: no PM timer (clock calibration uses the PIT) and no reset register", tables.Warnings);
        Assert.False(tables.TryFind(TableSignature.Dsdt, out _), "the DSDT is only reachable through the FADT");
        Assert.True(tables.Interrupts.FromFirmware);
    }

    [Fact]
    public void TableLengthShorterThanAHeader_IsSkipped()
    {
        CapturedAcpiMemory memory = Q35();
        byte[] hpet = Bytes(memory, "HPET");
        BinaryPrimitives.WriteUInt32LittleEndian(hpet.AsSpan(4), 20);
        memory.Replace("HPET", hpet);

        AcpiTables tables = Discover(memory);

        Assert.Contains(tables.Warnings, w => w.Contains("'HPET' has an implausible length of 20 bytes; skipped"));
        Assert.False(tables.TryFind(TableSignature.Hpet, out _));
        Assert.NotNull(tables.Madt);
    }

    [Fact]
    public void TableLengthBeyondReadableMemory_IsSkipped()
    {
        CapturedAcpiMemory memory = Q35();
        byte[] madt = Bytes(memory, "APIC");
        BinaryPrimitives.WriteUInt32LittleEndian(madt.AsSpan(4), 0x10000);
        memory.Replace("APIC", madt);

        AcpiTables tables = Discover(memory);

        Assert.Contains(tables.Warnings, w => w.Contains("'APIC' (65536 bytes) runs past readable memory; skipped"));
        Assert.Null(tables.Madt);
    }

    [Fact]
    public void ImplausiblyLongTable_IsSkippedWithoutReadingIt()
    {
        CapturedAcpiMemory memory = Q35();
        byte[] madt = Bytes(memory, "APIC");
        BinaryPrimitives.WriteUInt32LittleEndian(madt.AsSpan(4), 0xFFFF_FFF0);
        memory.Replace("APIC", madt);

        Assert.Contains(Discover(memory).Warnings, w => w.Contains("'APIC' has an implausible length of 4294967280 bytes"));
    }

    [Fact]
    public void MadtTruncatedMidEntry_KeepsTheEntriesBeforeIt()
    {
        CapturedAcpiMemory memory = Q35();
        byte[] madt = Bytes(memory, "APIC");
        byte[] truncated = AcpiBytes.FixChecksum(madt.AsSpan(0, madt.Length - 3).ToArray());
        BinaryPrimitives.WriteUInt32LittleEndian(truncated.AsSpan(4), (uint)truncated.Length);
        memory.Replace("APIC", AcpiBytes.FixChecksum(truncated));

        AcpiTables tables = Discover(memory);

        Assert.Contains(tables.Warnings, w => w.StartsWith("MADT: entry of type 4 at offset 170 claims 6 bytes but only 3 remain"));
        Assert.Equal(8, tables.Madt!.Processors.Count);
        Assert.Equal(5, tables.Madt.Overrides.Count);
        Assert.Empty(tables.Madt.LocalApicNmis);
    }

    [Fact]
    public void XsdtWithAPartialEntry_IgnoresTheFragment()
    {
        CapturedAcpiMemory memory = Q35();
        byte[] xsdt = Bytes(memory, "XSDT");
        byte[] longer = xsdt.Concat(new byte[] { 0xAA, 0xBB, 0xCC }).ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(longer.AsSpan(4), (uint)longer.Length);
        memory.Replace("XSDT", AcpiBytes.FixChecksum(longer));

        AcpiTables tables = Discover(memory);

        Assert.Contains("XSDT length 87 is not a whole number of entries; the partial entry is ignored", tables.Warnings);
        Assert.Equal(9, tables.Tables.Count);
    }

    [Fact]
    public void RootEntryPointingAtGarbage_IsSkipped()
    {
        CapturedAcpiMemory memory = Q35();
        byte[] xsdt = Bytes(memory, "XSDT");
        BinaryPrimitives.WriteUInt64LittleEndian(xsdt.AsSpan(36 + (8 * 2)), 0xDEAD_0000);
        memory.Replace("XSDT", AcpiBytes.FixChecksum(xsdt));

        AcpiTables tables = Discover(memory);

        Assert.Contains("entry 2 of the XSDT (0xDEAD0000): the header is outside readable memory; skipped", tables.Warnings);
        Assert.NotNull(tables.Madt);
    }

    [Fact]
    public void FacsPointerToSomethingElse_IsSkipped()
    {
        CapturedAcpiMemory memory = Q35();
        byte[] facs = Bytes(memory, "FACS");
        facs[0] = (byte)'X';
        memory.Replace("FACS", facs);

        AcpiTables tables = Discover(memory);

        Assert.Contains(tables.Warnings, w => w.StartsWith("the FADT's FACS pointer (0x3F7DC000) does not point at a FACS"));
        Assert.NotNull(tables.Fadt);
    }

    // Seeded fuzzing: flip, zero or truncate random bytes of random tables; the parser must always come back
    // with a result (and a topology to run on), never throw or loop.
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void RandomCorruption_NeverThrows_AndAlwaysYieldsATopology(int seed)
    {
        var random = new Random(seed);
        CapturedAcpiMemory original = Q35();
        for (int round = 0; round < 300; round++)
        {
            CapturedAcpiMemory memory = original.Clone();
            for (int edits = random.Next(1, 6); edits > 0; edits--)
            {
                CapturedTable table = memory.Tables[random.Next(memory.Tables.Count)];
                byte[] bytes = (byte[])table.Bytes.Clone();
                if (bytes.Length == 0)
                    continue;
                int position = random.Next(bytes.Length);
                switch (random.Next(4))
                {
                    case 0:
                        bytes[position] ^= (byte)(1 << random.Next(8));
                        break;
                    case 1:
                        bytes[position] = 0;
                        break;
                    case 2:
                        bytes = bytes.AsSpan(0, position).ToArray();
                        break;
                    default:
                        bytes[position] = (byte)random.Next(256);
                        if (table.Signature != "RSDP" && bytes.Length >= 10)
                            AcpiBytes.FixChecksum(bytes); // get past the checksum into the structure checks
                        break;
                }

                memory.Replace(table.Signature, bytes);
            }

            AcpiTables tables = Discover(memory);
            Assert.NotNull(tables.Interrupts);
            Assert.NotEmpty(tables.Interrupts.IoApics);
            Assert.Equal(tables.Madt is not null, tables.Interrupts.FromFirmware);
        }
    }
}
