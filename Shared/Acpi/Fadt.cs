// The Fixed ACPI Description Table, signature "FACP" (ACPI 6.5, 5.2.9): the
// fixed hardware. The kernel takes from it the PM timer (a free-running
// 3.579545 MHz counter used to calibrate the other clocks), the reset
// register, the boot architecture flags, and the DSDT/FACS addresses.
//
// The table grew with each ACPI revision (116 bytes in 1.0, 244 in 3.0, 276
// in 6.x). A field is read only when the table's Length covers it, so an old
// or short table yields "not provided" instead of garbage; the 64-bit X_
// fields win over their 32-bit originals when present.
using System;
using System.Buffers.Binary;

namespace Shared.Acpi;

[Flags]
public enum FadtFlags : uint
{
    WbinvdSupported = 1u << 0,
    ProcessorC1 = 1u << 2,

    /// <summary>TMR_VAL_EXT: the PM timer counts 32 bits (otherwise 24).</summary>
    PmTimer32Bit = 1u << 8,

    /// <summary>RESET_REG_SUP: the reset register is implemented.</summary>
    ResetRegisterSupported = 1u << 10,
    HardwareReduced = 1u << 20,
}

/// <summary>IAPC_BOOT_ARCH: legacy devices the platform declares (FADT revision 2 and later).</summary>
[Flags]
public enum BootArchitectureFlags : ushort
{
    LegacyDevices = 1 << 0,

    /// <summary>An i8042 keyboard controller at ports 0x60/0x64. Some firmware (older QEMU) leaves it clear although one exists.</summary>
    I8042 = 1 << 1,
    VgaNotPresent = 1 << 2,
    MsiNotSupported = 1 << 3,
    PcieAspmControls = 1 << 4,
    CmosRtcNotPresent = 1 << 5,
}

public sealed class Fadt
{
    /// <summary>The PM timer counts at 3.579545 MHz on every platform.</summary>
    public const ulong PmTimerFrequencyHz = 3_579_545;

    // Field offsets from the start of the table (header included).
    private const int FirmwareControlOffset = 36;
    private const int DsdtOffset = 40;
    private const int SciInterruptOffset = 46;
    private const int PmTimerBlockOffset = 76;
    private const int PmTimerLengthOffset = 91;
    private const int CenturyOffset = 108;
    private const int BootArchitectureOffset = 109;
    private const int FlagsOffset = 112;
    private const int ResetRegisterOffset = 116;
    private const int ResetValueOffset = 128;
    private const int ExtendedFirmwareControlOffset = 132;
    private const int ExtendedDsdtOffset = 140;
    private const int ExtendedPmTimerBlockOffset = 208;
    private const int SmiCommandOffset = 48;
    private const int AcpiEnableOffset = 52;
    private const int Pm1aControlOffset = 64;
    private const int Pm1bControlOffset = 68;
    private const int Pm1ControlLengthOffset = 89;
    private const int ExtendedPm1aControlOffset = 172;
    private const int ExtendedPm1bControlOffset = 184;

    public byte Revision { get; private init; }

    public uint Length { get; private init; }

    public ushort SciInterrupt { get; private init; }

    public FadtFlags Flags { get; private init; }

    public BootArchitectureFlags BootArchitecture { get; private init; }

    /// <summary>The PM timer register (I/O port on PCs); not present when Address is 0.</summary>
    public GenericAddress PmTimer { get; private init; }

    public bool PmTimerIs32Bit => (Flags & FadtFlags.PmTimer32Bit) != 0;

    /// <summary>The reset register and the value to write to it; present only if ResetRegisterSupported.</summary>
    public GenericAddress ResetRegister { get; private init; }

    public byte ResetValue { get; private init; }

    public bool HasResetRegister => (Flags & FadtFlags.ResetRegisterSupported) != 0 && ResetRegister.IsPresent;

    public ulong DsdtAddress { get; private init; }

    public ulong FacsAddress { get; private init; }

    /// <summary>The SMI command port (0 when the machine is always in ACPI mode) and the value that enables ACPI mode.</summary>
    public uint SmiCommand { get; private init; }

    public byte AcpiEnable { get; private init; }

    /// <summary>The PM1a control register (SLP_TYP, SLP_EN, SCI_EN): what `shutdown` writes to enter S5.</summary>
    public GenericAddress Pm1aControl { get; private init; }

