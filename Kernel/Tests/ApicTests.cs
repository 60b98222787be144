// The local APIC and the I/O APIC after start-up: registers read back as
// programmed, the timer counts (masked, with the system tick paused) at its
// calibrated rate, and the ISA routes follow the MADT's overrides.
using Internal.Runtime;
using Kernel.Arch;
using Kernel.Interrupts.Apic;
using Kernel.Testing;
using Kernel.Time;
using Shared.Acpi;
using Shared.Memory;

namespace Kernel.Tests;

internal static class ApicTests
{
    [KernelTest(Suite = "interrupts")]
    public static void LocalApic_IsEnabled_WithSpuriousVector0xFF()
    {
        Assert.True((Msr.ApicBase.Read() & (1UL << 11)) != 0, "IA32_APIC_BASE global enable");
        Assert.True(LocalApic.IsSoftwareEnabled);
        Assert.Equal(0xFFUL, LocalApic.SpuriousVector);
        Assert.Equal(0UL, LocalApic.Read(LocalApicRegister.TaskPriority));
    }

    [KernelTest(Suite = "interrupts")]
    public static void LocalApic_Id_MatchesCpuidInitialApicId() => Assert.Equal((ulong)(Cpu.Cpuid(1).Ebx >> 24), LocalApic.Id);

    [KernelTest(Suite = "interrupts")]
    public static void LocalApic_Version_IsAnIntegratedApic()
    {
        Assert.True(LocalApic.Version >= 0x10 && LocalApic.Version <= 0x15, "version 0x" + LocalApic.Version.ToString("X2"));
        Assert.True(LocalApic.MaxLvtEntry >= 3);
    }

    [KernelTest(Suite = "interrupts")]
    public static void LocalApic_LvtEntries_TimerAndErrorLive_Lint0Masked_NmiOnLint1()
    {
        LvtEntry timer = LocalApic.ReadLvt(LocalApicRegister.LvtTimer);
        Assert.False(timer.Masked, "the system tick runs");
        Assert.True(timer.TimerMode == TimerMode.Periodic);
        Assert.Equal((ulong)IrqVectors.LocalApicTimer, timer.Vector);
        Assert.True(LocalApic.ReadLvt(LocalApicRegister.LvtLint0).Masked, "LINT0 (the 8259's virtual wire) is masked");
        LvtEntry error = LocalApic.ReadLvt(LocalApicRegister.LvtError);
        Assert.False(error.Masked, "APIC errors interrupt");
        Assert.Equal((ulong)IrqVectors.LocalApicError, error.Vector);
        LvtEntry lint1 = LocalApic.ReadLvt(LocalApicRegister.LvtLint1);
        Assert.True(lint1.DeliveryMode == DeliveryMode.Nmi, "LINT1 delivers NMI");
        Assert.False(lint1.Masked);
    }

    [KernelTest(Suite = "interrupts")]
    public static void LocalApic_ErrorStatus_IsClear() => Assert.Equal(0UL, LocalApic.ReadErrorStatus());

    [KernelTest(Suite = "interrupts")]
    public static void LocalApic_Registers_AreUncachedMmio_OrMsrsInX2ApicMode()
    {
        if (LocalApic.IsX2Apic)
        {
            // x2APIC: IA32_APIC_BASE has EN and EXTD set, and the registers answer as MSRs (the ID register,
            // MSR 0x802, holds the full 32-bit id the driver reports).
            ulong apicBase = Msr.ApicBase.Read();
            Assert.True((apicBase & (1UL << 11)) != 0 && (apicBase & (1UL << 10)) != 0, "IA32_APIC_BASE: EN and EXTD set in x2APIC mode");
            Assert.Equal((ulong)LocalApic.Id, new Msr(0x802).Read() & 0xFFFF_FFFF);
            return;
        }

        PageTableFlags flags = LocalApic.Registers.LeafFlags;
        Assert.True((flags & PageTableFlags.CacheDisable) != 0, "PCD set on the window page holding the local APIC");
        Assert.True((flags & PageTableFlags.NoExecute) != 0);
    }

