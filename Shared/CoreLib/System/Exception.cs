// The exception types, and what an exception carries: its message, the
// exception that caused it, and the stack trace the dispatcher records while
// it walks the frames (System/Runtime/ExceptionHandling.cs). There is no
// reflection, so each type names itself (TypeName); the trace holds code
// addresses, turned into "at Name+0x1c" lines by the symbolizer the image
// installs (Internal.Runtime.StackTraceSymbols).
using Internal.Runtime;

namespace System;

public class Exception
{
    private const int MaxTraceFrames = 64;

    private readonly string _message;
    private readonly Exception _innerException;
    private ulong[] _stackTrace;
    private int _stackTraceCount;

    /// <summary>True when the first frame's address is the faulting instruction (a hardware fault), not a return address.</summary>
    internal bool FaultedAtFirstFrame;

    public Exception()
    {
    }

    public Exception(string message) => _message = message;

    public Exception(string message, Exception innerException)
    {
        _message = message;
        _innerException = innerException;
    }

    public virtual string Message => _message ?? "Exception of type '" + TypeName + "' was thrown.";

    public Exception InnerException => _innerException;

    public int HResult { get; set; }

    /// <summary>The full type name printed by the panic report (there is no reflection to find it).</summary>
    protected internal virtual string TypeName => "System.Exception";

    /// <summary>One line per frame the exception passed through while it was dispatched, innermost first.</summary>
    public virtual string StackTrace
    {
        get
        {
            string trace = "";
            for (int i = 0; i < _stackTraceCount; i++)
            {
                ulong address = _stackTrace[i];
                // A return address may already be the next function's first byte: look up the call itself.
                string name = StackTraceSymbols.Describe(i == 0 && FaultedAtFirstFrame ? address : address - 1, address);
                trace = trace + (i == 0 ? "   at " : "\n   at ") + name;
            }

            if (_stackTraceCount == MaxTraceFrames)
                trace = trace + "\n   ...";
            return trace;
        }
    }

    /// <summary>How many frames the trace holds.</summary>
    public int StackFrameCount => _stackTraceCount;

    /// <summary>The code address of frame <paramref name="index"/> (0 = where it was thrown).</summary>
    public ulong StackFrameAddress(int index) => _stackTrace[index];

    internal void ResetStackTrace()
    {
        _stackTraceCount = 0;
        FaultedAtFirstFrame = false;
    }

    // A rethrow keeps the frames recorded so far and appends the ones it passes.
    internal void AppendStackFrame(ulong address)
    {
        _stackTrace ??= new ulong[MaxTraceFrames];
        if (_stackTraceCount < MaxTraceFrames)
            _stackTrace[_stackTraceCount++] = address;
    }

    public override string ToString()
    {
        string text = TypeName + ": " + Message;
        if (_innerException is not null)
            text = text + "\n ---> " + _innerException.ToString() + "\n   --- End of inner exception stack trace ---";
        string trace = StackTrace;
        return trace.Length == 0 ? text : text + "\n" + trace;
    }
}

public class SystemException : Exception
{
    public SystemException() { }
    public SystemException(string message) : base(message) { }
    public SystemException(string message, Exception innerException) : base(message, innerException) { }
    protected internal override string TypeName => "System.SystemException";
}

public class ArgumentException : SystemException
{
    public ArgumentException() { }
    public ArgumentException(string message) : base(message) { }
    public ArgumentException(string message, string paramName) : base(message) => ParamName = paramName;
    public ArgumentException(string message, Exception innerException) : base(message, innerException) { }
    public virtual string ParamName { get; }
    protected internal override string TypeName => "System.ArgumentException";
}

public class ArgumentNullException : ArgumentException
{
    public ArgumentNullException() : base("Value cannot be null.") { }
    public ArgumentNullException(string paramName) : base("Value cannot be null.", paramName) { }
    public ArgumentNullException(string paramName, string message) : base(message, paramName) { }
    protected internal override string TypeName => "System.ArgumentNullException";
}