    /// <summary>The PM1b control register; not present on most machines.</summary>
    public GenericAddress Pm1bControl { get; private init; }

    /// <summary>CMOS index of the RTC century register, 0 when none.</summary>
    public byte CenturyIndex { get; private init; }

    /// <summary>Parses a whole FADT (header included, checksum already checked); null when too short to hold its 1.0 fields.</summary>
    public static Fadt Parse(ReadOnlySpan<byte> table, out string problem)
    {
        problem = null;
        if (table.Length < FlagsOffset + 4)
        {
            problem = "FADT is " + table.Length.ToString() + " bytes, shorter than the 116 of ACPI 1.0";
            return null;
        }

        FadtFlags flags = (FadtFlags)U32(table, FlagsOffset);
        return new Fadt
        {
            Revision = table[8],
            Length = (uint)table.Length,
            SciInterrupt = BinaryPrimitives.ReadUInt16LittleEndian(table.Slice(SciInterruptOffset)),
            Flags = flags,
            BootArchitecture = table[8] >= 2 ? (BootArchitectureFlags)BinaryPrimitives.ReadUInt16LittleEndian(table.Slice(BootArchitectureOffset)) : 0,
            CenturyIndex = table[CenturyOffset],
            PmTimer = ParsePmTimer(table, flags),
            ResetRegister = Covers(table, ResetRegisterOffset, GenericAddress.Size) ? GenericAddress.Parse(table.Slice(ResetRegisterOffset)) : default,
            ResetValue = Covers(table, ResetValueOffset, 1) ? table[ResetValueOffset] : (byte)0,
            DsdtAddress = Prefer64(table, ExtendedDsdtOffset, U32(table, DsdtOffset)),
            FacsAddress = Prefer64(table, ExtendedFirmwareControlOffset, U32(table, FirmwareControlOffset)),
            SmiCommand = U32(table, SmiCommandOffset),
            AcpiEnable = table[AcpiEnableOffset],
            Pm1aControl = ParseControlBlock(table, ExtendedPm1aControlOffset, Pm1aControlOffset),
            Pm1bControl = ParseControlBlock(table, ExtendedPm1bControlOffset, Pm1bControlOffset),
        };
    }

    // X_PM_TMR_BLK when the table has it and it is filled in, else the 1.0 PM_TMR_BLK port (with PM_TMR_LEN 4).
    private static GenericAddress ParsePmTimer(ReadOnlySpan<byte> table, FadtFlags flags)
    {
        byte width = (flags & FadtFlags.PmTimer32Bit) != 0 ? (byte)32 : (byte)24;
        if (Covers(table, ExtendedPmTimerBlockOffset, GenericAddress.Size))
        {
            GenericAddress extended = GenericAddress.Parse(table.Slice(ExtendedPmTimerBlockOffset));
            if (extended.IsPresent)
                return new GenericAddress(extended.Space, width, extended.Address, extended.BitOffset, extended.AccessSize);
        }

        uint port = U32(table, PmTimerBlockOffset);
        if (port == 0 || table[PmTimerLengthOffset] < 4)
            return default;
        return new GenericAddress(AddressSpace.SystemIo, width, port);
    }

    // X_PM1x_CNT_BLK when present, else the 1.0 I/O port (16 bits wide; PM1_CNT_LEN is 2).
    private static GenericAddress ParseControlBlock(ReadOnlySpan<byte> table, int extendedOffset, int legacyOffset)
    {
        if (Covers(table, extendedOffset, GenericAddress.Size))
        {
            GenericAddress extended = GenericAddress.Parse(table.Slice(extendedOffset));
            if (extended.IsPresent)
                return extended;
        }

        uint port = U32(table, legacyOffset);
        if (port == 0 || table[Pm1ControlLengthOffset] < 2)
            return default;
        return new GenericAddress(AddressSpace.SystemIo, 16, port);
    }

    private static ulong Prefer64(ReadOnlySpan<byte> table, int offset, uint legacy)
    {
        if (Covers(table, offset, 8))
        {
            ulong extended = BinaryPrimitives.ReadUInt64LittleEndian(table.Slice(offset));
            if (extended != 0)
                return extended;
        }

        return legacy;
    }

    private static bool Covers(ReadOnlySpan<byte> table, int offset, int size) => table.Length >= offset + size;

    private static uint U32(ReadOnlySpan<byte> table, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(table.Slice(offset));
}
