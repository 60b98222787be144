// Turns ILCompiler's linker names back into something a reader recognizes:
//   Kernel_Kernel_Diagnostics_Panic__Fail                 -> Kernel.Diagnostics.Panic.Fail
//   S_P_CoreLib_System_Collections_Generic_List_1<Int32>__Add -> System.Collections.Generic.List<Int32>.Add
// ILC writes <module prefix><namespace and type, '_' for '.'>__<method>.
// The mangling is not reversible ('_' inside a type name looks like a
// namespace dot), so this is for reading, not for looking names up. Names
// without a known module prefix (the machine-code helpers, runtime glue,
// compiler-generated thunks) stay as they are.
using System.Text;

namespace AsmGen.Symbols;

public static class SymbolNames
{
    /// <summary>ILC's prefixes for the assemblies in the images (S_P_CoreLib_ is System.Private.CoreLib).</summary>
    private static readonly string[] s_modulePrefixes = { "S_P_CoreLib_", "Kernel_", "Efi_" };

    public static bool IsManaged(string name) => ModulePrefixLength(name) > 0 && FindMethodSeparator(name, ModulePrefixLength(name)) > 0;

    public static string Readable(string name)
    {
        int prefix = ModulePrefixLength(name);
        if (prefix == 0)
            return name;
        int separator = FindMethodSeparator(name, prefix);
        if (separator < 0)
            return name;

        string type = TypeName(name[prefix..separator]);
        string method = Generics(name[(separator + 2)..]);
        return type + "." + method;
    }

    private static int ModulePrefixLength(string name)
    {
        foreach (string prefix in s_modulePrefixes)
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal) && name.Length > prefix.Length)
                return prefix.Length;
        }

        return 0;
    }

    // The first "__" outside generic arguments separates the type from the method.
    private static int FindMethodSeparator(string name, int start)
    {
        int depth = 0;
        for (int i = start; i < name.Length - 1; i++)
        {
            char c = name[i];
            if (c == '<')
                depth++;
            else if (c == '>')
                depth--;
            else if (depth == 0 && c == '_' && name[i + 1] == '_')
                return i;
        }

        return -1;
    }

    // Namespace and type: '_' becomes '.', and a generic arity ("List_1<") is dropped since the
    // arguments that follow show it.
    private static string TypeName(string mangled)
    {
        var text = new StringBuilder(mangled.Length);
        int depth = 0;
        for (int i = 0; i < mangled.Length; i++)
        {
            char c = mangled[i];
            if (depth == 0 && c == '_' && IsArity(mangled, i))
            {
                while (mangled[i + 1] != '<')
                    i++;
                continue;
            }

            if (c == '<')
            {
                int close = MatchingClose(mangled, i);
                text.Append(Generics(mangled[i..(close + 1)]));
                i = close;
                continue;
            }

            text.Append(depth == 0 && c == '_' ? '.' : c);
        }

        return text.ToString();
    }

    // "_<digits><" at position i.
    private static bool IsArity(string text, int i)
    {
        int j = i + 1;
        while (j < text.Length && char.IsAsciiDigit(text[j]))
            j++;
        return j > i + 1 && j < text.Length && text[j] == '<';
    }

    private static int MatchingClose(string text, int open)
    {
        int depth = 0;
        for (int i = open; i < text.Length; i++)
        {
            if (text[i] == '<')
                depth++;
            else if (text[i] == '>' && --depth == 0)
                return i;
        }

        return text.Length - 1;
    }

    // Inside generic arguments ILC separates arguments with "__" and writes the shared-code
    // placeholder System.__Canon as System___Canon; outside them "__" is part of the name.
    private static string Generics(string text)
    {
        const char Canon = '\u0001';
        text = text.Replace("System___Canon", Canon + "Canon", StringComparison.Ordinal);
        var result = new StringBuilder(text.Length);
        int depth = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '<')
                depth++;
            else if (c == '>')
                depth--;

            if (depth > 0 && c == '_' && i + 1 < text.Length && text[i + 1] == '_')
            {
                result.Append(", ");
                i++;
                continue;
            }

            result.Append(c);
        }

        return result.ToString().Replace(Canon.ToString(), "__", StringComparison.Ordinal);
    }
}
