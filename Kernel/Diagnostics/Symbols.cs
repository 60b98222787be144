// Names for kernel code addresses: "0xFFFF800000812A3C" becomes
// "Kernel.Diagnostics.Faults.ReadUnmapped+0x1c". The table is built at link
// time from lld-link's map and embedded as the image's last section (see
// build.cake's Kernel task and tools/AsmGen/Symbols); Shared/Diagnostics/
// SymbolTable reads it. Lookups allocate nothing, so fault handlers can use them.
using System;
using Kernel.Arch;
using Shared.Diagnostics;

namespace Kernel.Diagnostics;

public static unsafe class Symbols
{
    /// <summary>Function names in the embedded table (0 if the table is missing or damaged).</summary>
    public static int Count => TryOpen(out SymbolTable table) ? table.Count : 0;

    /// <summary>The function containing <paramref name="address"/>: its start and ASCII name.</summary>
    public static bool TryFind(ulong address, out ulong start, out ReadOnlySpan<byte> name)
    {
        start = 0;
        name = default;
        if (!TryOpen(out SymbolTable table) || !table.TryFind(address, out SymbolMatch match))
            return false;
        start = match.Start;
        name = table.NameOf(match);
        return true;
    }

    /// <summary>Writes "Name+0xOFFSET" for <paramref name="address"/> into <paramref name="destination"/>; 0 when unknown.</summary>
    public static int Describe(ulong address, Span<char> destination)
    {
        if (!TryFind(address, out ulong start, out ReadOnlySpan<byte> name))
            return 0;
        int length = 0;
        for (int i = 0; i < name.Length && length < destination.Length; i++)
            destination[length++] = (char)name[i];
        if (length + 3 > destination.Length)
            return length;
        destination[length++] = '+';
        destination[length++] = '0';
        destination[length++] = 'x';
        (address - start).TryFormat(destination.Slice(length), out int written, "x");
        return length + written;
    }

    /// <summary>
    /// "Name+0xOFFSET" for a stack-trace frame: the function is the one holding <paramref name="lookup"/> (for a
    /// return address, the call's last byte), the offset is <paramref name="address"/>'s. Null when unknown.
    /// </summary>
    public static string DescribeFrame(ulong lookup, ulong address)
    {
        if (!TryFind(lookup, out ulong start, out ReadOnlySpan<byte> name))
            return null;
        Span<char> buffer = stackalloc char[200];
        int length = 0;
        for (int i = 0; i < name.Length && length < 170; i++)
            buffer[length++] = (char)name[i];
        buffer[length++] = '+';
        buffer[length++] = '0';
        buffer[length++] = 'x';
        (address - start).TryFormat(buffer.Slice(length), out int written, "x");
        return new string(buffer.Slice(0, length + written));
    }

    /// <summary>The symbolized form as a string (for logs and tests; fault reports use Describe).</summary>
    public static string DescribeToString(ulong address)
    {
        Span<char> buffer = stackalloc char[256];
        int length = Describe(address, buffer);
        return length == 0 ? null : new string(buffer.Slice(0, length));
    }

    // 0: not yet checked, 1: checked and sound, 2: missing or damaged.
    private static int s_state;

    // The first lookup checks every entry; the table sits in a read-only page, so later ones need not.
    private static bool TryOpen(out SymbolTable table)
    {
        table = default;
        if (s_state == 2)
            return false;
        byte* data = NativeInterrupts.SymbolTable();
        ulong size = SymbolTable.SizeFromHeader(new ReadOnlySpan<byte>(data, SymbolTable.HeaderSize));
        bool sound = size != 0 && size <= int.MaxValue
            && SymbolTable.TryOpen(new ReadOnlySpan<byte>(data, (int)size), out table, checkEntries: s_state == 0);
        s_state = sound ? 1 : 2;
        return sound;
    }
}
