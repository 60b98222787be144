// Cooperative cancellation in .NET's shape: a CancellationTokenSource hands
// out tokens; code that waits (Task.Delay, the key stream) registers a
// callback, and Cancel runs the callbacks at once, in registration order
// reversed (as .NET does). Registrations are a doubly linked list so that
// disposing one (a timer that fired first) is O(1).
namespace System.Threading;

public readonly struct CancellationToken
{
    private readonly CancellationTokenSource _source;

    internal CancellationToken(CancellationTokenSource source) => _source = source;

    public static CancellationToken None => default;

    public bool IsCancellationRequested => _source is not null && _source.IsCancellationRequested;

    public bool CanBeCanceled => _source is not null;

    public CancellationTokenRegistration Register(Action callback)
        => Register(static state => ((Action)state)(), callback);

    /// <summary>
    /// Runs <paramref name="callback"/> when the token is canceled (at once, if it is already). The registration
    /// allocates one node; disposing it removes the callback.
    /// </summary>
    public CancellationTokenRegistration Register(Action<object> callback, object state)
    {
        if (_source is null)
            return default;
        return _source.Register(callback, state);
    }

    public void ThrowIfCancellationRequested()
    {
        if (IsCancellationRequested)
            throw new OperationCanceledException("The operation was canceled.");
    }
}

public readonly struct CancellationTokenRegistration : IDisposable
{
    private readonly CancellationTokenSource.Node _node;

    internal CancellationTokenRegistration(CancellationTokenSource.Node node) => _node = node;

    /// <summary>Removes the callback; true when it had not run yet.</summary>
    public bool Unregister() => _node is not null && _node.Source.Unregister(_node);

    public void Dispose() => Unregister();
}

public class CancellationTokenSource : IDisposable
{
    private Node _head;
    private bool _canceled;

    public bool IsCancellationRequested => _canceled;

    public CancellationToken Token => new(this);

    public void Cancel()
    {
        if (_canceled)
            return;
        _canceled = true;
        while (_head is not null)
        {
            Node node = _head;
            Unregister(node);
            node.Callback(node.State);
        }
    }

    public void Dispose()
    {
        _head = null;
    }

    internal CancellationTokenRegistration Register(Action<object> callback, object state)
    {
        if (_canceled)
        {
            callback(state);
            return default;
        }

        var node = new Node(this, callback, state) { Next = _head };
        if (_head is not null)
            _head.Previous = node;
        _head = node;
        return new CancellationTokenRegistration(node);
    }

    internal bool Unregister(Node node)
    {
        if (!node.Registered)
            return false;
        node.Registered = false;
        if (node.Previous is not null)
            node.Previous.Next = node.Next;
        else
            _head = node.Next;
        if (node.Next is not null)
            node.Next.Previous = node.Previous;
        node.Next = null;
        node.Previous = null;
        return true;
    }

    internal sealed class Node
    {
        public readonly CancellationTokenSource Source;
        public readonly Action<object> Callback;
        public readonly object State;
        public Node Next;
        public Node Previous;
        public bool Registered = true;

        public Node(CancellationTokenSource source, Action<object> callback, object state)
        {
            Source = source;
            Callback = callback;
            State = state;
        }
    }
}
