// The keyboard's interrupt half. The i8042 raises ISA IRQ1 (routed through
// the I/O APIC to vector 0x31) whenever a byte from the keyboard waits in its
// output buffer. The handler does the least it can: read that one byte, push
// it into a lock-free single-producer/single-consumer ring, acknowledge the
// local APIC. Decoding happens later, outside the interrupt, in
// Kernel/Input/InputPump.cs (the ring's only consumer).
//
// A full ring drops the new byte; the ring counts it and the pump warns
// ("scancode queue full; dropping keyboard input"), rate-limited. A dropped
// byte can leave the decoder one half of a key short (a press without its
// release, say); that is the price of never blocking an interrupt handler.
using Kernel.Arch;
using Kernel.Interrupts;
using Kernel.Interrupts.Apic;
using Shared.Collections;

namespace Kernel.Drivers;

public static unsafe class Ps2Keyboard
{
    /// <summary>Scancodes the ring holds: a few seconds of fast typing (a key is two bytes, E0 keys four).</summary>
    public const int QueueCapacity = 256;

    private static readonly SpscRing<byte> s_scancodes = new(QueueCapacity);

    /// <summary>Scancodes received by the interrupt handler and not yet decoded.</summary>
    public static SpscRing<byte> Scancodes => s_scancodes;

    public static bool InterruptsEnabled { get; private set; }

    /// <summary>
    /// Installs the IRQ1 handler and unmasks IRQ1 at the I/O APIC. Needs an initialized controller (Ps2Controller)
    /// and routed interrupt controllers; returns a boot-log description.
    /// </summary>
    public static string EnableInterrupts()
    {
        if (!Ps2Controller.IsReady)
            return "IRQ1 masked (no keyboard)";
        if (!IoApic.CanRoute(IsaIrq.Keyboard))
            return "IRQ1 masked (no I/O APIC input)";
        InterruptDispatcher.Register(IrqVectors.Keyboard, &OnInterrupt);
        IoApic.Unmask(IsaIrq.Keyboard);
        InterruptsEnabled = true;
        return "keyboard IRQ1";
    }

    // One byte per interrupt: while more bytes wait, the controller raises IRQ1 again after this one is read.
    private static void OnInterrupt(InterruptFrame* frame)
    {
        if (Ps2Controller.TryReadKeyboardByte(out byte code))
        {
            s_scancodes.TryPush(code);
            Input.KeyStream.NotifyFromInterrupt(); // wakes the input task (lock-free)
        }

        LocalApic.Eoi();
    }
}
