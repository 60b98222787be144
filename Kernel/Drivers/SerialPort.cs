// A 16550-compatible UART (COM1 at 0x3F8 on PCs): 115200 baud, 8 data bits,
// no parity, 1 stop bit, FIFOs on. A UART that fails the scratch-register or
// loopback self-test is not used at all (the console then runs on the screen
// alone). Output fills the 16-byte transmit FIFO whenever it drains, waiting
// for it with a bound: a stuck transmitter is given up on after one timeout
// (bytes are dropped until it drains again), so it slows nothing down.
//
// This driver has no lock of its own: KernelConsole serializes all output,
// and SerialInput all input.
using System;
using Kernel.Arch;

namespace Kernel.Drivers;

public sealed class SerialPort
{
    private const int TransmitSpinLimit = 100_000;
    private const int FifoDepth = 16;

    // Register offsets from the base port.
    private const ushort Data = 0;              // DLAB=0: receive/transmit; DLAB=1: divisor low
    private const ushort InterruptEnable = 1;   // DLAB=1: divisor high
    private const ushort FifoControl = 2;       // write: FIFO control; read: interrupt identification
    private const ushort LineControl = 3;
    private const ushort ModemControl = 4;
    private const ushort LineStatus = 5;
    private const ushort Scratch = 7;

    private const byte InterruptReceivedData = 0x01;
    private const byte LineStatusDataReady = 0x01;
    private const byte LineStatusTransmitterEmpty = 0x20;
    private const byte FifosEnabled = 0xC0;     // interrupt identification bits 6-7: a 16550A with working FIFOs
    private const byte ModemNormal = 0x0F;      // DTR, RTS, OUT1, OUT2 (OUT2 gates the IRQ line)
    private const byte ModemLoopback = 0x1E;    // RTS, OUT1, OUT2, loopback

    private readonly Port8 _base;
    private int _transmitRoom;
    private int _burstSize = 1;
    private bool _transmitterStuck;

    public SerialPort(ushort basePort) => _base = new Port8(basePort);

    /// <summary>COM1, the port QEMU's -serial option connects to.</summary>
    public static SerialPort Com1 { get; } = new SerialPort(0x3F8);

    public bool IsPresent { get; private set; }

    public ushort BasePort => _base.Number;

    /// <summary>Programs the UART and checks it with a loopback test; returns whether it is usable.</summary>
    public bool Initialize()
    {
        // A scratch register that does not keep a value means there is no UART at this address.
        WriteRegister(Scratch, 0x5A);
        if (Register(Scratch).Read() != 0x5A)
            return IsPresent = false;

        WriteRegister(InterruptEnable, 0x00);
        WriteRegister(LineControl, 0x80);      // DLAB on: next two writes set the divisor
        WriteRegister(Data, 0x01);             // 115200 / 1
        WriteRegister(InterruptEnable, 0x00);
        WriteRegister(LineControl, 0x03);      // 8N1, DLAB off
        WriteRegister(FifoControl, 0xC7);      // enable and clear FIFOs, 14-byte receive threshold
        _burstSize = (Register(FifoControl).Read() & FifosEnabled) == FifosEnabled ? FifoDepth : 1;
        WriteRegister(ModemControl, ModemLoopback);
        WriteRegister(Data, 0xAE);
        bool echoed = WaitForData() && Register(Data).Read() == 0xAE;
        WriteRegister(ModemControl, ModemNormal);
        _transmitRoom = 0;
        _transmitterStuck = false;
        return IsPresent = echoed;
    }

    /// <summary>
    /// Loopback mode: what is sent comes straight back as received data and nothing leaves the port. The kernel
    /// tests use it to exercise the input path.
    /// </summary>
    public void SetLoopback(bool enabled)
    {
        if (!IsPresent)
            return;
        WaitUntilSent();
        WriteRegister(ModemControl, enabled ? ModemLoopback : ModemNormal);
    }

    /// <summary>
    /// Turns the UART's "received data available" interrupt on or off (interrupt-enable register bit 0). With it
    /// on, the UART raises its IRQ line while received bytes wait (cleared by reading them); OUT2, set in normal
    /// mode, connects that line to the interrupt controller on PCs.
    /// </summary>
    public void SetReceiveInterrupt(bool enabled)
    {
        if (IsPresent)
            WriteRegister(InterruptEnable, enabled ? InterruptReceivedData : (byte)0);
    }

