// What goes into each image's native object, in a fixed order so the output
// is byte-for-byte reproducible.
using AsmGen.Modules;

namespace AsmGen;

public enum ImageKind
{
    Kernel,
    Loader,
}

public static class NativeImage
{
    /// <summary>Bytes of the bump region each image's runtime allocates from at start-up.</summary>
    public static uint EarlyHeapSize(ImageKind image) => image == ImageKind.Kernel ? 8u << 20 : 2u << 20;

    public static NativeObject Build(ImageKind image)
    {
        var native = new NativeObject();
        RuntimeGlue.Emit(native);
        Cpu.Emit(native);
        GuardedCall.Emit(native);
        ExceptionGlue.Emit(native);
        if (image == ImageKind.Kernel)
            EmitKernelOnly(native);
        EmitEarlyHeap(native, EarlyHeapSize(image));
        return native;
    }

    // Interrupt entry (IDT stubs, IST stacks), exception triggers, start-up reservations, symbol table access.
    private static void EmitKernelOnly(NativeObject native)
    {
        InterruptStubs.Emit(native);
        Traps.Emit(native);
        KernelReservations.Emit(native);
        Collector.Emit(native);
    }

    // The runtime's first memory: zero-filled .bss, so it costs nothing in the file.
    private static void EmitEarlyHeap(NativeObject native, uint size)
    {
        native.Reserve("rt_early_heap_region", size, 4096);
        native.Function("rt_early_heap", "Returns the start of the early heap region (.bss).", f =>
        {
            f.LoadAddress(Iced.Intel.AssemblerRegisters.rax, "rt_early_heap_region");
            f.Asm.ret();
        });
        native.Function("rt_early_heap_size", "Returns the size of the early heap region in bytes.", f =>
        {
            f.Asm.mov(Iced.Intel.AssemblerRegisters.eax, size);
            f.Asm.ret();
        });
    }
}
