// The ACPI tables as the kernel uses them: found once at boot from the RSDP
// the loader passed, validated, summarized in the boot log, kept for the
// drivers (interrupt controllers, clocks, reset). Problems are logged as
// warnings and the documented defaults used instead (Shared/Acpi).
//
// Kernel argument "acpi.dump" additionally hex-dumps every table on serial
// (AcpiDump), which is how the tables in tests/Host.Tests/Acpi/Tables were
// captured.
using Kernel.Diagnostics;
using Shared.Acpi;

namespace Kernel.Acpi;

public static unsafe class PlatformTables
{
    private static AcpiTables s_tables;
    private static IAcpiMemory s_memory;

    public static AcpiTables Tables => s_tables;

    public static InterruptTopology Interrupts => s_tables.Interrupts;

    /// <summary>The FADT, or null when there is no valid one.</summary>
    public static Fadt Fadt => s_tables.Fadt;

    internal static IAcpiMemory Memory => s_memory;

    public static void Initialize()
    {
        s_memory = new PhysicalAcpiMemory();
        s_tables = AcpiTables.Discover(s_memory, KernelState.BootInfo->RsdpPhysical);
        foreach (string warning in s_tables.Warnings)
            KernelLog.WriteLine("[boot] ACPI: warning: " + warning);
        BootLog.Stage("ACPI", Summary(s_tables));
        if (KernelArguments.Has("acpi.dump"))
            AcpiDump.Write(s_tables, s_memory);
    }

    /// <summary>One line: where the tables came from and what the MADT and FADT said.</summary>
    public static string Summary(AcpiTables tables)
    {
        if (!tables.HasRsdp)
            return "no tables, using defaults";
        string root = tables.RootKind == AcpiRootKind.Xsdt ? "XSDT" : tables.RootKind == AcpiRootKind.Rsdt ? "RSDT" : "no root table";
        string text = "revision " + tables.Rsdp.Revision.ToString() + ", " + root + ", " + tables.Tables.Count.ToString() + " tables";
        InterruptTopology interrupts = tables.Interrupts;
        text += tables.Madt is null
            ? ", no MADT (defaults)"
            : ", MADT ok, " + interrupts.ProcessorCount.ToString() + " CPUs, " + interrupts.IoApics.Count.ToString() + " IOAPIC, "
                + interrupts.Overrides.Count.ToString() + " overrides";
        text += tables.Fadt is null ? ", no FADT" : ", FADT ok, PM timer " + (tables.Fadt.PmTimer.IsPresent ? tables.Fadt.PmTimer.ToString() : "absent");
        return text;
    }
}
