// The ACPI parser's view of physical memory in the kernel: reads through the
// physical-memory window, refusing anything the window does not cover, so a
// wild pointer in a firmware table becomes a warning instead of a page fault.
using System;
using Shared.Acpi;

namespace Kernel.Acpi;

internal sealed unsafe class PhysicalAcpiMemory : IAcpiMemory
{
    public bool TryRead(ulong physicalAddress, Span<byte> destination)
    {
        ulong windowSize = KernelState.BootInfo->PhysicalMemoryMappedSize;
        ulong length = (ulong)destination.Length;
        if (physicalAddress >= windowSize || length > windowSize - physicalAddress)
            return false;
        new ReadOnlySpan<byte>((void*)(KernelState.PhysicalMemoryOffset + physicalAddress), destination.Length).CopyTo(destination);
        return true;
    }
}