    // The shortest of five runs: a run can only look longer than it is (the host may deschedule QEMU while it polls).
    [KernelTest(Suite = "interrupts")]
    public static void LocalApic_OneShotTimer_ExpiresAfterTheCalibratedTime()
    {
        const ulong Microseconds = 20_000;
        using SystemTimer.PauseScope tick = SystemTimer.Pause();
        ulong shortest = ulong.MaxValue;
        for (int run = 0; run < 5; run++)
            shortest = System.Math.Min(shortest, TimeOneShot(Microseconds));
        Assert.True(shortest >= Microseconds * 97 / 100 && shortest <= Microseconds * 125 / 100, "expired after " + shortest.ToString() + " us");
        Assert.False(LocalApic.IsRequested(IrqVectors.LocalApicTimer), "a masked timer requests nothing");
    }

    // Polls a masked 20 Hz timer for half a second: it must reload 10 times, and the ticks it counted (reloads x
    // initial count + progress) must match the TSC's time at the calibrated rate. A reload shows as the count going
    // up between two polls, which is certain only while the polls are less than a period apart; a window with two
    // polls half a period (25 ms) apart or more - the host descheduled QEMU - proves nothing and is measured again,
    // up to five times. A timer that reloads at the wrong rate fails in every window it is measured in. Nothing in
    // the window allocates (checked), so gc.stress cannot stop the world inside it.
    [KernelTest(Suite = "interrupts")]
    public static void LocalApic_PeriodicTimer_ReloadsAtTheConfiguredRate()
    {
        const uint Hz = 20;
        const int Attempts = 5;
        using SystemTimer.PauseScope tick = SystemTimer.Pause();
        LocalApic.StartPeriodicTimer(IrqVectors.LocalApicTimer, Hz, masked: true);
        Assert.True(LocalApic.ReadLvt(LocalApicRegister.LvtTimer).TimerMode == TimerMode.Periodic);
        uint initial = LocalApic.TimerInitialCount;
        Assert.Equal((ulong)(LocalApic.TimerFrequencyHz / Hz), initial);

        ulong span = TimeStampCounter.FromMicroseconds(500_000);
        ulong maximumGap = TimeStampCounter.FromMicroseconds(1_000_000 / Hz / 2);
        ulong allocations = RuntimeAllocator.AllocationCount;
        PeriodicWindow window = default;
        int attempts = 0;
        do
        {
            window = PollPeriodicTimer(span);
            attempts++;
        }
        while (window.LongestGap >= maximumGap && attempts < Attempts);

        LocalApic.StopTimer();
        Assert.Equal(allocations, RuntimeAllocator.AllocationCount);
        Assert.True(window.LongestGap < maximumGap, attempts.ToString() + " windows of 500 ms each had two polls "
            + TimeStampCounter.ToMicroseconds(window.LongestGap).ToString() + " us apart or more (the host kept descheduling QEMU)");
        ulong ticks = ((ulong)window.Reloads * initial) + window.FirstCount - window.LastCount;
        ulong rate = ticks * TimeStampCounter.FrequencyHz / window.Cycles;
        Assert.True(window.Reloads >= 9 && window.Reloads <= 11, window.Reloads.ToString() + " reloads in 500 ms at 20 Hz");
        Assert.True(rate * 100 >= LocalApic.TimerFrequencyHz * 97 && rate * 100 <= LocalApic.TimerFrequencyHz * 103,
            "counted " + rate.ToString() + " Hz, calibrated " + LocalApic.TimerFrequencyHz.ToString() + " Hz");
        Assert.False(LocalApic.IsRequested(IrqVectors.LocalApicTimer));
    }

    private struct PeriodicWindow
    {
        public int Reloads;
        public uint FirstCount;
        public uint LastCount;
        public ulong Cycles;
        public ulong LongestGap;
    }

    // Polls the running timer's current count for <span> TSC cycles, counting reloads (the count went up).
    private static PeriodicWindow PollPeriodicTimer(ulong span)
    {
        var window = default(PeriodicWindow);
        ulong start = StampedCount(out window.FirstCount);
        ulong end = start;
        uint previous = window.FirstCount;
        uint current = previous;
        while (end - start < span)
        {
            ulong now = StampedCount(out current);
            if (now - end > window.LongestGap)
                window.LongestGap = now - end;
            end = now;
            if (current > previous)
                window.Reloads++;
            previous = current;
        }

        window.LastCount = current;
        window.Cycles = end - start;
        return window;
    }

    [KernelTest(Suite = "interrupts")]
    public static void IoApic_ReportsItsInputsAndId()
    {
        Assert.Equal(1, IoApic.All.Length);
        IoApic ioApic = IoApic.All[0];
        Assert.Equal(24, ioApic.RedirectionEntries);
        Assert.True(ioApic.Version == 0x11 || ioApic.Version == 0x20, "version 0x" + ioApic.Version.ToString("X2"));
        Assert.Equal((ulong)ioApic.Info.Id, ioApic.Id);
    }

