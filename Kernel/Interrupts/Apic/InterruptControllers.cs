// Start-up of the interrupt controllers, in the order the hardware needs:
// first silence the legacy 8259s (remapped away from the exception vectors,
// every line masked), then enable the boot CPU's local APIC, then find the
// I/O APICs (all inputs masked) and route the ISA devices this kernel
// drives - the keyboard (IRQ1) and COM1 (IRQ4) - to their vectors on the
// boot CPU, still masked until their drivers install handlers. Only the
// boot CPU takes interrupts; the other CPUs stay parked in the firmware.
//
// InstallHandlers then gives every vector the controllers themselves can
// raise a handler, so nothing arrives unexpected:
//   - local APIC error (0xFE): latch and count the error status, EOI; the
//     task side reports it (ReportEvents), since handlers do not print;
//   - spurious (0xFF): counted; no EOI, a spurious interrupt sets no
//     in-service bit, and an EOI would acknowledge some other interrupt;
//   - the masked 8259s (0x20-0x2F): IRQ7/IRQ15 with a clear in-service bit
//     are spurious (an IRQ15 one still needs an EOI at the master); anything
//     else would be a real 8259 interrupt despite the masks: counted,
//     acknowledged and reported as a warning.
using Kernel.Arch;
using Kernel.Diagnostics;
using Kernel.Drivers;
using Kernel.Input;
using Kernel.Time;
using Shared.Acpi;

namespace Kernel.Interrupts.Apic;

public static unsafe class InterruptControllers
{
    private static ulong s_apicErrors;
    private static uint s_lastErrorStatus;
    private static ulong s_reportedApicErrors;
    private static ulong s_spurious;
    private static ulong s_picSpurious;
    private static ulong s_picUnexpected;
    private static ulong s_reportedPicUnexpected;
    private static int s_lastPicIrq;

    public static void Initialize(InterruptTopology topology)
    {
        Pic8259.RemapAndMaskAll();
        BootLog.Stage("8259 PIC", "remapped to 0x20-0x2F, masks 0x" + Pic8259.Masks.ToString("X4"));

        LocalApic.Initialize(topology);
        BootLog.Stage("local APIC", (LocalApic.IsX2Apic ? "x2APIC" : "xAPIC at 0x" + LocalApic.PhysicalBase.ToString("X"))
            + ", id " + LocalApic.Id.ToString() + ", version 0x" + LocalApic.Version.ToString("X2")
            + ", spurious vector 0x" + LocalApic.SpuriousVector.ToString("X2"));

        IoApic.Initialize(topology);
        foreach (IoApic ioApic in IoApic.All)
        {
            BootLog.Stage("I/O APIC", "id " + ioApic.Id.ToString() + " at 0x" + ioApic.Info.Address.ToString("X") + ", GSI " + ioApic.GsiBase.ToString()
                + "-" + (ioApic.GsiBase + (uint)ioApic.RedirectionEntries - 1).ToString() + ", all masked");
        }

        BootLog.Stage("IRQ routes", RouteIsaDevice(IsaIrq.Keyboard, IrqVectors.Keyboard) + ", " + RouteIsaDevice(IsaIrq.Com1, IrqVectors.Com1) + " (masked)");
    }

    /// <summary>
    /// Turns interrupt delivery on: the controllers' own handlers, the tick (SystemTimer at
    /// <paramref name="timerHz"/>), the keyboard and COM1 handlers with their IRQs unmasked, then sti. Logs each
    /// step. Needs Initialize, the exception IDT and (for the tick) ClockCalibration.
    /// </summary>
    public static void EnableDelivery(uint timerHz)
    {
        InstallHandlers();
        BootLog.Stage("timer", SystemTimer.Start(timerHz));
        string keyboard = Ps2Keyboard.EnableInterrupts();
        string serial = SerialInput.EnableInterrupts();
        Cpu.EnableInterrupts();
        BootLog.Stage("interrupts", "ok, enabled: " + keyboard + ", " + serial + "; APIC error, spurious and 8259 vectors handled");
    }

    /// <summary>Registers the error, spurious and 8259 handlers and unmasks the APIC's error interrupt.</summary>
    public static void InstallHandlers()
    {
        InterruptDispatcher.Register(IrqVectors.LocalApicError, &OnApicError);
        InterruptDispatcher.Register(IrqVectors.Spurious, &OnSpurious);
        for (int irq = 0; irq < 16; irq++)
            InterruptDispatcher.Register((byte)(IrqVectors.LegacyPicBase + irq), &OnLegacyPic);
        LocalApic.ReadErrorStatus();
        LocalApic.WriteLvt(LocalApicRegister.LvtError, LvtEntry.Fixed(IrqVectors.LocalApicError, masked: false));
    }

