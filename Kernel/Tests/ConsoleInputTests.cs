// The console's input path: the queue every source feeds, and bytes really
// received by the UART (in loopback mode, so the test can send them) arriving
// by the COM1 interrupt as decoded key presses.
using Kernel.Arch;
using Kernel.Drivers;
using Kernel.Input;
using Kernel.Interrupts;
using Kernel.Interrupts.Apic;
using Kernel.Testing;
using Kernel.Time;
using Shared.Console;

namespace Kernel.Tests;

internal static class ConsoleInputTests
{
    [KernelTest]
    public static void InputQueue_KeepsOrder_AndDropsNewKeysWhenFull()
    {
        var queue = new InputQueue("test queue", 4);
        for (int i = 0; i < 6; i++)
            queue.TryEnqueue(KeyPress.FromCharacter((char)('a' + i)));
        Assert.Equal(4, queue.Count);
        Assert.Equal(2UL, queue.Dropped);

        for (char expected = 'a'; expected <= 'd'; expected++)
        {
            Assert.True(queue.TryDequeue(out KeyPress key));
            Assert.Equal(expected, key.Character);
        }

        Assert.False(queue.TryDequeue(out _));
        queue.TryEnqueue(KeyPress.FromSpecial(SpecialKey.Up)); // wraps around the ring
        Assert.True(queue.TryDequeue(out KeyPress up));
        Assert.True(up.Key == SpecialKey.Up);
    }

    [KernelTest]
    public static void SerialInput_BytesReceivedByTheUart_ArriveByInterrupt_AsKeyPresses()
    {
        SerialPort port = SerialPort.Com1;
        Assert.True(port.IsPresent, "QEMU always has COM1");
        Assert.True(SerialInput.InterruptDriven && port.ReceiveInterruptEnabled, "COM1 input is interrupt-driven");
        InputPump.Pump();
        ConsoleInput.Queue.Clear();
        ulong interruptsBefore = InterruptDispatcher.Count(IrqVectors.Com1);

        // Loopback: each byte sent is received back, raising IRQ4. Nothing else may write to the port meanwhile.
        port.SetLoopback(true);
        foreach (byte b in new byte[] { (byte)'k', 0xC3, 0xA9, (byte)'\r', 0x7F, 0x1B, (byte)'[', (byte)'A' })
            port.WriteByte(b);
        ulong start = TimeStampCounter.Read();
        while (SerialInput.Received.Count < 8 && TimeStampCounter.ToMicroseconds(TimeStampCounter.Read() - start) < 500_000)
            Cpu.Pause();
        port.SetLoopback(false);

        Assert.Equal(8L, SerialInput.Received.Count);
        Assert.True(InterruptDispatcher.Count(IrqVectors.Com1) > interruptsBefore, "the bytes came by interrupt");
        Assert.Equal(0L, SerialInput.Poll()); // polling is off: the interrupt handler owns the receiver
        ExpectCharacter('k');
        ExpectCharacter('\u00E9');
        ExpectCharacter('\n');
        ExpectCharacter('\b');
        Assert.True(ConsoleInput.TryReadKey(out KeyPress arrow));
        Assert.True(arrow.Key == SpecialKey.Up, "ESC [ A is the Up key");
        Assert.False(ConsoleInput.TryReadKey(out _));
    }

    private static void ExpectCharacter(char expected)
    {
        Assert.True(ConsoleInput.TryReadKey(out KeyPress key), "a key is waiting");
        Assert.Equal(expected, key.Character);
    }
}
