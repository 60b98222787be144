// The interfaces and attribute the C# compiler builds async methods on: the
// state machine it generates (IAsyncStateMachine), what an awaiter must offer
// (INotifyCompletion / ICriticalNotifyCompletion) and the attribute that names
// a task-like type's builder (docs/async.md).
namespace System.Runtime.CompilerServices;

public interface IAsyncStateMachine
{
    void MoveNext();

    void SetStateMachine(IAsyncStateMachine stateMachine);
}

public interface INotifyCompletion
{
    void OnCompleted(Action continuation);
}

public interface ICriticalNotifyCompletion : INotifyCompletion
{
    void UnsafeOnCompleted(Action continuation);
}

[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Interface | AttributeTargets.Delegate | AttributeTargets.Enum | AttributeTargets.Method, Inherited = false)]
public sealed class AsyncMethodBuilderAttribute : Attribute
{
    public AsyncMethodBuilderAttribute(Type builderType) => BuilderType = builderType;

    public Type BuilderType { get; }
}

[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class AsyncStateMachineAttribute : Attribute
{
    public AsyncStateMachineAttribute(Type stateMachineType) => StateMachineType = stateMachineType;

    public Type StateMachineType { get; }
}
