// Powering off: ACPI sleep state S5 (soft-off). The value to write -
// SLP_TYP - is firmware-specific and lives in the DSDT's \_S5 package,
// which SleepStatePackage finds by scanning the AML for the name. Then:
//   1. make sure the machine is in ACPI mode (SCI_EN set; if not, write
//      ACPI_ENABLE to the SMI command port and wait for it);
//   2. write SLP_TYPa << 10 | SLP_EN to PM1a_CNT (and SLP_TYPb to PM1b_CNT
//      when the machine has one). The machine turns off.
// If it is still running 500 ms later (no FADT, no _S5, the write ignored),
// the last resort on QEMU is its isa-debug-exit device (present only when
// QEMU was started with it); elsewhere the kernel says so and halts.
using Kernel.Acpi;
using Kernel.Arch;
using Kernel.Diagnostics;
using Kernel.Time;
using Shared.Acpi;

namespace Kernel.Power;

public static class Shutdown
{
    private const uint SleepTypeShift = 10;
    private const uint SleepEnable = 1u << 13;
    private const uint SciEnable = 1u;
    private const ulong SettleMicroseconds = 500_000;

    /// <summary>Finds the S5 sleep types (boot log and tests): a description of what shutdown would write.</summary>
    public static bool TryFindS5(out SleepStatePackage s5, out string problem)
    {
        s5 = default;
        if (PlatformTables.Fadt is null)
        {
            problem = "no FADT";
            return false;
        }

        if (!PlatformTables.Tables.TryFind(TableSignature.Dsdt, out AcpiTableInfo dsdt))
        {
            problem = "no DSDT";
            return false;
        }

        byte[] aml = AcpiTables.ReadTable(new PhysicalAcpiMemory(), dsdt);
        if (aml is null)
        {
            problem = "the DSDT is outside readable memory";
            return false;
        }

        return SleepStatePackage.TryFind(aml, "_S5_", out s5, out problem);
    }

    public static void Now()
    {
        Fadt fadt = PlatformTables.Fadt;
        if (!TryFindS5(out SleepStatePackage s5, out string problem))
            KernelLog.WriteLine("shutdown: cannot enter ACPI S5: " + problem);
        else if (!fadt.Pm1aControl.IsPresent)
            KernelLog.WriteLine("shutdown: cannot enter ACPI S5: the FADT has no PM1a control register");
        else
        {
            KernelLog.WriteLine("shutdown: ACPI S5 (SLP_TYPa " + s5.TypeA.ToString() + ", SLP_TYPb " + s5.TypeB.ToString() + ") via "
                + fadt.Pm1aControl.ToString());
            Cpu.DisableInterrupts();
            EnterAcpiMode(fadt);
            RegisterAccess.TryRead(fadt.Pm1aControl, out uint control);
            RegisterAccess.TryWrite(fadt.Pm1aControl, (control & ~(7u << (int)SleepTypeShift)) | ((uint)s5.TypeA << (int)SleepTypeShift) | SleepEnable);
            if (fadt.Pm1bControl.IsPresent)
            {
                RegisterAccess.TryRead(fadt.Pm1bControl, out control);
                RegisterAccess.TryWrite(fadt.Pm1bControl, (control & ~(7u << (int)SleepTypeShift)) | ((uint)s5.TypeB << (int)SleepTypeShift) | SleepEnable);
            }

            TimeStampCounter.SpinWait(SettleMicroseconds);
            KernelLog.WriteLine("shutdown: the machine is still running after the S5 write");
        }

        KernelLog.WriteLine("shutdown: last resort: QEMU's isa-debug-exit device");
        QemuExit.Exit(0);
    }

    private static void EnterAcpiMode(Fadt fadt)
    {
        if (!RegisterAccess.TryRead(fadt.Pm1aControl, out uint control) || (control & SciEnable) != 0 || fadt.SmiCommand == 0 || fadt.AcpiEnable == 0)
            return;
        // The FADT's SMI command port with its ACPI-enable value: the firmware's own hand-over request.
        new Port8((ushort)fadt.SmiCommand).Write(fadt.AcpiEnable);
        for (int i = 0; i < 300; i++)
        {
            if (RegisterAccess.TryRead(fadt.Pm1aControl, out control) && (control & SciEnable) != 0)
                return;
            TimeStampCounter.SpinWait(1000);
        }
    }
}
