// What an interrupt handler sees: the interrupted code's registers, the
// vector, the error code and the CPU's own frame, exactly as the entry stub
// (tools/AsmGen/Modules/InterruptStubs.cs) leaves them on the stack. A
// handler may change any field - RIP to resume elsewhere, RAX to return a
// value - and iretq brings the changed state back. The offsets are checked
// against the decoded stub by tests/Host.Tests/AsmGen/InterruptStubTests.cs,
// which compiles this file too (so it stays plain C#).
using System.Runtime.InteropServices;

namespace Kernel.Arch;

[StructLayout(LayoutKind.Sequential)]
public struct InterruptFrame
{
    public const int Size = 22 * 8;

    // Pushed by interrupt_common, last pushed first.
    public ulong R15;
    public ulong R14;
    public ulong R13;
    public ulong R12;
    public ulong R11;
    public ulong R10;
    public ulong R9;
    public ulong R8;
    public ulong Rbp;
    public ulong Rdi;
    public ulong Rsi;
    public ulong Rdx;
    public ulong Rcx;
    public ulong Rbx;
    public ulong Rax;

    // Pushed by the vector's stub.
    public ulong Vector;

    /// <summary>The CPU's error code for vectors 8, 10-14, 17, 21, 29, 30; 0 (pushed by the stub) for the others.</summary>
    public ulong ErrorCode;

    // Pushed by the CPU.
    public ulong Rip;
    public ulong Cs;
    public ulong Rflags;
    public ulong Rsp;
    public ulong Ss;

    /// <summary>True when the interrupted code ran in ring 3.</summary>
    public readonly bool FromUserMode => (Cs & 3) == 3;
}
