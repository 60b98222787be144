// Finds the ACPI RSDP in the firmware's configuration table: the ACPI 2.0+
// entry first (it leads to the 64-bit XSDT), the ACPI 1.0 entry as a
// fallback. A pointer is passed on only if the structure checks out
// (Shared/Boot/Rsdp.cs); an invalid one is reported and skipped.
using System;
using Efi.Uefi;
using Shared.Boot;

namespace Efi;

internal static unsafe class RsdpLocator
{
    /// <summary>The physical address of a valid RSDP and its revision, or 0 when there is none.</summary>
    public static ulong Find(out uint revision)
    {
        ulong rsdp = Check(EfiGuid.Acpi20Table, "ACPI 2.0", out revision);
        if (rsdp == 0)
            rsdp = Check(EfiGuid.Acpi10Table, "ACPI 1.0", out revision);
        if (rsdp == 0)
            Log.Warning("the firmware provides no valid ACPI RSDP: the kernel gets none");
        else
            Log.Info("ACPI RSDP revision " + revision.ToString() + " at 0x" + rsdp.ToString("X"));
        return rsdp;
    }

    private static ulong Check(EfiGuid table, string name, out uint revision)
    {
        revision = 0;
        var rsdp = (byte*)Firmware.FindConfigurationTable(table);
        if (rsdp == null)
            return 0;

        // Read as much as the structure says it has: 20 bytes, 24 for the Length field, then Length.
        int length = Rsdp.Version1Length;
        for (int needed = Rsdp.RequiredLength(new ReadOnlySpan<byte>(rsdp, length)); needed > length; needed = Rsdp.RequiredLength(new ReadOnlySpan<byte>(rsdp, length)))
            length = needed;

        var bytes = new ReadOnlySpan<byte>(rsdp, length);
        RsdpError error = Rsdp.Validate(bytes);
        if (error != RsdpError.None)
        {
            Log.Warning("the " + name + " RSDP at 0x" + ((ulong)rsdp).ToString("X") + " is invalid: " + Rsdp.Describe(error));
            return 0;
        }

        revision = Rsdp.Revision(bytes);
        return (ulong)rsdp;
    }
}
