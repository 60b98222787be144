// Bytes received on COM1 as console input. Two ways in:
//   - before interrupts are up, readers poll: Poll drains the UART directly;
//   - after EnableInterrupts, the UART's receive interrupt (ISA IRQ4, vector
//     0x34) does it: the handler moves the waiting bytes into a lock-free
//     single-producer/single-consumer ring and acknowledges the APIC, and
//     InputPump (the ring's only consumer) decodes them outside the interrupt.
// Either way the bytes go through one TerminalInputDecoder (UTF-8, Enter,
// Backspace, cursor-key escape sequences) into ConsoleInput.
using Kernel.Arch;
using Kernel.Drivers;
using Kernel.Interrupts;
using Kernel.Interrupts.Apic;
using Kernel.Sync;
using Shared.Collections;
using Shared.Console;

namespace Kernel.Input;

public static unsafe class SerialInput
{
    /// <summary>Received bytes the ring holds (pasting into a terminal delivers them fast).</summary>
    public const int QueueCapacity = 1024;

    // Bounded per call, so a flood of input (or a stuck "data ready" bit) cannot keep a caller here. The UART's
    // receive FIFO holds 16 bytes, so the interrupt handler's bound is never the limit in practice.
    private const int MaxBytesPerDrain = 64;

    private static readonly SpinLock s_lock = new("serial input");
    private static readonly SpscRing<byte> s_received = new(QueueCapacity);
    private static TerminalInputDecoder s_decoder;

    /// <summary>Set once received bytes arrive by interrupt; readers then stop polling the port.</summary>
    public static bool InterruptDriven { get; private set; }

    /// <summary>Bytes the interrupt handler received and InputPump has not decoded yet.</summary>
    public static SpscRing<byte> Received => s_received;

    /// <summary>
    /// Installs the COM1 handler, unmasks IRQ4 and turns on the UART's receive interrupt. Returns a boot-log
    /// description.
    /// </summary>
    public static string EnableInterrupts()
    {
        SerialPort port = SerialPort.Com1;
        if (!port.IsPresent)
            return "IRQ4 masked (no COM1)";
        if (!IoApic.CanRoute(IsaIrq.Com1))
            return "IRQ4 masked (no I/O APIC input)";
        InterruptDispatcher.Register(IrqVectors.Com1, &OnInterrupt);
        using (s_lock.Acquire())
        {
            Drain(port); // what arrived while polling: the interrupt only signals bytes from now on
            InterruptDriven = true;
        }

        IoApic.Unmask(IsaIrq.Com1);
        port.SetReceiveInterrupt(true);
        return "COM1 IRQ4";
    }

    /// <summary>
    /// Moves the bytes waiting in the UART into the input queue (polled mode; does nothing once interrupt-driven).
    /// Returns how many were read.
    /// </summary>
    public static int Poll()
    {
        if (InterruptDriven)
            return 0; // the interrupt handler owns the UART's receive side now
        using (s_lock.Acquire())
            return Drain(SerialPort.Com1);
    }

    /// <summary>Decodes one received byte into console key presses (InputPump, the ring's consumer, calls this).</summary>
    public static void Decode(byte value)
    {
        System.Span<KeyPress> keys = stackalloc KeyPress[2];
        int count = s_decoder.Feed(value, keys);
        for (int i = 0; i < count; i++)
            ConsoleInput.Submit(keys[i]);
    }

    private static int Drain(SerialPort port)
    {
        int bytes = 0;
        while (bytes < MaxBytesPerDrain && port.TryReadByte(out byte value))
        {
            bytes++;
            Decode(value);
        }

        return bytes;
    }

    // Reading the data register clears the UART's receive interrupt once the FIFO is empty; a byte that arrives
    // after the loop raises it again.
    private static void OnInterrupt(InterruptFrame* frame)
    {
        SerialPort port = SerialPort.Com1;
        int received = 0;
        for (int i = 0; i < MaxBytesPerDrain && port.TryReadByte(out byte value); i++)
        {
            s_received.TryPush(value);
            received++;
        }

        if (received != 0)
            KeyStream.NotifyFromInterrupt(); // wakes the input task (lock-free)
        LocalApic.Eoi();
    }
}
