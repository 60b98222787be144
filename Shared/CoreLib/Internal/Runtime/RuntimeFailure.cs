// The end of the road for anything the runtime cannot continue from: a throw
// (there is no unwinder), a failed cast, an out-of-range index, an allocation
// that cannot be satisfied. The image installs a handler that reports the
// failure (the kernel's panic screen, the loader's firmware console); without
// one, or if the handler itself fails, the CPU is halted.
using System.Diagnostics.CodeAnalysis;

namespace Internal.Runtime;

public static unsafe class RuntimeFailure
{
    private static delegate*<string, string, string, void> s_handler;
    private static bool s_failing;

    /// <summary>
    /// Installs the reporter. It receives (kind, message, detail) - e.g. ("System.IndexOutOfRangeException",
    /// "Index was outside the bounds of the array.", null) - and must not return.
    /// </summary>
    public static void SetHandler(delegate*<string, string, string, void> handler) => s_handler = handler;

    [DoesNotReturn]
    public static void Fail(string kind, string message, string detail = null)
    {
        delegate*<string, string, string, void> handler = s_handler;
        if (!s_failing && handler != null)
        {
            s_failing = true;
            handler(kind, message, detail);
        }

        RuntimeImports.HaltForever();
        while (true)
        {
        }
    }

    /// <summary>True once a failure is being reported (a second failure only halts).</summary>
    public static bool IsFailing => s_failing;
}
