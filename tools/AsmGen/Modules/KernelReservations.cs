// Memory and data the kernel image carries for itself before it has a frame
// allocator: a pool of page-table frames (.bss) for the mappings it makes at
// start-up (the IST stacks), and the accessor for the symbol table that the
// second link pass appends (tools/AsmGen/Symbols, build.cake's Kernel task).
using AsmGen.Symbols;
using static Iced.Intel.AssemblerRegisters;

namespace AsmGen.Modules;

public static class KernelReservations
{
    /// <summary>Frames for new page tables: enough for the IST mappings with room to spare.</summary>
    public const uint PageTableFramePoolPages = 16;

    /// <summary>
    /// The kernel heap's region until the paging layer's growable heap region is wired in
    /// (Kernel/Memory/Heap/HeapBacking.cs): zero-filled .bss, so it costs nothing in the file.
    /// </summary>
    public const uint HeapReserveBytes = 64u << 20;

    public static void Emit(NativeObject o)
    {
        const string pool = "kernel_page_table_frame_pool";
        o.Reserve(pool, PageTableFramePoolPages * 4096, 4096);
        o.Function(pool + "_address", "Returns the start of the page-table frame pool (.bss, page aligned).", f =>
        {
            f.LoadAddress(rax, pool);
            f.Asm.ret();
        });
        o.Function(pool + "_size", "Returns the size of the page-table frame pool in bytes.", f =>
        {
            f.Asm.mov(eax, PageTableFramePoolPages * 4096);
            f.Asm.ret();
        });

        const string heap = "kernel_heap_reserve";
        o.Reserve(heap, HeapReserveBytes, 4096);
        o.Function(heap + "_address", "Returns the start of the kernel heap's reserved region (.bss, page aligned).", f =>
        {
            f.LoadAddress(rax, heap);
            f.Asm.ret();
        });
        o.Function(heap + "_size", "Returns the size of the kernel heap's reserved region in bytes.", f =>
        {
            f.Asm.mov(eax, HeapReserveBytes);
            f.Asm.ret();
        });

        o.Function("kernel_symbol_table_address", $"Returns the address of the symbol table ({SymbolTableObject.SectionName}, linked last).", f =>
        {
            f.LoadAddress(rax, SymbolTableObject.TableSymbol);
            f.Asm.ret();
        });
    }
}
