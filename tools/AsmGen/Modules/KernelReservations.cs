// Data the kernel image carries for itself: the accessor for the symbol table
// that the second link pass appends (tools/AsmGen/Symbols, build.cake's
// Kernel task). (The .bss pool of page-table frames that used to live here
// gave way to the frame allocator, Kernel/Memory/FrameAllocator.cs.)
using AsmGen.Symbols;
using static Iced.Intel.AssemblerRegisters;

namespace AsmGen.Modules;

public static class KernelReservations
{
    public static void Emit(NativeObject o)
    {
        o.Function("kernel_symbol_table_address", $"Returns the address of the symbol table ({SymbolTableObject.SectionName}, linked last).", f =>
        {
            f.LoadAddress(rax, SymbolTableObject.TableSymbol);
            f.Asm.ret();
        });
    }
}
