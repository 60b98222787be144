// ACPI's checksum rule: all bytes of a structure, including its checksum
// byte, add up to zero modulo 256.
using System;

namespace Shared.Acpi;

public static class AcpiChecksum
{
    public static byte Sum(ReadOnlySpan<byte> bytes)
    {
        byte sum = 0;
        foreach (byte b in bytes)
            sum += b;
        return sum;
    }

    public static bool IsValid(ReadOnlySpan<byte> bytes) => Sum(bytes) == 0;
}
