// A loaded PE32+ image as the unwinder needs it: its bytes laid out at their
// RVAs, where it is loaded, and the exception directory (.pdata) - the
// RUNTIME_FUNCTION entries {begin RVA, end RVA, UNWIND_INFO RVA}, sorted by
// address, one per function and one per funclet. The kernel builds it over
// its own mapped image; the host tests over the built kernel.exe laid out the
// same way.
using System;
using System.Buffers.Binary;

namespace Internal.Runtime.Unwinding;

public readonly ref struct CodeImage
{
    private const int RuntimeFunctionSize = 12;
    private const int ExceptionDirectoryIndex = 3;

    /// <summary>The image as loaded: byte i is at address Base + i.</summary>
    public readonly ReadOnlySpan<byte> Bytes;
    public readonly ulong Base;
    private readonly uint _directory;
    private readonly int _count;

    public CodeImage(ReadOnlySpan<byte> loaded, ulong imageBase, uint exceptionDirectoryRva, uint exceptionDirectorySize)
    {
        Bytes = loaded;
        Base = imageBase;
        _directory = exceptionDirectoryRva;
        _count = (int)(exceptionDirectorySize / RuntimeFunctionSize);
        if ((ulong)exceptionDirectoryRva + exceptionDirectorySize > (ulong)loaded.Length)
            _count = 0;
    }

    /// <summary>Reads the exception directory's place from the PE headers at the start of <paramref name="loaded"/>.</summary>
    public static CodeImage FromLoadedImage(ReadOnlySpan<byte> loaded, ulong imageBase)
    {
        int pe = (int)BinaryPrimitives.ReadUInt32LittleEndian(loaded.Slice(0x3C));
        int optional = pe + 24;
        int directory = optional + 112 + (ExceptionDirectoryIndex * 8);
        uint rva = BinaryPrimitives.ReadUInt32LittleEndian(loaded.Slice(directory));
        uint size = BinaryPrimitives.ReadUInt32LittleEndian(loaded.Slice(directory + 4));
        return new CodeImage(loaded, imageBase, rva, size);
    }

    /// <summary>SizeOfImage from the PE headers of an image whose headers start at <paramref name="headers"/>.</summary>
    public static uint SizeOfImage(ReadOnlySpan<byte> headers)
    {
        int pe = (int)BinaryPrimitives.ReadUInt32LittleEndian(headers.Slice(0x3C));
        return BinaryPrimitives.ReadUInt32LittleEndian(headers.Slice(pe + 24 + 56));
    }

    public int FunctionCount => _count;

    public RuntimeFunction Function(int index)
    {
        ReadOnlySpan<byte> entry = Bytes.Slice((int)_directory + (index * RuntimeFunctionSize), RuntimeFunctionSize);
        return new RuntimeFunction(
            index,
            BinaryPrimitives.ReadUInt32LittleEndian(entry),
            BinaryPrimitives.ReadUInt32LittleEndian(entry.Slice(4)),
            BinaryPrimitives.ReadUInt32LittleEndian(entry.Slice(8)));
    }

    public bool Contains(ulong address) => address >= Base && address - Base < (ulong)Bytes.Length;

    /// <summary>Binary search of .pdata for the function or funclet holding <paramref name="address"/>; -1 when none does.</summary>
    public int FindFunction(ulong address)
    {
        if (!Contains(address))
            return -1;
        uint rva = (uint)(address - Base);
        int low = 0;
        int high = _count - 1;
        while (low <= high)
        {
            int middle = low + ((high - low) / 2);
            RuntimeFunction function = Function(middle);
            if (rva < function.Begin)
                high = middle - 1;
            else if (rva >= function.End)
                low = middle + 1;
            else
                return middle;
        }

        return -1;
    }

    public UnwindInfo UnwindInfo(RuntimeFunction function) => new UnwindInfo(Bytes, function.UnwindInfo);

    /// <summary>
    /// The root method of a funclet: ILCompiler places funclets right after their method, so it is the
    /// nearest entry at or before <paramref name="index"/> whose unwind block says "root" (kind 0).
    /// </summary>
    public int FindRootFunction(int index)
    {
        while (index > 0 && UnwindInfo(Function(index)).FuncletKind != FuncletKind.Root)
            index--;
        return index;
    }
}

/// <summary>One RUNTIME_FUNCTION entry: [Begin, End) RVAs of a function and the RVA of its UNWIND_INFO.</summary>
public readonly struct RuntimeFunction
{
    public readonly int Index;
    public readonly uint Begin;
    public readonly uint End;
    public readonly uint UnwindInfo;

    public RuntimeFunction(int index, uint begin, uint end, uint unwindInfo)
    {
        Index = index;
        Begin = begin;
        End = end;
        UnwindInfo = unwindInfo;
    }
}
