// The parser over real tables captured from QEMU 7.2 + OVMF (Tables/, see its
// README): everything QEMU declares is found, and nothing is warned about.
using Shared.Acpi;
using Xunit;

namespace Host.Tests.Acpi;

public sealed class CapturedTablesTests
{
    private static AcpiTables Discover(string machine)
    {
        CapturedAcpiMemory memory = AcpiBytes.Captured(machine);
        return AcpiTables.Discover(memory, memory.RsdpAddress);
    }

    [Theory]
    [InlineData("q35", 9)]
    [InlineData("pc", 8)]
    public void Walk_FromTheRsdp_FindsEveryTableThroughTheXsdt_WithoutWarnings(string machine, int tableCount)
    {
        AcpiTables tables = Discover(machine);

        Assert.Empty(tables.Warnings);
        Assert.True(tables.HasRsdp);
        Assert.Equal(2, tables.Rsdp.Revision);
        Assert.Equal("BOCHS ", tables.Rsdp.OemId);
        Assert.Equal(AcpiRootKind.Xsdt, tables.RootKind);
        Assert.Equal(tableCount, tables.Tables.Count);
        Assert.All(tables.Tables, t => Assert.True(t.ChecksumValid, t.ToString()));
        foreach (string signature in new[] { "XSDT", "FACP", "APIC", "HPET", "DSDT", "FACS" })
            Assert.True(tables.TryFind(TableSignature.FromText(signature), out _), signature);
    }

    [Fact]
    public void Q35Madt_HasEightProcessorsOneIoApicFiveOverridesAndLint1Nmi()
    {
        AcpiTables tables = Discover("q35");
        Madt madt = tables.Madt!;

        Assert.Equal(0xFEE0_0000UL, madt.LocalApicAddress);
        Assert.True(madt.HasLegacyPics);
        Assert.Equal(8, madt.Processors.Count);
        Assert.Equal(Enumerable.Range(0, 8).Select(i => (uint)i), madt.Processors.Select(p => p.ApicId));
        Assert.All(madt.Processors, p => Assert.True(p.Enabled && !p.IsX2Apic));
        Assert.Equal(8, madt.EnabledProcessorCount);

        IoApicInfo ioApic = Assert.Single(madt.IoApics);
        Assert.Equal((byte)0, ioApic.Id);
        Assert.Equal(0xFEC0_0000UL, ioApic.Address);
        Assert.Equal(0u, ioApic.GsiBase);

        Assert.Equal(new[] { (0, 2u), (5, 5u), (9, 9u), (10, 10u), (11, 11u) }, madt.Overrides.Select(o => ((int)o.Source, o.Gsi)));
        Assert.Equal(TriggerMode.Edge, madt.Overrides[0].Flags.Trigger);
        Assert.All(madt.Overrides.Skip(1), o => Assert.Equal((TriggerMode.Level, InterruptPolarity.ActiveHigh), (o.Flags.Trigger, o.Flags.Polarity)));

        LocalApicNmi nmi = Assert.Single(madt.LocalApicNmis);
        Assert.Equal(LocalApicNmi.AllProcessors, nmi.ProcessorUid);
        Assert.Equal((byte)1, nmi.Lint);
        Assert.Equal(0, madt.UnknownEntries);
        Assert.Empty(madt.Problems);
    }

    [Fact]
    public void PcMadt_HasFourProcessors()
    {
        AcpiTables tables = Discover("pc");
        Assert.Equal(4, tables.Interrupts.ProcessorCount);
        Assert.True(tables.Interrupts.FromFirmware);
        Assert.Equal(5, tables.Interrupts.Overrides.Count);
    }

