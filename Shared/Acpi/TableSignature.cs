// A table's four-character signature ("APIC", "FACP"...) held as the 32-bit
// little-endian number it is in memory, so comparisons allocate nothing.
using System;
using System.Buffers.Binary;

namespace Shared.Acpi;

public readonly struct TableSignature : IEquatable<TableSignature>
{
    public static readonly TableSignature Xsdt = FromText("XSDT");
    public static readonly TableSignature Rsdt = FromText("RSDT");
    public static readonly TableSignature Madt = FromText("APIC");
    public static readonly TableSignature Fadt = FromText("FACP");
    public static readonly TableSignature Dsdt = FromText("DSDT");
    public static readonly TableSignature Facs = FromText("FACS");
    public static readonly TableSignature Hpet = FromText("HPET");
    public static readonly TableSignature Mcfg = FromText("MCFG");

    public TableSignature(uint value) => Value = value;

    public uint Value { get; }

    public static TableSignature FromBytes(ReadOnlySpan<byte> bytes) => new(BinaryPrimitives.ReadUInt32LittleEndian(bytes));

    /// <summary>Four ASCII characters, as written in the specification.</summary>
    public static TableSignature FromText(string text)
    {
        if (text.Length != 4)
            throw new ArgumentException("a table signature has four characters", nameof(text));
        return new TableSignature((uint)text[0] | ((uint)text[1] << 8) | ((uint)text[2] << 16) | ((uint)text[3] << 24));
    }

    public bool Equals(TableSignature other) => Value == other.Value;

    public override bool Equals(object obj) => obj is TableSignature other && Equals(other);

    public override int GetHashCode() => (int)Value;

    public static bool operator ==(TableSignature left, TableSignature right) => left.Value == right.Value;

    public static bool operator !=(TableSignature left, TableSignature right) => left.Value != right.Value;

    /// <summary>The four characters; bytes outside printable ASCII show as '?'.</summary>
    public override string ToString()
    {
        Span<char> text = stackalloc char[4];
        for (int i = 0; i < 4; i++)
        {
            uint c = (Value >> (8 * i)) & 0xFF;
            text[i] = c >= 0x20 && c < 0x7F ? (char)c : '?';
        }

        return new string(text);
    }
}
