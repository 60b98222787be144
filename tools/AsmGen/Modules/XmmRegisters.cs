// XMM registers by number, for the code that saves and restores a run of them
// (interrupt entry stubs: xmm0-5; guarded calls: xmm6-15).
using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace AsmGen.Modules;

internal static class XmmRegisters
{
    private static readonly AssemblerRegisterXMM[] s_registers =
    {
        xmm0, xmm1, xmm2, xmm3, xmm4, xmm5, xmm6, xmm7,
        xmm8, xmm9, xmm10, xmm11, xmm12, xmm13, xmm14, xmm15,
    };

    public static AssemblerRegisterXMM Get(int index)
        => index >= 0 && index < s_registers.Length ? s_registers[index] : throw new ArgumentOutOfRangeException(nameof(index), index, "xmm0-xmm15");
}
