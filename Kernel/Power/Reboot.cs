// Resetting the machine, most graceful first:
//   1. the FADT's reset register (ACPI 2.0+): write ResetValue to it - on
//      QEMU (both q35 and pc) I/O port 0xCF9, value 6;
//   2. the 8042 keyboard controller's reset line: command 0xFE on port 0x64;
//   3. a triple fault: load an empty IDT and raise an exception - the CPU
//      cannot deliver it, nor the double fault, and shuts down, which the
//      chipset turns into a reset.
// Each step gets 100 ms to take effect before the next one.
using Kernel.Acpi;
using Kernel.Arch;
using Kernel.Diagnostics;
using Kernel.Time;
using Shared.Acpi;

namespace Kernel.Power;

public static unsafe class Reboot
{
    private const ulong SettleMicroseconds = 100_000;
    private const ushort Ps2Command = 0x64;
    private const byte Ps2InputFull = 0x02;
    private const byte Ps2PulseResetLine = 0xFE;

    public static void Now()
    {
        KernelLog.WriteLine("reboot: resetting the machine");
        Cpu.DisableInterrupts();
        Fadt fadt = PlatformTables.Fadt;
        if (fadt is not null && fadt.HasResetRegister)
        {
            KernelLog.WriteLine("reboot: ACPI reset register " + fadt.ResetRegister.ToString() + " <- 0x" + fadt.ResetValue.ToString("X2"));
            if (RegisterAccess.TryWrite(fadt.ResetRegister, fadt.ResetValue))
                TimeStampCounter.SpinWait(SettleMicroseconds);
        }

        KernelLog.WriteLine("reboot: 8042 reset pulse");
        for (int i = 0; i < 10_000 && (new Port8(Ps2Command).Read() & Ps2InputFull) != 0; i++)
            Cpu.Pause();
        // Harmless to memory: the 8042's pulse command only asserts the CPU reset line.
        new Port8(Ps2Command).Write(Ps2PulseResetLine);
        TimeStampCounter.SpinWait(SettleMicroseconds);

        KernelLog.WriteLine("reboot: triple fault");
        TripleFault();
    }

    private static void TripleFault()
    {
        Idt.LoadEmpty(); // limit 0: every vector is out of bounds
        Cpu.Breakpoint();
        Cpu.HaltForever();
    }
}
