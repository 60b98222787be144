// Names for the code addresses in exception stack traces. The runtime library
// knows no symbols; the kernel installs a resolver over its embedded symbol
// table (Kernel/Diagnostics/Symbols.cs). Without one, addresses print in hex.
namespace Internal.Runtime;

public static unsafe class StackTraceSymbols
{
    private static delegate*<ulong, ulong, string> s_resolver;

    /// <summary>
    /// Installs the resolver: given the address to look up (for a return address, the byte before it, which
    /// belongs to the call) and the address to print, it returns "Name+0xOFFSET", or null when it knows none.
    /// </summary>
    public static void SetResolver(delegate*<ulong, ulong, string> resolver) => s_resolver = resolver;

    /// <summary>The frame's name found through <paramref name="lookup"/>, or <paramref name="address"/> in hex.</summary>
    internal static string Describe(ulong lookup, ulong address)
    {
        delegate*<ulong, ulong, string> resolver = s_resolver;
        string name = resolver != null ? resolver(lookup, address) : null;
        return name ?? "0x" + address.ToString("X16");
    }
}
