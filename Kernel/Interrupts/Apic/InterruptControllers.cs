// Start-up of the interrupt controllers, in the order the hardware needs:
// first silence the legacy 8259s (remapped away from the exception vectors,
// every line masked), then enable the boot CPU's local APIC, then find the
// I/O APICs (all inputs masked) and route the ISA devices this kernel
// drives - the keyboard (IRQ1) and COM1 (IRQ4) - to their vectors on the
// boot CPU, still masked until their handlers exist. Only the boot CPU takes
// interrupts; the other CPUs stay parked in the firmware.
using Kernel.Drivers;
using Shared.Acpi;

namespace Kernel.Interrupts.Apic;

public static class InterruptControllers
{
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

    private static string RouteIsaDevice(byte irq, byte vector)
    {
        if (!IoApic.TryRoute(irq, vector, LocalApic.Id, out IsaIrqRoute route))
            return "IRQ" + irq.ToString() + " unroutable (no I/O APIC serves GSI " + route.Gsi.ToString() + ")";
        return "IRQ" + irq.ToString() + " -> GSI " + route.Gsi.ToString() + " vector 0x" + vector.ToString("X2");
    }
}
