// Delegates. ILCompiler builds every delegate by calling one of the
// Initialize* methods below and compiles Invoke as "load _firstParameter,
// call _functionPointer". Static targets go through a compiler-generated thunk
// that reads the real target from _extraFunctionPointerOrData.
using System.Runtime;

namespace System;

public abstract unsafe class Delegate
{
    // Field names are looked up by the compiler.
    internal object _firstParameter;
    internal object _helperObject;
    internal nint _extraFunctionPointerOrData;
    internal IntPtr _functionPointer;

    // Overridden by the compiler in every delegate type.
    protected virtual IntPtr GetThunk(int whichThunk) => IntPtr.Zero;

    private void InitializeClosedInstance(object firstParameter, IntPtr functionPointer)
    {
        if (firstParameter is null)
            ThrowHelper.ThrowNullReference("Delegate to an instance method cannot have null 'this'.");
        _functionPointer = functionPointer;
        _firstParameter = firstParameter;
    }

    private void InitializeClosedInstanceSlow(object firstParameter, IntPtr functionPointer)
        => InitializeClosedInstance(firstParameter, functionPointer);

    private void InitializeClosedInstanceWithoutNullCheck(object firstParameter, IntPtr functionPointer)
    {
        _functionPointer = functionPointer;
        _firstParameter = firstParameter;
    }

    private void InitializeClosedInstanceToInterface(object firstParameter, IntPtr dispatchCell)
    {
        if (firstParameter is null)
            ThrowHelper.ThrowNullReference("Delegate to an interface method cannot have null 'this'.");
        _functionPointer = InterfaceDispatch.ResolveFromCell(firstParameter, dispatchCell);
        _firstParameter = firstParameter;
    }

    private void InitializeClosedInstanceWithGVMResolution(object firstParameter, RuntimeMethodHandle tokenOfGenericVirtualMethod)
        => ThrowHelper.ThrowNotSupported("Delegates to generic virtual methods are not supported by this runtime.");

    private void InitializeClosedStaticThunk(object firstParameter, IntPtr functionPointer, IntPtr functionPointerThunk)
    {
        _extraFunctionPointerOrData = functionPointer;
        _helperObject = firstParameter;
        _functionPointer = functionPointerThunk;
        _firstParameter = this;
    }

    private void InitializeClosedStaticWithoutThunk(object firstParameter, IntPtr functionPointer)
    {
        _functionPointer = functionPointer;
        _firstParameter = firstParameter;
    }

    private void InitializeOpenStaticThunk(object firstParameter, IntPtr functionPointer, IntPtr functionPointerThunk)
    {
        _firstParameter = this;
        _functionPointer = functionPointerThunk;
        _extraFunctionPointerOrData = functionPointer;
    }

    private void InitializeOpenStaticWithoutThunk(object firstParameter, IntPtr functionPointer)
    {
        _firstParameter = this;
        _functionPointer = functionPointer;
    }

    private void InitializeReversePInvokeThunk(object firstParameter, IntPtr functionPointer, IntPtr functionPointerThunk)
        => InitializeOpenStaticThunk(firstParameter, functionPointer, functionPointerThunk);

    private void InitializeOpenInstanceThunk(object firstParameter, IntPtr functionPointer, IntPtr functionPointerThunk)
    {
        _firstParameter = this;
        _functionPointer = functionPointerThunk;
        _extraFunctionPointerOrData = functionPointer;
    }

    public object Target => ReferenceEquals(_firstParameter, this) ? _helperObject : _firstParameter;

    public static Delegate Combine(Delegate a, Delegate b)
    {
        if (a is null)
            return b;
        if (b is null)
            return a;
        ThrowHelper.ThrowNotSupported("Multicast delegates (combining two delegates) are not supported by this runtime.");
        return null;
    }

    public static Delegate Remove(Delegate source, Delegate value)
    {
        if (source is null || Equals(source, value))
            return null;
        return source;
    }

    public override bool Equals(object obj)
    {
        if (obj is not Delegate other || other.GetMethodTable() != GetMethodTable())
            return false;
        return _functionPointer == other._functionPointer
            && _extraFunctionPointerOrData == other._extraFunctionPointerOrData
            && ReferenceEquals(Target, other.Target);
    }

    public override int GetHashCode() => _functionPointer.GetHashCode() ^ _extraFunctionPointerOrData.GetHashCode();

    public static bool operator ==(Delegate d1, Delegate d2) => d1 is null ? d2 is null : d1.Equals(d2);

    public static bool operator !=(Delegate d1, Delegate d2) => !(d1 == d2);
}

public abstract class MulticastDelegate : Delegate
{
}
