// Bytes received on COM1 as console input: drained from the UART, decoded
// (UTF-8, Enter, Backspace, cursor-key sequences) and submitted to
// ConsoleInput. Before interrupts are up, readers poll through here; the
// interrupt work will call OnInterrupt from the COM1 handler (IRQ 4, with
// the UART's receive interrupt enabled) and set InterruptDriven.
using Kernel.Drivers;
using Kernel.Sync;
using Shared.Console;

namespace Kernel.Input;

public static class SerialInput
{
    // Bounded per call, so a flood of input (or a stuck "data ready" bit) cannot keep a caller here.
    private const int MaxBytesPerDrain = 64;

    private static readonly SpinLock s_lock = new("serial input");
    private static TerminalInputDecoder s_decoder;

    /// <summary>Set once received bytes arrive by interrupt; readers then stop polling the port.</summary>
    public static bool InterruptDriven { get; set; }

    /// <summary>Moves the bytes waiting in the UART into the input queue. Returns how many bytes were read.</summary>
    public static int Poll() => Drain(SerialPort.Com1);

    /// <summary>For the COM1 interrupt handler: the same drain, called when the UART says data is ready.</summary>
    public static void OnInterrupt() => Drain(SerialPort.Com1);

    internal static int Drain(SerialPort port)
    {
        using (s_lock.Acquire())
        {
            System.Span<KeyPress> keys = stackalloc KeyPress[2];
            int bytes = 0;
            while (bytes < MaxBytesPerDrain && port.TryReadByte(out byte value))
            {
                bytes++;
                int count = s_decoder.Feed(value, keys);
                for (int i = 0; i < count; i++)
                    ConsoleInput.Submit(keys[i]);
            }

            return bytes;
        }
    }
}
