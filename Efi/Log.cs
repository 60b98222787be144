// Loader messages, one line each, prefixed "loader:". Progress goes to the
// serial port; warnings and failures go to the firmware console as well, so a
// person at the screen sees why the boot stopped. Every failure names the EFI
// status it returns to the firmware.
//
// kernel.conf decides how much is said ("log = error | warning | info |
// debug") and whether COM1 is touched at all ("serial = off", for machines
// where port 0x3F8 is something else). Until the file is read the defaults
// apply: info level, serial on.
using Efi.Uefi;
using Shared.Boot;

namespace Efi;

internal static class Log
{
    private const string Prefix = "loader: ";
    private static LogLevel s_level = LogLevel.Info;
    private static bool s_serial = true;

    public static void Configure(LogLevel level, bool serial)
    {
        s_level = level;
        s_serial = serial;
    }

    public static bool IsEnabled(LogLevel level) => level <= s_level;

    public static void Debug(string message)
    {
        if (IsEnabled(LogLevel.Debug))
            ToSerial(Prefix + message + "\n");
    }

    public static void Info(string message)
    {
        if (IsEnabled(LogLevel.Info))
            ToSerial(Prefix + message + "\n");
    }

    public static void Warning(string message)
    {
        if (!IsEnabled(LogLevel.Warning))
            return;
        string line = Prefix + "warning: " + message + "\n";
        ToSerial(line);
        Firmware.ConsoleWrite(line);
    }

    /// <summary>
    /// Reports a failed stage (at every log level), pauses three seconds so the message can be read, and returns
    /// the status to hand back to the firmware.
    /// </summary>
    public static EfiStatus Failure(string what, EfiStatus status)
    {
        string line = Prefix + "error: " + what + " (" + EfiStatusNames.Name(status) + ")\n";
        ToSerial(line);
        Firmware.ConsoleWrite(line);
        Firmware.Stall(3_000_000);
        return status;
    }

    private static void ToSerial(string line)
    {
        if (s_serial)
            Serial.Write(line);
    }
}
