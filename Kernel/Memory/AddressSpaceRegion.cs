// One region of the kernel's address space as the kernel knows it: a name,
// the virtual range, the leaf flags its pages carry, and whether an unmapped
// guard page sits below it. KernelAddressSpaceRegions lists them for `mem`.
using Shared.Memory;

namespace Kernel.Memory;

public readonly struct AddressSpaceRegion
{
    public AddressSpaceRegion(string name, VirtualAddress start, ulong size, PageTableFlags flags, bool guardBelow = false)
    {
        Name = name;
        Start = start;
        Size = size;
        Flags = flags;
        GuardBelow = guardBelow;
    }

    public string Name { get; }

    public VirtualAddress Start { get; }

    /// <summary>Bytes mapped (the heap: mapped so far).</summary>
    public ulong Size { get; }

    /// <summary>The permission and caching bits of its leaf entries (Writable, NoExecute, WriteThrough...).</summary>
    public PageTableFlags Flags { get; }

    public bool GuardBelow { get; }

    /// <summary>"rw- nx", "r-x", "rw- nx wc": permissions at a glance.</summary>
    public string Permissions
    {
        get
        {
            string text = (Flags & PageTableFlags.Writable) != 0 ? "rw" : "r-";
            text += (Flags & PageTableFlags.NoExecute) != 0 ? "-" : "x";
            if ((Flags & PageTableFlags.WriteThrough) != 0 && (Flags & PageTableFlags.CacheDisable) == 0)
                text += " wc";
            return text;
        }
    }
}
