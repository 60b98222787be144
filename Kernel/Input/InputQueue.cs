// A bounded queue of key presses between the code that receives input (the
// serial port, the keyboard through InputPump) and the code
// that reads it. Safe to fill from an interrupt handler: both ends take an
// interrupt-safe lock for a few instructions. When the reader falls behind,
// new keys are dropped (and counted) rather than old ones overwritten.
using Kernel.Sync;
using Shared.Console;

namespace Kernel.Input;

public sealed class InputQueue
{
    private readonly KeyPress[] _keys;
    private readonly SpinLock _lock;
    private int _head;
    private int _count;

    public InputQueue(string name, int capacity)
    {
        _keys = new KeyPress[capacity];
        _lock = new SpinLock(name);
    }

    public int Capacity => _keys.Length;

    public int Count => _count;

    /// <summary>Keys that arrived while the queue was full.</summary>
    public ulong Dropped { get; private set; }

    public bool TryEnqueue(KeyPress key)
    {
        using (_lock.Acquire())
        {
            if (_count == _keys.Length)
            {
                Dropped++;
                return false;
            }

            _keys[(_head + _count) % _keys.Length] = key;
            _count++;
            return true;
        }
    }

    public bool TryDequeue(out KeyPress key)
    {
        using (_lock.Acquire())
        {
            if (_count == 0)
            {
                key = default;
                return false;
            }

            key = _keys[_head];
            _head = (_head + 1) % _keys.Length;
            _count--;
            return true;
        }
    }

    public void Clear()
    {
        using (_lock.Acquire())
        {
            _head = 0;
            _count = 0;
        }
    }
}
