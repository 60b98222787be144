// The I/O APIC: takes the machine's interrupt lines (global system
// interrupts, GSIs) and sends each, as its redirection entry says, to a
// local APIC as a vector. The PC's ISA IRQs arrive on GSIs after the MADT's
// interrupt source overrides (the keyboard's IRQ1 is usually GSI 1, the
// PIT's IRQ0 usually GSI 2).
//
// Registers are reached indirectly: write a register index to IOREGSEL
// (+0x00), then read or write it through IOWIN (+0x10). The index/data pair
// is shared state, so every access runs with interrupts off.
//
// At start-up every input is masked; Route programs an ISA IRQ's entry (still
// masked) for a vector on the boot CPU, and Unmask lets it through.
using Kernel.Arch;
using Kernel.Diagnostics;
using Shared.Acpi;
using Shared.Memory;

namespace Kernel.Interrupts.Apic;

public sealed class IoApic
{
    private const uint RegisterSelect = 0x00;
    private const uint RegisterWindow = 0x10;
    private const uint IdRegister = 0x00;
    private const uint VersionRegister = 0x01;
    private const uint RedirectionTableBase = 0x10;

    private static IoApic[] s_all = new IoApic[0];
    private static InterruptTopology s_topology;

    private readonly MmioRegion _registers;

    private IoApic(IoApicInfo info, MmioRegion registers, uint version)
    {
        Info = info;
        _registers = registers;
        Version = (byte)version;
        RedirectionEntries = (int)((version >> 16) & 0xFF) + 1;
    }

    /// <summary>The I/O APICs found at start-up.</summary>
    public static IoApic[] All => s_all;

    public IoApicInfo Info { get; }

    /// <summary>The id the chip reports (bits 24-27 of its ID register).</summary>
    public byte Id => (byte)((Read(IdRegister) >> 24) & 0x0F);

    /// <summary>0x11 or 0x20 for the 82093AA and its successors.</summary>
    public byte Version { get; }

    /// <summary>Number of input pins (maximum redirection entry + 1), read from the chip.</summary>
    public int RedirectionEntries { get; }

    public uint GsiBase => Info.GsiBase;

    public bool Serves(uint gsi) => gsi >= Info.GsiBase && gsi < Info.GsiBase + (uint)RedirectionEntries;

    /// <summary>
    /// Finds the I/O APICs the topology lists and masks every input. One outside the physical-memory window, or
    /// whose registers read all ones (nothing answers there: a wrong table), is left out with a warning.
    /// </summary>
    public static void Initialize(InterruptTopology topology)
    {
        s_topology = topology;
        var found = new System.Collections.Generic.List<IoApic>();
        foreach (IoApicInfo info in topology.IoApics)
        {
            if (!MmioRegion.TryMap(new PhysicalAddress(info.Address), 0x20, out MmioRegion registers))
            {
                KernelLog.WriteLine("[boot] I/O APIC: warning: 0x" + info.Address.ToString("X") + " (id " + info.Id.ToString() + ") is outside the physical-memory window; its GSIs are unusable");
                continue;
            }

            uint version = ReadRegister(registers, VersionRegister);
            if (version == 0xFFFF_FFFF)
            {
                KernelLog.WriteLine("[boot] I/O APIC: warning: nothing answers at 0x" + info.Address.ToString("X") + " (id " + info.Id.ToString() + "); its GSIs are unusable");
                continue;
            }

            var ioApic = new IoApic(info, registers, version);
            ioApic.MaskAll();
            found.Add(ioApic);
        }

        s_all = found.ToArray();
    }

    /// <summary>
    /// Programs ISA IRQ <paramref name="isaIrq"/> (through the interrupt source overrides) to arrive as
    /// <paramref name="vector"/> on the local APIC <paramref name="destinationApicId"/>, left masked. False when
    /// no I/O APIC serves the IRQ's GSI (a firmware table that promises an input the hardware lacks).
    /// </summary>
    public static bool TryRoute(byte isaIrq, byte vector, uint destinationApicId, out IsaIrqRoute route)
    {
        route = Topology.RouteIsaIrq(isaIrq);
        if (!TryFindForGsi(route.Gsi, out IoApic ioApic))
            return false;
        ioApic.WriteEntry((int)(route.Gsi - ioApic.GsiBase), RedirectionEntry.Fixed(vector, (byte)destinationApicId, route.Flags, masked: true));
        return true;
    }

