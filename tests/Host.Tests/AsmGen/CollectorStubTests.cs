// gc_spill_and_scan decoded back with Iced: it must push every callee-saved
// register of the Microsoft x64 ABI (so that a reference held only in a
// register is on the stack when the collector scans it), hand the scanner
// the address of the lowest pushed word, call it with the stack aligned, and
// restore the registers in reverse order.
using AsmGen;
using AsmGen.Modules;
using Iced.Intel;
using Xunit;

namespace Host.Tests.AsmGen;

public sealed class CollectorStubTests
{
    [Fact]
    public void SpillAndScan_PushesEveryCalleeSavedRegister_AndCallsTheScannerAligned()
    {
        NativeObject kernel = NativeImage.Build(ImageKind.Kernel);
        NativeFunction f = kernel.Functions.Single(x => x.Name == "gc_spill_and_scan");
        byte[] code = kernel.Text.Data.Skip(f.Offset).Take(f.Size).ToArray();
        var decoder = Decoder.Create(64, new ByteArrayCodeReader(code));
        var instructions = new List<Instruction>();
        while (decoder.IP < (ulong)code.Length)
        {
            decoder.Decode(out Instruction instruction);
            Assert.False(instruction.IsInvalid);
            instructions.Add(instruction);
        }

        Register[] calleeSaved = { Register.RBX, Register.RBP, Register.RDI, Register.RSI, Register.R12, Register.R13, Register.R14, Register.R15 };
        Register[] pushed = instructions.TakeWhile(i => i.Mnemonic == Mnemonic.Push).Select(i => i.Op0Register).ToArray();
        Assert.Equal(calleeSaved.OrderBy(r => r), pushed.OrderBy(r => r));
        Assert.Equal(Collector.SpilledRegisters.Length, pushed.Length);

        // rcx = rsp right after the pushes: the scanner sees the spilled registers first.
        int afterPushes = pushed.Length;
        Assert.Contains(instructions.Skip(afterPushes).TakeWhile(i => i.Mnemonic != Mnemonic.Sub),
            i => i.Mnemonic == Mnemonic.Mov && i.Op0Register == Register.RCX && i.Op1Register == Register.RSP);

        // Entry rsp = 8 (mod 16); pushes and the sub before the call must bring it to 0 (mod 16).
        Instruction sub = instructions.First(i => i.Mnemonic == Mnemonic.Sub && i.Op0Register == Register.RSP);
        Assert.Equal(0, (8 + (8 * pushed.Length) + (int)sub.GetImmediate(1)) % 16);
        Assert.True(sub.GetImmediate(1) >= 32, "shadow space for the call");
        Assert.Contains(instructions, i => i.Mnemonic == Mnemonic.Call && i.Op0Register == Register.RAX);

        Register[] popped = instructions.Where(i => i.Mnemonic == Mnemonic.Pop).Select(i => i.Op0Register).ToArray();
        Assert.Equal(pushed.Reverse(), popped);
        Assert.Equal(Mnemonic.Ret, instructions[^1].Mnemonic);
    }
}