    /// <summary>Whether the receive interrupt is enabled (reads the interrupt-enable register).</summary>
    public bool ReceiveInterruptEnabled => IsPresent && (Register(InterruptEnable).Read() & InterruptReceivedData) != 0;

    /// <summary>For the panic path: whatever state the port was left in, make it send again.</summary>
    public void RecoverForPanic()
    {
        if (!IsPresent)
            return;
        WriteRegister(ModemControl, ModemNormal);
        _transmitRoom = 0;
        _transmitterStuck = false;
    }

    public void WriteByte(byte value)
    {
        if (!IsPresent)
            return;
        if (_transmitRoom == 0 && !WaitForTransmitter())
            return;
        WriteRegister(Data, value);
        _transmitRoom--;
    }

    /// <summary>Writes text as UTF-8, turning "\n" into "\r\n" for terminals.</summary>
    public void Write(ReadOnlySpan<char> text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                WriteCodePoint(0x10000 + ((c - 0xD800) << 10) + (text[i + 1] - 0xDC00));
                i++;
            }
            else
            {
                WriteChar(c);
            }
        }
    }

    public void Write(string text) => Write(text.AsSpan());

    public void WriteChar(char c)
    {
        if (c == '\n')
            WriteByte((byte)'\r');
        WriteCodePoint(char.IsSurrogate(c) ? 0xFFFD : c);
    }

    /// <summary>A received byte, if one is waiting.</summary>
    public bool TryReadByte(out byte value)
    {
        if (IsPresent && (Register(LineStatus).Read() & LineStatusDataReady) != 0)
        {
            value = Register(Data).Read();
            return true;
        }

        value = 0;
        return false;
    }

    private void WriteCodePoint(int codePoint)
    {
        if (codePoint < 0x80)
        {
            WriteByte((byte)codePoint);
        }
        else if (codePoint < 0x800)
        {
            WriteByte((byte)(0xC0 | (codePoint >> 6)));
            WriteByte((byte)(0x80 | (codePoint & 0x3F)));
        }
        else if (codePoint < 0x10000)
        {
            WriteByte((byte)(0xE0 | (codePoint >> 12)));
            WriteByte((byte)(0x80 | ((codePoint >> 6) & 0x3F)));
            WriteByte((byte)(0x80 | (codePoint & 0x3F)));
        }
        else
        {
            WriteByte((byte)(0xF0 | (codePoint >> 18)));
            WriteByte((byte)(0x80 | ((codePoint >> 12) & 0x3F)));
            WriteByte((byte)(0x80 | ((codePoint >> 6) & 0x3F)));
            WriteByte((byte)(0x80 | (codePoint & 0x3F)));
        }
    }

    // Waits (bounded) until the transmit FIFO is empty, then allows a burst of FIFO-depth bytes. After a timeout
    // the transmitter counts as stuck: later bytes are dropped without waiting until it is seen empty again.
    private bool WaitForTransmitter()
    {
        Port8 status = Register(LineStatus);
        int limit = _transmitterStuck ? 1 : TransmitSpinLimit;
        for (int i = 0; i < limit; i++)
        {
            if ((status.Read() & LineStatusTransmitterEmpty) != 0)
            {
                _transmitterStuck = false;
                _transmitRoom = _burstSize;
                return true;
            }

            Cpu.Pause();
        }

        _transmitterStuck = true;
        return false;
    }

    private void WaitUntilSent()
    {
        Port8 status = Register(LineStatus);
        for (int i = 0; i < TransmitSpinLimit && (status.Read() & LineStatusTransmitterEmpty) == 0; i++)
            Cpu.Pause();
        _transmitRoom = 0;
    }

    private bool WaitForData()
    {
        for (int i = 0; i < TransmitSpinLimit; i++)
        {
            if ((Register(LineStatus).Read() & LineStatusDataReady) != 0)
                return true;
        }

        return false;
    }

    private Port8 Register(ushort offset) => _base.Offset(offset);

    // A 16550 has no DMA and maps no memory: writing its registers cannot break memory safety.
    private void WriteRegister(ushort offset, byte value)
    {
        unsafe
        {
            Register(offset).Write(value);
        }
    }
}
