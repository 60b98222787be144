// A kernel stack with an unmapped guard page right below it: running off the
// bottom touches the guard page and faults instead of silently overwriting
// whatever lies below. Fault reports use this to say "stack overflow".
namespace Kernel.Memory;

public readonly struct GuardedStack
{
    public const ulong GuardSize = 4096;

    public GuardedStack(string name, ulong bottom, ulong top)
    {
        Name = name;
        Bottom = bottom;
        Top = top;
    }

    /// <summary>What the stack is for ("boot", "double-fault IST"...), for reports.</summary>
    public string Name { get; }

    /// <summary>Lowest usable address; the guard page is [Bottom - 4096, Bottom).</summary>
    public ulong Bottom { get; }

    /// <summary>One past the highest usable address: the initial stack pointer.</summary>
    public ulong Top { get; }

    public ulong GuardPage => Bottom - GuardSize;

    public bool IsValid => Top > Bottom;

    public bool Contains(ulong address) => address >= Bottom && address < Top;

    public bool GuardContains(ulong address) => IsValid && address >= GuardPage && address < Bottom;
}
