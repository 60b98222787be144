// Writes every ACPI table on serial in a line format a test can turn back
// into the original bytes (tests/Boot.Tests/InterruptAcpiCaptureTests.cs):
//
//   [acpi-dump] begin
//   [acpi-dump] table <SIG> <physical address, hex> <length>
//   [acpi-dump] data <offset, hex> <up to 32 bytes as hex pairs>
//   [acpi-dump] end
//
// The RSDP comes first (as table "RSDP", 20 or 36 bytes), then the RSDT when
// the XSDT was used instead (so captures hold both roots), then the root table
// and every table the parser found, in its order.
using System;
using Kernel.Diagnostics;
using Shared.Acpi;

namespace Kernel.Acpi;

internal static class AcpiDump
{
    private const int BytesPerLine = 32;

    public static void Write(AcpiTables tables, IAcpiMemory memory)
    {
        KernelLog.WriteLine("[acpi-dump] begin");
        if (tables.HasRsdp)
        {
            WriteRange("RSDP", tables.RsdpAddress, tables.Rsdp.Revision >= 2 ? (uint)Rsdp.Version2Size : Rsdp.Version1Size, memory);
            if (tables.RootKind != AcpiRootKind.Rsdt && tables.Rsdp.RsdtAddress != 0)
                WriteUnlistedTable(tables.Rsdp.RsdtAddress, memory);
        }

        foreach (AcpiTableInfo table in tables.Tables)
            WriteRange(table.Signature.ToString(), table.Address, table.Length, memory);
        KernelLog.WriteLine("[acpi-dump] end");
    }

    private static void WriteUnlistedTable(ulong address, IAcpiMemory memory)
    {
        Span<byte> header = stackalloc byte[SdtHeader.Size];
        if (memory.TryRead(address, header) && SdtHeader.TryParse(header, out SdtHeader parsed) && parsed.Length >= SdtHeader.Size && parsed.Length <= AcpiTables.MaxTableLength)
            WriteRange(parsed.Signature.ToString(), address, parsed.Length, memory);
    }

    private static void WriteRange(string signature, ulong address, uint length, IAcpiMemory memory)
    {
        KernelLog.WriteLine("[acpi-dump] table " + signature + " " + address.ToString("X") + " " + length.ToString());
        Span<byte> bytes = stackalloc byte[BytesPerLine];
        Span<char> line = stackalloc char[BytesPerLine * 2];
        for (uint offset = 0; offset < length; offset += BytesPerLine)
        {
            int count = (int)Math.Min(BytesPerLine, length - offset);
            Span<byte> chunk = bytes.Slice(0, count);
            if (!memory.TryRead(address + offset, chunk))
            {
                KernelLog.WriteLine("[acpi-dump] unreadable " + offset.ToString("X"));
                return;
            }

            for (int i = 0; i < count; i++)
            {
                line[2 * i] = HexDigit(chunk[i] >> 4);
                line[(2 * i) + 1] = HexDigit(chunk[i] & 0xF);
            }

            KernelLog.WriteLine("[acpi-dump] data " + offset.ToString("X") + " " + new string(line.Slice(0, count * 2)));
        }
    }

    private static char HexDigit(int value) => (char)(value < 10 ? '0' + value : 'A' + value - 10);
}
