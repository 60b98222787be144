// Loader messages. Progress goes to the serial port; failures go to the
// firmware console as well, so a person at the screen sees why the boot
// stopped. Every failure names the EFI status it returns to the firmware.
using Efi.Uefi;

namespace Efi;

internal static class Log
{
    public static void Info(string message)
    {
        Serial.Write("loader: ");
        Serial.Write(message);
        Serial.Write("\n");
    }

    public static void Warning(string message)
    {
        Serial.Write("loader: warning: ");
        Serial.Write(message);
        Serial.Write("\n");
        Firmware.ConsoleWrite("loader: warning: " + message + "\n");
    }

    /// <summary>Reports a failed stage, pauses so the message can be read, and returns the status to hand back to the firmware.</summary>
    public static EfiStatus Failure(string what, EfiStatus status)
    {
        string line = "loader: error: " + what + " (" + EfiStatusNames.Name(status) + ")\n";
        Serial.Write(line);
        Firmware.ConsoleWrite(line);
        Firmware.Stall(3_000_000);
        return status;
    }
}
