// The attributes that tie managed methods to symbols: [RuntimeExport] names a
// method the compiler's generated code calls; [RuntimeImport] binds an extern
// method to a symbol defined elsewhere in the image (ILCompiler looks them up by name).
namespace System.Runtime;

/// <summary>Exports a managed method under a fixed symbol name (the runtime helpers the compiler calls).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RuntimeExportAttribute : Attribute
{
    public RuntimeExportAttribute(string entry) => EntryPoint = entry;

    public string EntryPoint { get; }
}

/// <summary>Binds an extern method to a symbol defined elsewhere in the image.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RuntimeImportAttribute : Attribute
{
    public RuntimeImportAttribute(string entry) => EntryPoint = entry;

    public RuntimeImportAttribute(string dllName, string entry)
    {
        DllName = dllName;
        EntryPoint = entry;
    }

    public string DllName { get; }

    public string EntryPoint { get; }
}
