// Runs static constructors on first use. The compiler places a context in
// front of each class's statics; a non-zero cctorMethodAddress means "not run
// yet". The address is cleared before the constructor runs, so a constructor
// that touches its own class's statics does not recurse (single CPU, no
// concurrent initialization).
namespace System.Runtime.CompilerServices;

internal static unsafe class ClassConstructorRunner
{
    private static IntPtr CheckStaticClassConstructionReturnNonGCStaticBase(StaticClassConstructionContext* context, IntPtr nonGcStaticBase)
    {
        EnsureClassConstructorRun(context);
        return nonGcStaticBase;
    }

    private static object CheckStaticClassConstructionReturnGCStaticBase(StaticClassConstructionContext* context, object gcStaticBase)
    {
        EnsureClassConstructorRun(context);
        return gcStaticBase;
    }

    private static void EnsureClassConstructorRun(StaticClassConstructionContext* context)
    {
        IntPtr constructor = context->cctorMethodAddress;
        if (constructor == IntPtr.Zero)
            return;
        context->cctorMethodAddress = IntPtr.Zero;
        ((delegate*<void>)constructor)();
    }
}

public struct StaticClassConstructionContext
{
    public IntPtr cctorMethodAddress;
}