    /// <summary>As TryRoute, to the boot CPU (this one); panics when the IRQ cannot be routed.</summary>
    public static IsaIrqRoute Route(byte isaIrq, byte vector)
    {
        if (!TryRoute(isaIrq, vector, LocalApic.Id, out IsaIrqRoute route))
            Panic.Fail("cannot route ISA IRQ " + isaIrq.ToString() + ": no I/O APIC serves GSI " + route.Gsi.ToString());
        return route;
    }

    /// <summary>Whether an I/O APIC serves the GSI that ISA IRQ <paramref name="isaIrq"/> arrives on.</summary>
    public static bool CanRoute(byte isaIrq) => TryFindForGsi(Topology.RouteIsaIrq(isaIrq).Gsi, out _);

    public static void Mask(byte isaIrq) => SetMasked(isaIrq, true);

    public static void Unmask(byte isaIrq) => SetMasked(isaIrq, false);

    /// <summary>The redirection entry an ISA IRQ arrives on.</summary>
    public static RedirectionEntry EntryFor(byte isaIrq)
    {
        uint gsi = Topology.RouteIsaIrq(isaIrq).Gsi;
        IoApic ioApic = ForGsi(gsi);
        return ioApic.ReadEntry((int)(gsi - ioApic.GsiBase));
    }

    /// <summary>The I/O APIC serving <paramref name="gsi"/>; panics when none does (callers route only GSIs TryRoute accepted).</summary>
    public static IoApic ForGsi(uint gsi)
    {
        if (!TryFindForGsi(gsi, out IoApic ioApic))
            Panic.Fail("no I/O APIC serves GSI " + gsi.ToString());
        return ioApic;
    }

    public static bool TryFindForGsi(uint gsi, out IoApic ioApic)
    {
        foreach (IoApic candidate in s_all)
        {
            if (candidate.Serves(gsi))
            {
                ioApic = candidate;
                return true;
            }
        }

        ioApic = null;
        return false;
    }

    public RedirectionEntry ReadEntry(int index)
    {
        CheckIndex(index);
        using InterruptGuard guard = Cpu.DisableInterruptsScoped();
        uint low = Read(RedirectionTableBase + (2 * (uint)index));
        uint high = Read(RedirectionTableBase + (2 * (uint)index) + 1);
        return new RedirectionEntry(low | ((ulong)high << 32));
    }

    /// <summary>
    /// Writes an entry: masked low half first, then the high half (destination), then the real low half, so the
    /// pin is never live with half an entry.
    /// </summary>
    public void WriteEntry(int index, RedirectionEntry entry)
    {
        CheckIndex(index);
        using InterruptGuard guard = Cpu.DisableInterruptsScoped();
        uint low = RedirectionTableBase + (2 * (uint)index);
        Write(low, entry.WithMasked(true).Low);
        Write(low + 1, entry.High);
        Write(low, entry.Low);
    }

    public void MaskAll()
    {
        for (int i = 0; i < RedirectionEntries; i++)
            WriteEntry(i, ReadEntry(i).WithMasked(true));
    }

    private static void SetMasked(byte isaIrq, bool masked)
    {
        uint gsi = Topology.RouteIsaIrq(isaIrq).Gsi;
        IoApic ioApic = ForGsi(gsi);
        int index = (int)(gsi - ioApic.GsiBase);
        ioApic.WriteEntry(index, ioApic.ReadEntry(index).WithMasked(masked));
    }

    private static InterruptTopology Topology
    {
        get
        {
            if (s_topology is null)
                Panic.Fail("IoApic used before IoApic.Initialize");
            return s_topology;
        }
    }

    private void CheckIndex(int index)
    {
        if ((uint)index >= (uint)RedirectionEntries)
            Panic.Fail("I/O APIC redirection entry " + index.ToString() + " does not exist (the chip has " + RedirectionEntries.ToString() + ")");
    }

    // The select/window pair is shared state: callers keep interrupts off around a whole access.
    private uint Read(uint register) => ReadRegister(_registers, register);

    private void Write(uint register, uint value)
    {
        _registers.Write32(RegisterSelect, register);
        _registers.Write32(RegisterWindow, value);
    }

    private static uint ReadRegister(MmioRegion registers, uint register)
    {
        using InterruptGuard guard = Cpu.DisableInterruptsScoped();
        registers.Write32(RegisterSelect, register);
        return registers.Read32(RegisterWindow);
    }
}
