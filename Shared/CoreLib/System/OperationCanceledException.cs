// The exceptions of the task library: cancellation and faulted tasks.
namespace System;

public class OperationCanceledException : SystemException
{
    public OperationCanceledException() : base("The operation was canceled.") { }
    public OperationCanceledException(string message) : base(message) { }
    protected internal override string TypeName => "System.OperationCanceledException";
}

public class AggregateException : Exception
{
    public AggregateException(Exception innerException) : base("One or more errors occurred.", innerException) { }
    protected internal override string TypeName => "System.AggregateException";
}