public class ArgumentOutOfRangeException : ArgumentException
{
    public ArgumentOutOfRangeException() : base("Specified argument was out of the range of valid values.") { }
    public ArgumentOutOfRangeException(string paramName) : base("Specified argument was out of the range of valid values.", paramName) { }
    public ArgumentOutOfRangeException(string paramName, string message) : base(message, paramName) { }
    protected internal override string TypeName => "System.ArgumentOutOfRangeException";
}

public class InvalidOperationException : SystemException
{
    public InvalidOperationException() : base("Operation is not valid due to the current state of the object.") { }
    public InvalidOperationException(string message) : base(message) { }
    public InvalidOperationException(string message, Exception innerException) : base(message, innerException) { }
    protected internal override string TypeName => "System.InvalidOperationException";
}

public class NotSupportedException : SystemException
{
    public NotSupportedException() : base("Specified method is not supported.") { }
    public NotSupportedException(string message) : base(message) { }
    protected internal override string TypeName => "System.NotSupportedException";
}

public class PlatformNotSupportedException : NotSupportedException
{
    public PlatformNotSupportedException() : base("Operation is not supported on this platform.") { }
    public PlatformNotSupportedException(string message) : base(message) { }
    protected internal override string TypeName => "System.PlatformNotSupportedException";
}

public class NotImplementedException : SystemException
{
    public NotImplementedException() : base("The method or operation is not implemented.") { }
    public NotImplementedException(string message) : base(message) { }
    protected internal override string TypeName => "System.NotImplementedException";
}

public sealed class IndexOutOfRangeException : SystemException
{
    public IndexOutOfRangeException() : base("Index was outside the bounds of the array.") { }
    public IndexOutOfRangeException(string message) : base(message) { }
    protected internal override string TypeName => "System.IndexOutOfRangeException";
}

public class NullReferenceException : SystemException
{
    public NullReferenceException() : base("Object reference not set to an instance of an object.") { }
    public NullReferenceException(string message) : base(message) { }
    protected internal override string TypeName => "System.NullReferenceException";
}

public class ArithmeticException : SystemException
{
    public ArithmeticException() : base("Overflow or underflow in the arithmetic operation.") { }
    public ArithmeticException(string message) : base(message) { }
    protected internal override string TypeName => "System.ArithmeticException";
}

public class OverflowException : ArithmeticException
{
    public OverflowException() : base("Arithmetic operation resulted in an overflow.") { }
    public OverflowException(string message) : base(message) { }
    protected internal override string TypeName => "System.OverflowException";
}

public class DivideByZeroException : ArithmeticException
{
    public DivideByZeroException() : base("Attempted to divide by zero.") { }
    public DivideByZeroException(string message) : base(message) { }
    protected internal override string TypeName => "System.DivideByZeroException";
}

public class InvalidCastException : SystemException
{
    public InvalidCastException() : base("Specified cast is not valid.") { }
    public InvalidCastException(string message) : base(message) { }
    protected internal override string TypeName => "System.InvalidCastException";
}

public class ArrayTypeMismatchException : SystemException
{
    public ArrayTypeMismatchException() : base("Attempted to access an element as a type incompatible with the array.") { }
    public ArrayTypeMismatchException(string message) : base(message) { }
    protected internal override string TypeName => "System.ArrayTypeMismatchException";
}

public class OutOfMemoryException : SystemException
{
    public OutOfMemoryException() : base("Insufficient memory to continue the execution of the program.") { }
    public OutOfMemoryException(string message) : base(message) { }
    protected internal override string TypeName => "System.OutOfMemoryException";
}

public class FormatException : SystemException
{
    public FormatException() : base("One of the identified items was in an invalid format.") { }
    public FormatException(string message) : base(message) { }
    protected internal override string TypeName => "System.FormatException";
}

public class TypeLoadException : SystemException
{
    public TypeLoadException() : base("Failure has occurred while loading a type.") { }
    public TypeLoadException(string message) : base(message) { }
    protected internal override string TypeName => "System.TypeLoadException";
}

public class InvalidProgramException : SystemException
{
    public InvalidProgramException() : base("Common Language Runtime detected an invalid program.") { }
    public InvalidProgramException(string message) : base(message) { }
    protected internal override string TypeName => "System.InvalidProgramException";
}
