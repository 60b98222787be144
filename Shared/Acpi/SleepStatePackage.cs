// Finds the SLP_TYP values of a sleep state (\_S5 for soft-off) in a DSDT's
// AML without an AML interpreter. Firmware declares the state as a named
// package - Name (_S5, Package () { SLP_TYPa, SLP_TYPb, ... }) - which is
// encoded as NameOp (0x08), the name (optionally rooted by '\'), PackageOp
// (0x12), a PkgLength (1 to 4 bytes), the element count, then the elements
// as integer constants: ZeroOp (0x00), OneOp (0x01), OnesOp (0xFF) or
// BytePrefix (0x0A) / WordPrefix (0x0B) / DWordPrefix (0x0C) plus the value.
// A _S5 computed by a method, or hidden behind a conditional, is not found
// (the caller then falls back: docs/shell.md).
using System;

namespace Shared.Acpi;

public readonly struct SleepStatePackage
{
    private const byte NameOp = 0x08;
    private const byte PackageOp = 0x12;

    public SleepStatePackage(byte typeA, byte typeB)
    {
        TypeA = typeA;
        TypeB = typeB;
    }

    /// <summary>SLP_TYP for PM1a_CNT.</summary>
    public byte TypeA { get; }

    /// <summary>SLP_TYP for PM1b_CNT.</summary>
    public byte TypeB { get; }

    /// <summary>
    /// Scans <paramref name="aml"/> (a whole DSDT or SSDT, header included) for Name (<paramref name="name"/>,
    /// Package) - e.g. "_S5_" - and decodes its first two elements.
    /// </summary>
    public static bool TryFind(ReadOnlySpan<byte> aml, string name, out SleepStatePackage package, out string problem)
    {
        package = default;
        problem = "no " + name + " package in the AML";
        if (name.Length != 4)
        {
            problem = "an AML name segment has 4 characters";
            return false;
        }

        for (int i = 36; i + 4 <= aml.Length; i++) // the 36-byte table header holds no AML
        {
            if (aml[i] != name[0] || aml[i + 1] != name[1] || aml[i + 2] != name[2] || aml[i + 3] != name[3])
                continue;
            int before = i - 1;
            if (before >= 0 && aml[before] == (byte)'\\')
                before--;
            if (before < 0 || aml[before] != NameOp)
                continue; // a reference to the name, not its definition
            if (TryDecode(aml.Slice(i + 4), out package, out problem))
                return true;
        }

        return false;
    }

    private static bool TryDecode(ReadOnlySpan<byte> aml, out SleepStatePackage package, out string problem)
    {
        package = default;
        if (aml.Length < 3 || aml[0] != PackageOp)
        {
            problem = "the name is not a package";
            return false;
        }

        int lengthBytes = 1 + (aml[1] >> 6);
        int offset = 1 + lengthBytes + 1; // PackageOp, PkgLength, NumElements
        if (offset > aml.Length || aml[1 + lengthBytes] < 2)
        {
            problem = "the package is truncated or has fewer than 2 elements";
            return false;
        }

        if (!TryInteger(aml, ref offset, out byte typeA) || !TryInteger(aml, ref offset, out byte typeB))
        {
            problem = "the package's elements are not integer constants";
            return false;
        }

        package = new SleepStatePackage(typeA, typeB);
        problem = null;
        return true;
    }

    private static bool TryInteger(ReadOnlySpan<byte> aml, ref int offset, out byte value)
    {
        value = 0;
        if (offset >= aml.Length)
            return false;
        byte op = aml[offset++];
        switch (op)
        {
            case 0x00: value = 0; return true;
            case 0x01: value = 1; return true;
            case 0xFF: value = 0xFF; return true;
            case 0x0A:
            case 0x0B:
            case 0x0C:
                int size = op == 0x0A ? 1 : op == 0x0B ? 2 : 4;
                if (offset + size > aml.Length)
                    return false;
                value = aml[offset]; // SLP_TYP is 3 bits: the low byte holds it
                offset += size;
                return true;
            default:
                return false;
        }
    }
}
