// Wraps a file's bytes in an object: the bytes in .rdata, and two functions
// returning their address and length (C# binds to functions, not data symbols).
using static Iced.Intel.AssemblerRegisters;

namespace AsmGen;

public static class EmbeddedFile
{
    public static NativeObject Build(byte[] content, string name)
    {
        var native = new NativeObject();
        native.ReadOnlyData.Symbols.Add(new CoffSymbol(name + "_data", 0, IsFunction: false));
        native.ReadOnlyData.Data.AddRange(content);
        native.ReadOnlyData.Align(16, 0);
        native.Function(name, $"Returns the address of the embedded {name} bytes.", f =>
        {
            f.LoadAddress(rax, name + "_data");
            f.Asm.ret();
        });
        native.Function(name + "_size", $"Returns the length of the embedded {name} bytes.", f =>
        {
            f.Asm.mov(rax, (ulong)content.Length);
            f.Asm.ret();
        });
        return native;
    }
}
