// Windows x64 unwind information turned into DWARF call-frame instructions for gdb
// (tools/AsmGen/Debugging/UnwindToCfi.cs): prologues like ILCompiler's, checked rule by rule.
using AsmGen.Debugging;
using Xunit;

namespace Host.Tests.Debugging;

public sealed class UnwindToCfiTests
{
    // UNWIND_INFO version 1 at RVA 0x100: header, then the codes as given (last prologue operation first).
    private static byte[]? Translate(byte flags, byte frameRegister, byte frameOffsetIn16s, params ushort[] codes)
    {
        var info = new List<byte> { (byte)(1 | (flags << 3)), 0x20, (byte)codes.Length, (byte)(frameRegister | (frameOffsetIn16s << 4)) };
        foreach (ushort code in codes)
            info.AddRange(BitConverter.GetBytes(code));
        byte[] image = new byte[0x200];
        info.CopyTo(image, 0x100);
        return UnwindToCfi.Translate((rva, count) => image.AsSpan((int)rva, count).ToArray(), 0x100);
    }

    // One code slot: prologue offset, operation, operation info.
    private static ushort Code(byte offset, byte op, byte info) => (ushort)(offset | (op << 8) | (info << 12));

    [Fact]
    public void PushesAllocationAndFramePointer_BecomeCfaRules()
    {
        // push rbp (1) ; push rbx (2) ; sub rsp, 0x20 (6) ; lea rbp, [rsp + 0x20] (11)
        byte[]? cfi = Translate(0, frameRegister: 5, frameOffsetIn16s: 2,
            Code(11, 3, 0), Code(6, 2, 3), Code(2, 0, 3), Code(1, 0, 5));
        Assert.Equal(new byte[]
        {
            0x41, 0x0E, 16, 0x86, 2, // at +1: CFA = rsp + 16, rbp at CFA - 16
            0x41, 0x0E, 24, 0x83, 3, // at +2: CFA = rsp + 24, rbx at CFA - 24
            0x44, 0x0E, 56, // at +6: CFA = rsp + 56
            0x45, 0x0C, 6, 24, // at +11: CFA = rbp + (56 - 32)
        }, cfi);
    }

    [Fact]
    public void SaveByMov_IsRelativeToTheFinalStackPointer()
    {
        // push rbp (1) ; sub rsp, 0x28 (5) ; mov [rsp + 0x20], rbx (10)
        byte[]? cfi = Translate(0, 0, 0, Code(10, 4, 3), 4, Code(5, 2, 4), Code(1, 0, 5));
        Assert.Equal(new byte[]
        {
            0x41, 0x0E, 16, 0x86, 2,
            0x44, 0x0E, 56,
            0x45, 0x83, 3, // rbx at rsp_final + 32 = CFA - 56 + 32 = CFA - 24
        }, cfi);
    }

    [Fact]
    public void LargeAllocations_UseTheirOperandSlots()
    {
        // sub rsp, 0x1000 (7): UWOP_ALLOC_LARGE info 0, size / 8 in the next slot; then sub rsp, 0x12340 (14): info 1, 32-bit size.
        byte[]? cfi = Translate(0, 0, 0, Code(14, 1, 1), 0x2340, 0x0001, Code(7, 1, 0), 0x1000 / 8);
        Assert.Equal(new byte[] { 0x47, 0x0E, 0x88, 0x20, 0x47, 0x0E, 0xC8, 0xE6, 0x04 }, cfi);
        // 8 + 0x1000 = 4104 = ULEB 0x88 0x20; 4104 + 0x12340 = 78664 = ULEB 0xC8 0xE6 0x04
    }

    [Fact]
    public void MachineFrame_CannotBeExpressed()
        => Assert.Null(Translate(0, 0, 0, Code(0, 10, 0)));

    [Fact]
    public void ChainedInfo_StartsFromTheParentsFinalState()
    {
        // Parent at 0x180: push rbp (1). Child at 0x100: chained, no codes of its own, parent RUNTIME_FUNCTION after the (empty) codes.
        byte[] image = new byte[0x200];
        new byte[] { 1, 4, 1, 0 }.CopyTo(image, 0x180);
        BitConverter.GetBytes(Code(1, 0, 5)).CopyTo(image, 0x184);
        new byte[] { 1 | (4 << 3), 0, 0, 0 }.CopyTo(image, 0x100);
        BitConverter.GetBytes(0x1000u).CopyTo(image, 0x104);
        BitConverter.GetBytes(0x1010u).CopyTo(image, 0x108);
        BitConverter.GetBytes(0x180u).CopyTo(image, 0x10C);
        byte[]? cfi = UnwindToCfi.Translate((rva, count) => image.AsSpan((int)rva, count).ToArray(), 0x100);
        Assert.Equal(new byte[] { 0x0E, 16, 0x86, 2 }, cfi); // the parent's push, in force from the child's first byte
    }
}