    [KernelTest(Suite = "interrupts")]
    public static void IoApic_KeyboardAndCom1_RoutedUnmaskedToTheBootCpu()
    {
        CheckIsaRoute(IsaIrq.Keyboard, IrqVectors.Keyboard);
        CheckIsaRoute(IsaIrq.Com1, IrqVectors.Com1);
    }

    [KernelTest(Suite = "interrupts")]
    public static void IoApic_EveryOtherInput_IsMasked()
    {
        uint keyboard = Acpi.PlatformTables.Interrupts.RouteIsaIrq(IsaIrq.Keyboard).Gsi;
        uint com1 = Acpi.PlatformTables.Interrupts.RouteIsaIrq(IsaIrq.Com1).Gsi;
        foreach (IoApic ioApic in IoApic.All)
        {
            for (int i = 0; i < ioApic.RedirectionEntries; i++)
            {
                uint gsi = ioApic.GsiBase + (uint)i;
                if (gsi != keyboard && gsi != com1)
                    Assert.True(ioApic.ReadEntry(i).Masked, "GSI " + gsi.ToString() + " is masked");
            }
        }
    }

    [KernelTest(Suite = "interrupts")]
    public static void IoApic_Irq0_ArrivesOnGsi2ThroughTheOverride()
    {
        IsaIrqRoute route = IoApic.Route(IsaIrq.Pit, IrqVectors.ForIsaIrq(IsaIrq.Pit));
        Assert.Equal(2L, route.Gsi);
        RedirectionEntry entry = IoApic.All[0].ReadEntry(2);
        Assert.Equal((ulong)IrqVectors.ForIsaIrq(IsaIrq.Pit), entry.Vector);
        Assert.True(entry.Masked);
    }

    [KernelTest(Suite = "interrupts")]
    public static void IoApic_MaskThenUnmask_ReadsBack()
    {
        IoApic.Mask(IsaIrq.Com1);
        bool masked = IoApic.EntryFor(IsaIrq.Com1).Masked;
        IoApic.Unmask(IsaIrq.Com1);
        Assert.True(masked);
        Assert.False(IoApic.EntryFor(IsaIrq.Com1).Masked);
        Assert.Equal((ulong)IrqVectors.Com1, IoApic.EntryFor(IsaIrq.Com1).Vector);
    }

    private static void CheckIsaRoute(byte irq, byte vector)
    {
        IsaIrqRoute route = Acpi.PlatformTables.Interrupts.RouteIsaIrq(irq);
        RedirectionEntry entry = IoApic.EntryFor(irq);
        Assert.Equal((ulong)vector, entry.Vector);
        Assert.False(entry.Masked, "unmasked once the driver's handler is installed");
        Assert.True(entry.DeliveryMode == DeliveryMode.Fixed);
        Assert.False(entry.LogicalDestination);
        Assert.Equal((ulong)LocalApic.Id, entry.Destination);
        Assert.True(entry.Polarity == route.Flags.Polarity && entry.Trigger == route.Flags.Trigger, "pin flags follow the MADT");
    }

    // Microseconds (by the TSC) until a masked one-shot timer set for the given time reaches zero.
    private static ulong TimeOneShot(ulong microseconds)
    {
        uint count = (uint)(LocalApic.TimerFrequencyHz * microseconds / 1_000_000);
        ulong start = TimeStampCounter.Read();
        LocalApic.StartTimer(TimerMode.OneShot, IrqVectors.LocalApicTimer, count, ClockCalibration.ApicTimerDivide, masked: true);
        ulong limit = TimeStampCounter.FromMicroseconds(10 * microseconds);
        while (LocalApic.TimerCurrentCount != 0 && TimeStampCounter.Read() - start < limit)
            Cpu.Pause();
        ulong elapsed = TimeStampCounter.ToMicroseconds(TimeStampCounter.Read() - start);
        Assert.Equal(0UL, LocalApic.TimerCurrentCount);
        LocalApic.StopTimer();
        return elapsed;
    }

    // The timer's current count and the TSC at the moment it was read (midpoint of a bracket).
    private static ulong StampedCount(out uint count)
    {
        ulong before = TimeStampCounter.Read();
        count = LocalApic.TimerCurrentCount;
        ulong after = TimeStampCounter.Read();
        return before + ((after - before) / 2);
    }
}
