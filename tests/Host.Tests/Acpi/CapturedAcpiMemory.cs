// ACPI tables captured from a real boot, placed back at the physical
// addresses they had, so the parser in Shared/Acpi reads them exactly as the
// kernel did. Loaded from the kernel's "acpi.dump" serial output (the boot
// tests link this file too) or from the binary files committed under
// Tables/<machine>/ (named <signature>-<hex address>.bin).
#nullable enable
using System.Globalization;
using System.Text.RegularExpressions;
using Shared.Acpi;

namespace Host.Tests.Acpi;

public sealed record CapturedTable(string Signature, ulong Address, byte[] Bytes);

public sealed partial class CapturedAcpiMemory : IAcpiMemory
{
    private readonly List<CapturedTable> _tables;

    public CapturedAcpiMemory(IEnumerable<CapturedTable> tables) => _tables = tables.Select(t => t with { Bytes = (byte[])t.Bytes.Clone() }).ToList();

    public IReadOnlyList<CapturedTable> Tables => _tables;

    /// <summary>Where the RSDP was (the start of every walk).</summary>
    public ulong RsdpAddress => Find("RSDP").Address;

    public CapturedTable Find(string signature)
        => _tables.FirstOrDefault(t => t.Signature == signature) ?? throw new KeyNotFoundException("no captured " + signature);

    public bool TryRead(ulong physicalAddress, Span<byte> destination)
    {
        foreach (CapturedTable table in _tables)
        {
            ulong end = table.Address + (ulong)table.Bytes.Length;
            if (physicalAddress >= table.Address && physicalAddress + (ulong)destination.Length <= end)
            {
                table.Bytes.AsSpan((int)(physicalAddress - table.Address), destination.Length).CopyTo(destination);
                return true;
            }
        }

        return false;
    }

    /// <summary>A deep copy, to corrupt without touching the original.</summary>
    public CapturedAcpiMemory Clone() => new(_tables);

    /// <summary>Replaces a table's bytes (same address).</summary>
    public void Replace(string signature, byte[] bytes)
    {
        int index = _tables.FindIndex(t => t.Signature == signature);
        _tables[index] = _tables[index] with { Bytes = bytes };
    }

    public void Remove(string signature) => _tables.RemoveAll(t => t.Signature == signature);

    public void Add(CapturedTable table) => _tables.Add(table);

    /// <summary>Parses the lines AcpiDump (Kernel/Acpi/AcpiDump.cs) printed.</summary>
    public static CapturedAcpiMemory FromSerial(string serial)
    {
        var tables = new List<CapturedTable>();
        string? signature = null;
        ulong address = 0;
        byte[]? bytes = null;
        bool ended = false;
        foreach (Match match in DumpLine().Matches(serial.Replace("\r", "")))
        {
            switch (match.Groups["kind"].Value)
            {
                case "table":
                    if (signature is not null)
                        tables.Add(new CapturedTable(signature, address, bytes!));
                    signature = match.Groups["a"].Value;
                    address = ulong.Parse(match.Groups["b"].Value, NumberStyles.HexNumber);
                    bytes = new byte[int.Parse(match.Groups["c"].Value, CultureInfo.InvariantCulture)];
                    break;
                case "data":
                    int offset = int.Parse(match.Groups["a"].Value, NumberStyles.HexNumber);
                    Convert.FromHexString(match.Groups["b"].Value).CopyTo(bytes!, offset);
                    break;
                case "end":
                    ended = true;
                    break;
            }
        }

        if (signature is not null)
            tables.Add(new CapturedTable(signature, address, bytes!));
        if (!ended)
            throw new InvalidDataException("the ACPI dump has no end line (the kernel stopped while dumping?)");
        return new CapturedAcpiMemory(tables);
    }

    public static CapturedAcpiMemory Load(string directory)
    {
        var tables = new List<CapturedTable>();
        foreach (string path in Directory.GetFiles(directory, "*.bin").Order(StringComparer.Ordinal))
        {
            string[] parts = Path.GetFileNameWithoutExtension(path).Split('-');
            tables.Add(new CapturedTable(parts[0], ulong.Parse(parts[1], NumberStyles.HexNumber), File.ReadAllBytes(path)));
        }

        return new CapturedAcpiMemory(tables);
    }

    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        foreach (string old in Directory.GetFiles(directory, "*.bin"))
            File.Delete(old);
        foreach (CapturedTable table in _tables)
            File.WriteAllBytes(Path.Combine(directory, table.Signature + "-" + table.Address.ToString("X") + ".bin"), table.Bytes);
    }

    [GeneratedRegex(@"^\[acpi-dump\] (?<kind>table|data|end)(?: (?<a>\S+) (?<b>[0-9A-F]+)(?: (?<c>\d+))?)?$", RegexOptions.Multiline)]
    private static partial Regex DumpLine();
}
