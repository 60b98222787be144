// The ACPI tables the firmware gave this boot, as the kernel parsed them
// (Shared/Acpi over the physical-memory window). QEMU's tables are
// well-formed; these tests check that the parser finds what QEMU declares on
// both q35 and pc (tests/Boot.Tests/InterruptHardwareTests boots the suite
// on both machines).
using Kernel.Acpi;
using Kernel.Arch;
using Kernel.Interrupts.Apic;
using Kernel.Testing;
using Shared.Acpi;

namespace Kernel.Tests;

internal static class AcpiTests
{
    [KernelTest(Suite = "interrupts")]
    public static void Rsdp_FromTheLoader_IsRevision2WithAnXsdt()
    {
        AcpiTables tables = PlatformTables.Tables;
        Assert.True(tables.HasRsdp);
        Assert.True(tables.Rsdp.Revision >= 2, "OVMF publishes an ACPI 2.0+ RSDP");
        Assert.True(tables.RootKind == AcpiRootKind.Xsdt, "the XSDT is preferred over the RSDT");
        Assert.True(tables.Rsdp.XsdtAddress == tables.RootAddress);
    }

    [KernelTest(Suite = "interrupts")]
    public static void Tables_AllChecksumsValid_AndNoWarnings()
    {
        AcpiTables tables = PlatformTables.Tables;
        Assert.True(tables.Tables.Count >= 4, "at least XSDT, FACP, APIC, DSDT");
        foreach (AcpiTableInfo table in tables.Tables)
            Assert.True(table.ChecksumValid, table.ToString());
        Assert.Equal(0, tables.Warnings.Count);
    }

    [KernelTest(Suite = "interrupts")]
    public static void Madt_ListsThisProcessorAndOneIoApic()
    {
        InterruptTopology interrupts = PlatformTables.Interrupts;
        Assert.True(interrupts.FromFirmware);
        Assert.True(interrupts.TryFindProcessor(LocalApic.Id, out ProcessorApic self), "the boot CPU's APIC id is in the MADT");
        Assert.True(self.Enabled);
        Assert.True(interrupts.ProcessorCount >= 1);
        Assert.Equal(1, interrupts.IoApics.Count);
        Assert.Equal(InterruptTopology.DefaultIoApicAddress, interrupts.IoApics[0].Address);
        Assert.Equal(0L, interrupts.IoApics[0].GsiBase);
    }

    [KernelTest(Suite = "interrupts")]
    public static void Madt_OverridesIrq0ToGsi2_AndTheSciToLevelTriggered()
    {
        InterruptTopology interrupts = PlatformTables.Interrupts;
        IsaIrqRoute timer = interrupts.RouteIsaIrq(0);
        Assert.True(timer.Overridden);
        Assert.Equal(2L, timer.Gsi);
        Assert.True(timer.Flags.Trigger == TriggerMode.Edge);

        IsaIrqRoute sci = interrupts.RouteIsaIrq((byte)PlatformTables.Fadt.SciInterrupt);
        Assert.True(sci.Overridden, "QEMU overrides the SCI's flags");
        Assert.True(sci.Flags.Trigger == TriggerMode.Level, "the ACPI SCI is level triggered");

        IsaIrqRoute keyboard = interrupts.RouteIsaIrq(1);
        Assert.Equal(1L, keyboard.Gsi);
        Assert.True(keyboard.Flags.Trigger == TriggerMode.Edge && keyboard.Flags.Polarity == InterruptPolarity.ActiveHigh);
    }

    [KernelTest(Suite = "interrupts")]
    public static void Madt_LocalApicAddress_MatchesTheApicBaseMsr()
    {
        ulong msr = Msr.ApicBase.Read() & 0x000F_FFFF_FFFF_F000;
        Assert.Equal(msr, PlatformTables.Interrupts.LocalApicAddress);
        Assert.True(PlatformTables.Tables.Madt.HasLegacyPics, "PCAT_COMPAT: QEMU's PCs have 8259s");
    }

    [KernelTest(Suite = "interrupts")]
    public static void Madt_DeclaresLint1AsNmiForEveryProcessor()
    {
        Assert.True(PlatformTables.Interrupts.TryFindLocalApicNmi(LocalApicNmi.AllProcessors, out LocalApicNmi nmi));
        Assert.Equal(1L, nmi.Lint);
    }

    [KernelTest(Suite = "interrupts")]
    public static void Fadt_NamesAPmTimerPort_AndListsDsdtAndFacs()
    {
        Fadt fadt = PlatformTables.Fadt;
        Assert.NotNull(fadt);
        Assert.True(fadt.PmTimer.Space == AddressSpace.SystemIo);
        Assert.True(fadt.PmTimer.Address != 0 && fadt.PmTimer.Address <= 0xFFFF);
        Assert.True(PlatformTables.Tables.TryFind(TableSignature.Dsdt, out AcpiTableInfo dsdt) && dsdt.ChecksumValid);
        Assert.Equal(fadt.DsdtAddress, dsdt.Address);
        Assert.True(PlatformTables.Tables.TryFind(TableSignature.Facs, out AcpiTableInfo facs) && facs.Length >= 64);
    }

    [KernelTest(Suite = "interrupts")]
    public static void Fadt_ResetRegister_WhenDeclared_IsAnIoPortWithAValue()
    {
        Fadt fadt = PlatformTables.Fadt;
        if (fadt.Revision < 2)
        {
            Assert.False(fadt.HasResetRegister, "an ACPI 1.0 FADT (116 bytes) has no reset register");
            return;
        }

        Assert.True(fadt.HasResetRegister);
        Assert.True(fadt.ResetRegister.Space == AddressSpace.SystemIo);
        Assert.Equal(0xCF9UL, fadt.ResetRegister.Address);
        Assert.True(fadt.ResetValue != 0);
    }
}
