// Writes an ACPI Generic Address Structure register: an I/O port or a
// physical memory address (through the physical-memory window). Other
// address spaces (PCI configuration, embedded controller) are refused.
using Kernel.Arch;
using Shared.Acpi;

namespace Kernel.Power;

internal static unsafe class RegisterAccess
{
    public static bool TryWrite(GenericAddress register, uint value)
    {
        int width = register.BitWidth == 0 ? 8 : register.BitWidth;
        switch (register.Space)
        {
            case AddressSpace.SystemIo:
                ushort port = (ushort)register.Address;
                // The caller names a register the firmware's ACPI tables describe (reset, PM1 control).
                if (width <= 8)
                    new Port8(port).Write((byte)value);
                else if (width <= 16)
                    new Port16(port).Write((ushort)value);
                else
                    new Port32(port).Write(value);
                return true;
            case AddressSpace.SystemMemory:
                if (register.Address >= KernelState.BootInfo->PhysicalMemoryMappedSize)
                    return false;
                void* address = (void*)(KernelState.PhysicalMemoryOffset + register.Address);
                if (width <= 8)
                    *(byte*)address = (byte)value;
                else if (width <= 16)
                    *(ushort*)address = (ushort)value;
                else
                    *(uint*)address = value;
                return true;
            default:
                return false;
        }
    }

    public static bool TryRead(GenericAddress register, out uint value)
    {
        value = 0;
        int width = register.BitWidth == 0 ? 8 : register.BitWidth;
        switch (register.Space)
        {
            case AddressSpace.SystemIo:
                ushort port = (ushort)register.Address;
                value = width <= 8 ? new Port8(port).Read() : width <= 16 ? new Port16(port).Read() : new Port32(port).Read();
                return true;
            case AddressSpace.SystemMemory:
                if (register.Address >= KernelState.BootInfo->PhysicalMemoryMappedSize)
                    return false;
                void* address = (void*)(KernelState.PhysicalMemoryOffset + register.Address);
                value = width <= 8 ? *(byte*)address : width <= 16 ? *(ushort*)address : *(uint*)address;
                return true;
            default:
                return false;
        }
    }
}
