// The register state of one stack frame as the unwinder sees it: the sixteen
// general registers, RIP and the sixteen XMM registers. The layout is a
// contract with the machine code in tools/AsmGen/Modules/ExceptionGlue.cs,
// which fills it when a throw starts and loads it to call a funclet or to
// resume after a catch: general register n at 8 * n (x64 numbering: rax,
// rcx, rdx, rbx, rsp, rbp, rsi, rdi, r8..r15), RIP at 128, RFLAGS at 136,
// XMM register n at 144 + 16 * n.
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Internal.Runtime.Unwinding;

[StructLayout(LayoutKind.Sequential)]
public struct UnwindContext
{
    public const int RipOffset = 128;
    public const int FlagsOffset = 136;
    public const int XmmOffset = 144;
    public const int Size = XmmOffset + (16 * 16);

    public const int Rax = 0;
    public const int Rcx = 1;
    public const int Rdx = 2;
    public const int Rbx = 3;
    public const int Rsp = 4;
    public const int Rbp = 5;
    public const int Rsi = 6;
    public const int Rdi = 7;

    private ulong _r0, _r1, _r2, _r3, _r4, _r5, _r6, _r7, _r8, _r9, _r10, _r11, _r12, _r13, _r14, _r15;

    /// <summary>The instruction pointer: for every frame but a faulting one, a return address.</summary>
    public ulong Ip;

    public ulong Flags;

    private ulong _x0, _x1, _x2, _x3, _x4, _x5, _x6, _x7, _x8, _x9, _x10, _x11, _x12, _x13, _x14, _x15;
    private ulong _x16, _x17, _x18, _x19, _x20, _x21, _x22, _x23, _x24, _x25, _x26, _x27, _x28, _x29, _x30, _x31;

    public ulong StackPointer
    {
        readonly get => _r4;
        set => _r4 = value;
    }

    /// <summary>General register <paramref name="number"/> (0-15, x64 encoding order).</summary>
    [UnscopedRef]
    public ref ulong Register(int number) => ref Unsafe.Add(ref _r0, number & 15);

    /// <summary>The low half of XMM register <paramref name="number"/>; the high half follows it.</summary>
    [UnscopedRef]
    public ref ulong XmmLow(int number) => ref Unsafe.Add(ref _x0, 2 * (number & 15));

    [UnscopedRef]
    public ref ulong XmmHigh(int number) => ref Unsafe.Add(ref _x0, (2 * (number & 15)) + 1);
}
