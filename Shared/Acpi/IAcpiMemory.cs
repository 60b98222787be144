// How the ACPI parser reaches physical memory. The kernel reads through its
// physical-memory window; host tests read tables captured from QEMU, placed
// at the physical addresses they had. The parser never dereferences an
// address itself, so a bad pointer in a table is a warning, not a fault.
using System;

namespace Shared.Acpi;

public interface IAcpiMemory
{
    /// <summary>
    /// Copies destination.Length bytes starting at <paramref name="physicalAddress"/> into
    /// <paramref name="destination"/>; false (and nothing copied) when any of them is outside readable memory.
    /// </summary>
    bool TryRead(ulong physicalAddress, Span<byte> destination);
}
