// Assertions. They are always checked: in a kernel a broken invariant should
// stop the machine where it broke, not three subsystems later.
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Internal.Runtime;

namespace System.Diagnostics;

public static class Debug
{
    public static void Assert([DoesNotReturnIf(false)] bool condition, string message = null, [CallerArgumentExpression(nameof(condition))] string expression = null)
    {
        if (!condition)
            RuntimeFailure.Fail("assertion failed", message ?? expression ?? "");
    }

    [DoesNotReturn]
    public static void Fail(string message) => RuntimeFailure.Fail("assertion failed", message);
}

[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, Inherited = false)]
public sealed class ConditionalAttribute : Attribute
{
    public ConditionalAttribute(string conditionString) => ConditionString = conditionString;

    public string ConditionString { get; }
}

[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method | AttributeTargets.Constructor | AttributeTargets.Struct, Inherited = false)]
public sealed class StackTraceHiddenAttribute : Attribute
{
}

[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Constructor | AttributeTargets.Method | AttributeTargets.Property, Inherited = false)]
public sealed class DebuggerStepThroughAttribute : Attribute
{
}

[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Constructor | AttributeTargets.Method | AttributeTargets.Property, Inherited = false)]
public sealed class DebuggerHiddenAttribute : Attribute
{
}

[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Enum | AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Delegate, AllowMultiple = true)]
public sealed class DebuggerDisplayAttribute : Attribute
{
    public DebuggerDisplayAttribute(string value) => Value = value;

    public string Value { get; }
}

[AttributeUsage(AttributeTargets.Assembly | AttributeTargets.Module, AllowMultiple = false)]
public sealed class DebuggableAttribute : Attribute
{
    [Flags]
    public enum DebuggingModes
    {
        None = 0x0,
        Default = 0x1,
        DisableOptimizations = 0x100,
        IgnoreSymbolStoreSequencePoints = 0x2,
        EnableEditAndContinue = 0x4,
    }

    public DebuggableAttribute(DebuggingModes modes)
    {
    }
}
