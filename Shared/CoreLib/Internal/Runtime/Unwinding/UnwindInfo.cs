// The Windows x64 UNWIND_INFO block (.xdata) of one function, and the block
// ILCompiler appends to it. Header: version (low 3 bits) and flags (high 5)
// of byte 0, the prolog size, the count of 2-byte unwind-code slots, the frame
// register (low nibble) and its scaled offset (high nibble); then the codes,
// latest prolog instruction first. Chained info (flag 0x4) adds, after the
// codes padded to an even count, the RUNTIME_FUNCTION whose codes continue.
//
// ILCompiler's block follows the codes directly (no padding - checked on the
// built kernel by tests/Host.Tests/Unwinding): one flags byte (low two bits:
// 0 method, 1 catch/finally/fault funclet, 2 filter funclet; 0x04 EH info
// follows; 0x08 reverse P/Invoke frame; 0x10 associated data follows), then
// the associated data's RVA if flagged, then the EH info's RVA if flagged,
// then GC info.
using System;
using System.Buffers.Binary;

namespace Internal.Runtime.Unwinding;

public enum FuncletKind : byte
{
    Root = 0,
    Handler = 1,
    Filter = 2,
}

public enum UnwindOp : byte
{
    PushNonvolatile = 0,
    AllocLarge = 1,
    AllocSmall = 2,
    SetFramePointer = 3,
    SaveNonvolatile = 4,
    SaveNonvolatileFar = 5,
    Epilog = 6,
    Spare = 7,
    SaveXmm128 = 8,
    SaveXmm128Far = 9,
    PushMachineFrame = 10,
}

public readonly ref struct UnwindInfo
{
    public const byte ChainedFlag = 0x4;
    private const byte IlcHasEHInfo = 0x04;
    private const byte IlcHasAssociatedData = 0x10;
    private const byte IlcReversePInvoke = 0x08;

    private readonly ReadOnlySpan<byte> _image;
    private readonly int _offset;

    public UnwindInfo(ReadOnlySpan<byte> image, uint rva)
    {
        _image = image;
        _offset = (int)rva;
    }

    public int Version => _image[_offset] & 7;
    public int Flags => _image[_offset] >> 3;
    public bool IsChained => (Flags & ChainedFlag) != 0;
    public int PrologSize => _image[_offset + 1];
    public int CodeCount => _image[_offset + 2];
    public int FrameRegister => _image[_offset + 3] & 0xF;

    /// <summary>The frame register's offset from RSP in bytes (the nibble is scaled by 16).</summary>
    public int FrameOffset => (_image[_offset + 3] >> 4) * 16;

    /// <summary>Slot <paramref name="index"/> of the code array (an operation, or an operand of the one before).</summary>
    public ushort Slot(int index) => BinaryPrimitives.ReadUInt16LittleEndian(_image.Slice(_offset + 4 + (2 * index)));

    public int CodeOffsetAt(int index) => Slot(index) & 0xFF;
    public UnwindOp OpAt(int index) => (UnwindOp)((Slot(index) >> 8) & 0xF);
    public int OpInfoAt(int index) => Slot(index) >> 12;

    /// <summary>How many slots the operation at <paramref name="index"/> takes, operands included.</summary>
    public int SlotsAt(int index) => OpAt(index) switch
    {
        UnwindOp.AllocLarge => OpInfoAt(index) == 0 ? 2 : 3,
        UnwindOp.SaveNonvolatile => 2,
        UnwindOp.SaveNonvolatileFar => 3,
        UnwindOp.Epilog => 2,
        UnwindOp.Spare => 3,
        UnwindOp.SaveXmm128 => 2,
        UnwindOp.SaveXmm128Far => 3,
        _ => 1,
    };

    private int EndOfCodesPadded => _offset + 4 + (2 * ((CodeCount + 1) & ~1));

    /// <summary>The function whose unwind codes continue this one's (only when IsChained).</summary>
    public RuntimeFunction Chained => new RuntimeFunction(
        -1,
        BinaryPrimitives.ReadUInt32LittleEndian(_image.Slice(EndOfCodesPadded)),
        BinaryPrimitives.ReadUInt32LittleEndian(_image.Slice(EndOfCodesPadded + 4)),
        BinaryPrimitives.ReadUInt32LittleEndian(_image.Slice(EndOfCodesPadded + 8)));

    private int IlcBlock => IsChained ? EndOfCodesPadded + 12 : _offset + 4 + (2 * CodeCount);

    /// <summary>ILCompiler's flags byte that follows the codes.</summary>
    public byte IlcFlags => _image[IlcBlock];

    public FuncletKind FuncletKind => (FuncletKind)(IlcFlags & 3);
    public bool IsReversePInvokeFrame => (IlcFlags & IlcReversePInvoke) != 0;
    public bool HasEHInfo => (IlcFlags & IlcHasEHInfo) != 0;

    /// <summary>RVA of the method's EH clauses (only when HasEHInfo).</summary>
    public uint EHInfo
    {
        get
        {
            int position = IlcBlock + 1 + ((IlcFlags & IlcHasAssociatedData) != 0 ? 4 : 0);
            return BinaryPrimitives.ReadUInt32LittleEndian(_image.Slice(position));
        }
    }
}