    /// <summary>Local APIC error interrupts taken, and the error status register the last one latched.</summary>
    public static ulong ApicErrors => s_apicErrors;

    public static uint LastApicErrorStatus => s_lastErrorStatus;

    /// <summary>Spurious interrupts: the local APIC's (vector 0xFF) plus the 8259s' spurious IRQ7/IRQ15.</summary>
    public static ulong SpuriousInterrupts => s_spurious + s_picSpurious;

    /// <summary>Interrupts the masked 8259s delivered, spurious ones included (0 on a healthy machine).</summary>
    public static ulong LegacyPicInterrupts
    {
        get
        {
            ulong total = 0;
            for (int irq = 0; irq < 16; irq++)
                total += InterruptDispatcher.Count(IrqVectors.LegacyPicBase + irq);
            return total;
        }
    }

    /// <summary>Whether ReportEvents has something to report.</summary>
    public static bool HasEventsToReport
        => System.Threading.Volatile.Read(ref s_apicErrors) != s_reportedApicErrors || System.Threading.Volatile.Read(ref s_picUnexpected) != s_reportedPicUnexpected;

    /// <summary>
    /// From task context: logs a warning for APIC errors and unexpected 8259 interrupts since the last call (the
    /// handlers only count them). Returns whether anything was reported.
    /// </summary>
    public static bool ReportEvents()
    {
        bool reported = false;
        ulong errors = System.Threading.Volatile.Read(ref s_apicErrors);
        if (errors != s_reportedApicErrors)
        {
            KernelLog.WriteLine("[irq] warning: " + (errors - s_reportedApicErrors).ToString() + " local APIC error interrupt(s), last error status 0x"
                + s_lastErrorStatus.ToString("X2"));
            s_reportedApicErrors = errors;
            reported = true;
        }

        ulong unexpected = System.Threading.Volatile.Read(ref s_picUnexpected);
        if (unexpected != s_reportedPicUnexpected)
        {
            KernelLog.WriteLine("[irq] warning: the masked 8259 delivered " + (unexpected - s_reportedPicUnexpected).ToString()
                + " interrupt(s), the last on IRQ" + s_lastPicIrq.ToString());
            s_reportedPicUnexpected = unexpected;
            reported = true;
        }

        return reported;
    }

    /// <summary>One line of interrupt counts since boot, for diagnostics and the boot tests.</summary>
    public static string Summary()
        => "timer " + SystemTimer.Ticks.ToString() + " ticks at " + SystemTimer.Hz.ToString() + " Hz, keyboard "
            + InterruptDispatcher.Count(IrqVectors.Keyboard).ToString() + ", COM1 " + InterruptDispatcher.Count(IrqVectors.Com1).ToString()
            + ", 8259 " + LegacyPicInterrupts.ToString() + ", spurious " + SpuriousInterrupts.ToString() + ", APIC errors "
            + ApicErrors.ToString() + ", scancodes dropped " + Ps2Keyboard.Scancodes.DroppedCount.ToString()
            + ", serial bytes dropped " + SerialInput.Received.DroppedCount.ToString();

    private static string RouteIsaDevice(byte irq, byte vector)
    {
        if (!IoApic.TryRoute(irq, vector, LocalApic.Id, out IsaIrqRoute route))
            return "IRQ" + irq.ToString() + " unroutable (no I/O APIC serves GSI " + route.Gsi.ToString() + ")";
        return "IRQ" + irq.ToString() + " -> GSI " + route.Gsi.ToString() + " vector 0x" + vector.ToString("X2");
    }

    private static void OnApicError(InterruptFrame* frame)
    {
        s_lastErrorStatus = LocalApic.ReadErrorStatus();
        s_apicErrors++;
        LocalApic.Eoi();
    }

    private static void OnSpurious(InterruptFrame* frame) => s_spurious++;

    private static void OnLegacyPic(InterruptFrame* frame)
    {
        int irq = (int)frame->Vector - IrqVectors.LegacyPicBase;
        if ((irq == 7 || irq == 15) && Pic8259.IsSpurious(irq))
        {
            if (irq == 15)
                Pic8259.EndOfInterrupt(0); // the master saw its cascade line (IRQ2) fire
            s_picSpurious++;
            return;
        }

        s_lastPicIrq = irq;
        s_picUnexpected++;
        Pic8259.EndOfInterrupt(irq);
    }
}
