// The one allocator design chosen at boot (kernel.conf "allocator"), behind
// a switch rather than an interface: the runtime has no generic virtual
// methods and interface dispatch goes through a resolver, while a switch on
// a field the branch predictor learns at once costs next to nothing. Used by
// the kernel heap, the host tests and the benchmarks alike.
using System.Runtime.CompilerServices;
using Shared.Boot;

namespace Shared.Memory.Heap;

public sealed unsafe class HeapEngine
{
    private readonly AllocatorKind _kind;
    private readonly BumpHeap _bump;
    private readonly LinkedListHeap _linkedList;
    private readonly FixedSizeBlockHeap _fixedSizeBlock;
    private readonly TlsfHeap _tlsf;

    /// <summary>
    /// A heap of the given design (Default is fixed-size block over TLSF); call Initialize before use.
    /// <paramref name="tlsfFrontCache"/> = false measures and tests TLSF's core without its front cache.
    /// </summary>
    public HeapEngine(AllocatorKind kind, bool tlsfFrontCache = true)
    {
        _kind = kind == AllocatorKind.Default ? AllocatorKind.FixedSizeBlock : kind;
        switch (_kind)
        {
            case AllocatorKind.Bump:
                _bump = new BumpHeap();
                break;
            case AllocatorKind.LinkedList:
                _linkedList = new LinkedListHeap();
                break;
            case AllocatorKind.Tlsf:
                _tlsf = new TlsfHeap(tlsfFrontCache);
                break;
            default:
                _kind = AllocatorKind.FixedSizeBlock;
                _fixedSizeBlock = new FixedSizeBlockHeap();
                break;
        }
    }

    public AllocatorKind Kind => _kind;

    public FixedSizeBlockHeap FixedSizeBlock => _fixedSizeBlock;

    /// <summary>The kernel.conf spelling of the design.</summary>
    public string Name => NameOf(_kind);

    public static string NameOf(AllocatorKind kind) => kind switch
    {
        AllocatorKind.Bump => "bump",
        AllocatorKind.LinkedList => "linked-list",
        AllocatorKind.Tlsf => "tlsf",
        _ => "fixed-size-block",
    };

    /// <remarks>The caller guarantees the region is writable memory that nothing else uses while this heap lives.</remarks>
    public bool Initialize(void* start, nuint size) => _kind switch
    {
        AllocatorKind.Bump => _bump.Initialize(start, size),
        AllocatorKind.LinkedList => _linkedList.Initialize(start, size),
        AllocatorKind.Tlsf => _tlsf.Initialize(start, size),
        _ => _fixedSizeBlock.Initialize(start, size),
    };

    /// <remarks>The caller guarantees the <paramref name="bytes"/> after the region's end are writable and unused.</remarks>
    public bool Extend(nuint bytes) => _kind switch
    {
        AllocatorKind.Bump => _bump.Extend(bytes),
        AllocatorKind.LinkedList => _linkedList.Extend(bytes),
        AllocatorKind.Tlsf => _tlsf.Extend(bytes),
        _ => _fixedSizeBlock.Extend(bytes),
    };

    /// <summary>At least <paramref name="size"/> bytes aligned to <paramref name="alignment"/> (a power of two), or null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void* Allocate(nuint size, nuint alignment)
    {
        switch (_kind)
        {
            case AllocatorKind.FixedSizeBlock:
                return _fixedSizeBlock.Allocate(size, alignment);
            case AllocatorKind.Tlsf:
                return _tlsf.Allocate(size, alignment);
            case AllocatorKind.LinkedList:
                return _linkedList.Allocate(size, alignment);
            default:
                return _bump.Allocate(size, alignment);
        }
    }

    /// <remarks>The caller guarantees <paramref name="block"/> is a live block of this heap.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Free(void* block)
    {
        switch (_kind)
        {
            case AllocatorKind.FixedSizeBlock:
                return _fixedSizeBlock.Free(block);
            case AllocatorKind.Tlsf:
                return _tlsf.Free(block);
            case AllocatorKind.LinkedList:
                return _linkedList.Free(block);
            default:
                return _bump.Free(block);
        }
    }

    /// <remarks>The caller guarantees <paramref name="block"/> is a live block of this heap.</remarks>
    public nuint UsableSize(void* block)
    {
        switch (_kind)
        {
            case AllocatorKind.FixedSizeBlock:
                return _fixedSizeBlock.UsableSize(block);
            case AllocatorKind.Tlsf:
                return _tlsf.UsableSize(block);
            case AllocatorKind.LinkedList:
                return _linkedList.UsableSize(block);
            default:
                return _bump.UsableSize(block);
        }
    }

    public HeapCounters Counters => _kind switch
    {
        AllocatorKind.Bump => _bump.Counters,
        AllocatorKind.LinkedList => _linkedList.Counters,
        AllocatorKind.Tlsf => _tlsf.Counters,
        _ => _fixedSizeBlock.Counters,
    };

    /// <summary>Gives memory held back for speed (TLSF's front cache) to the free lists; the other designs hold none.</summary>
    public void Trim()
    {
        if (_kind == AllocatorKind.Tlsf)
            _tlsf.Trim();
    }

    /// <summary>Checks the design's structures; null when consistent.</summary>
    public string Validate() => _kind switch
    {
        AllocatorKind.Bump => _bump.Validate(),
        AllocatorKind.LinkedList => _linkedList.Validate(),
        AllocatorKind.Tlsf => _tlsf.Validate(),
        _ => _fixedSizeBlock.Validate(),
    };
}
