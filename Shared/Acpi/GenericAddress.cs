// ACPI's Generic Address Structure (ACPI 6.5, 5.2.3.2): a register named by
// address space (memory, I/O port...), address and width. The FADT uses it
// for the PM timer and the reset register.
using System;
using System.Buffers.Binary;

namespace Shared.Acpi;

public enum AddressSpace : byte
{
    SystemMemory = 0,
    SystemIo = 1,
    PciConfiguration = 2,
    EmbeddedController = 3,
    SmBus = 4,
    SystemCmos = 5,
    PciBarTarget = 6,
    Ipmi = 7,
    GeneralPurposeIo = 8,
    GenericSerialBus = 9,
    PlatformCommunicationChannel = 0x0A,
    FunctionalFixedHardware = 0x7F,
}

public readonly struct GenericAddress
{
    public const int Size = 12;

    public GenericAddress(AddressSpace space, byte bitWidth, ulong address, byte bitOffset = 0, byte accessSize = 0)
    {
        Space = space;
        BitWidth = bitWidth;
        BitOffset = bitOffset;
        AccessSize = accessSize;
        Address = address;
    }

    public AddressSpace Space { get; }

    public byte BitWidth { get; }

    public byte BitOffset { get; }

    /// <summary>0 = undefined (legacy), 1 = byte, 2 = word, 3 = dword, 4 = qword.</summary>
    public byte AccessSize { get; }

    public ulong Address { get; }

    /// <summary>An all-zero structure means "not provided".</summary>
    public bool IsPresent => Address != 0;

    public static GenericAddress Parse(ReadOnlySpan<byte> bytes)
        => new((AddressSpace)bytes[0], bytes[1], BinaryPrimitives.ReadUInt64LittleEndian(bytes.Slice(4)), bytes[2], bytes[3]);

    public override string ToString()
        => (Space == AddressSpace.SystemIo ? "port 0x" : Space == AddressSpace.SystemMemory ? "memory 0x" : "space " + ((byte)Space).ToString() + " 0x")
            + Address.ToString("X") + " (" + BitWidth.ToString() + " bits)";
}
