// A 16550-compatible UART (COM1 at 0x3F8 on PCs): 115200 baud, 8 data bits,
// no parity, 1 stop bit, FIFOs on. Writes wait for the transmitter with a
// bound, so a missing or stuck UART slows output down instead of hanging the
// kernel; a UART that fails the loopback self-test is not used at all.
using Kernel.Arch;

namespace Kernel.Drivers;

public sealed class SerialPort
{
    private const int TransmitSpinLimit = 100_000;

    // Register offsets from the base port.
    private const ushort Data = 0;              // DLAB=0: receive/transmit; DLAB=1: divisor low
    private const ushort InterruptEnable = 1;   // DLAB=1: divisor high
    private const ushort FifoControl = 2;
    private const ushort LineControl = 3;
    private const ushort ModemControl = 4;
    private const ushort LineStatus = 5;
    private const ushort Scratch = 7;

    private const byte LineStatusDataReady = 0x01;
    private const byte LineStatusTransmitterEmpty = 0x20;

    private readonly Port8 _base;

    public SerialPort(ushort basePort) => _base = new Port8(basePort);

    /// <summary>COM1, the port QEMU's -serial option connects to.</summary>
    public static SerialPort Com1 { get; } = new SerialPort(0x3F8);

    public bool IsPresent { get; private set; }

    public ushort BasePort => _base.Number;

    /// <summary>Programs the UART and checks it with a loopback test; returns whether it is usable.</summary>
    public bool Initialize()
    {
        // A scratch register that does not keep a value means there is no UART at this address.
        Register(Scratch).Write(0x5A);
        if (Register(Scratch).Read() != 0x5A)
            return IsPresent = false;

        Register(InterruptEnable).Write(0x00);
        Register(LineControl).Write(0x80);      // DLAB on: next two writes set the divisor
        Register(Data).Write(0x01);             // 115200 / 1
        Register(InterruptEnable).Write(0x00);
        Register(LineControl).Write(0x03);      // 8N1, DLAB off
        Register(FifoControl).Write(0xC7);      // enable and clear FIFOs, 14-byte receive threshold
        Register(ModemControl).Write(0x1E);     // loopback mode for the self-test
        Register(Data).Write(0xAE);
        bool echoed = WaitForData() && Register(Data).Read() == 0xAE;
        Register(ModemControl).Write(0x0F);     // normal mode: DTR, RTS, OUT1, OUT2 (OUT2 gates the IRQ line)
        return IsPresent = echoed;
    }

    public void WriteByte(byte value)
    {
        if (!IsPresent)
            return;
        Port8 status = Register(LineStatus);
        for (int i = 0; i < TransmitSpinLimit && (status.Read() & LineStatusTransmitterEmpty) == 0; i++)
            Cpu.Pause();
        Register(Data).Write(value);
    }

    /// <summary>Writes text, turning "\n" into "\r\n" for terminals; characters above 0x7F become UTF-8.</summary>
    public void Write(string text)
    {
        foreach (char c in text)
            WriteChar(c);
    }

    public void WriteChar(char c)
    {
        if (c == '\n')
        {
            WriteByte((byte)'\r');
            WriteByte((byte)'\n');
        }
        else if (c < 0x80)
        {
            WriteByte((byte)c);
        }
        else if (c < 0x800)
        {
            WriteByte((byte)(0xC0 | (c >> 6)));
            WriteByte((byte)(0x80 | (c & 0x3F)));
        }
        else
        {
            WriteByte((byte)(0xE0 | (c >> 12)));
            WriteByte((byte)(0x80 | ((c >> 6) & 0x3F)));
            WriteByte((byte)(0x80 | (c & 0x3F)));
        }
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
}