    [Fact]
    public void Q35Fadt_Revision3_UsesTheExtendedFields()
    {
        AcpiTables tables = Discover("q35");
        Fadt fadt = tables.Fadt!;

        Assert.Equal(3, fadt.Revision);
        Assert.Equal(244u, fadt.Length);
        Assert.Equal(AddressSpace.SystemIo, fadt.PmTimer.Space);
        Assert.Equal(0x608UL, fadt.PmTimer.Address);
        Assert.False(fadt.PmTimerIs32Bit);
        Assert.Equal(24, fadt.PmTimer.BitWidth);
        Assert.True(fadt.HasResetRegister);
        Assert.Equal(0xCF9UL, fadt.ResetRegister.Address);
        Assert.Equal(AddressSpace.SystemIo, fadt.ResetRegister.Space);
        Assert.Equal(0x0F, fadt.ResetValue);
        Assert.Equal((ushort)9, fadt.SciInterrupt);
        Assert.Equal(0x32, fadt.CenturyIndex);
        Assert.True(tables.TryFind(TableSignature.Dsdt, out AcpiTableInfo dsdt));
        Assert.Equal(fadt.DsdtAddress, dsdt.Address);
        Assert.True(tables.TryFind(TableSignature.Facs, out AcpiTableInfo facs));
        Assert.Equal(fadt.FacsAddress, facs.Address);
        Assert.Equal(64u, facs.Length);
    }

    [Fact]
    public void PcFadt_Revision1_Has116BytesAndNoResetRegister()
    {
        Fadt fadt = Discover("pc").Fadt!;

        Assert.Equal(1, fadt.Revision);
        Assert.Equal(116u, fadt.Length);
        Assert.Equal(0xB008UL, fadt.PmTimer.Address);
        Assert.Equal(AddressSpace.SystemIo, fadt.PmTimer.Space);
        Assert.False(fadt.HasResetRegister);
        Assert.Equal((BootArchitectureFlags)0, fadt.BootArchitecture);
        Assert.NotEqual(0UL, fadt.DsdtAddress);
    }

    [Fact]
    public void Routes_FollowTheOverrides()
    {
        InterruptTopology interrupts = Discover("q35").Interrupts;

        Assert.Equal("IRQ0 -> GSI 2 edge/high (override)", interrupts.RouteIsaIrq(0).ToString());
        Assert.Equal("IRQ1 -> GSI 1 edge/high", interrupts.RouteIsaIrq(1).ToString());
        Assert.Equal("IRQ4 -> GSI 4 edge/high", interrupts.RouteIsaIrq(4).ToString());
        Assert.Equal("IRQ9 -> GSI 9 level/high (override)", interrupts.RouteIsaIrq(9).ToString());
        Assert.True(interrupts.TryFindIoApic(23, out IoApicInfo ioApic));
        Assert.Equal(0xFEC0_0000UL, ioApic.Address);
        Assert.True(interrupts.TryFindProcessor(7, out ProcessorApic seventh));
        Assert.Equal(7u, seventh.ProcessorUid);
        Assert.True(interrupts.TryFindLocalApicNmi(3, out LocalApicNmi nmi));
        Assert.Equal((byte)1, nmi.Lint);
    }

    [Fact]
    public void AcpiOff_OvmfsOwnXsdtWithANullSlot_WarnsAndUsesTheDefaults()
    {
        AcpiTables tables = Discover("q35-acpi-off");

        Assert.Equal(AcpiRootKind.Xsdt, tables.RootKind);
        Assert.Contains("entry 0 of the XSDT is a null pointer; skipped", tables.Warnings);
        Assert.Contains(tables.Warnings, w => w.StartsWith("no valid MADT: using the PC defaults"));
        Assert.Contains(tables.Warnings, w => w.StartsWith("no valid FADT"));
        Assert.Equal(new[] { "XSDT", "BGRT" }, tables.Tables.Select(t => t.Signature.ToString()));
        Assert.False(tables.Interrupts.FromFirmware);
        Assert.Equal(InterruptTopology.DefaultLocalApicAddress, tables.Interrupts.LocalApicAddress);
        Assert.Equal(2u, tables.Interrupts.RouteIsaIrq(0).Gsi);
    }
}
