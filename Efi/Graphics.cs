// The graphics stage: find the GOP the firmware console uses, list its modes,
// switch to the largest one within the configured maximum, and describe the
// framebuffer for the kernel. No GOP, a BltOnly GOP (virtio-gpu) or a
// framebuffer that does not add up all end the same way: no framebuffer, the
// kernel runs on the serial port, and the log says why.
using System;
using Efi.Uefi;
using Shared.Boot;

namespace Efi;

internal static unsafe class Graphics
{
    private const uint MaxModes = 256;

    /// <summary>Sets the display mode and returns the framebuffer (physical address only), or a "none" one.</summary>
    public static FramebufferInfo Initialize(in BootConfig config)
    {
        EfiGraphicsOutputProtocol* gop = Locate();
        if (gop == null || gop->Mode == null)
        {
            Log.Warning("no graphics output protocol (GOP): no framebuffer, the kernel runs on the serial port only");
            return default;
        }

        GraphicsMode[] modes = ListModes(gop, out int current);
        int chosen = GraphicsModeSelector.Choose(modes, current, config.MaxWidth, config.MaxHeight);
        if (chosen < 0)
        {
            Log.Warning("the display offers no framebuffer (every GOP mode is BltOnly): the kernel runs on the serial port only");
            return default;
        }

        if (chosen != current && !TrySetMode(gop, modes[chosen]))
        {
            if (current < 0 || !modes[current].HasFramebuffer)
            {
                Log.Warning("the current mode has no framebuffer either: the kernel runs on the serial port only");
                return default;
            }

            Log.Warning("keeping the current mode " + modes[current].ToString());
        }

        // Describe what is in effect now, as the firmware reports it.
        EfiGraphicsOutputProtocolMode* mode = gop->Mode;
        GraphicsMode active = mode->Info->ToMode(mode->Mode);
        FramebufferError error = FramebufferLayout.Describe(active, mode->FrameBufferBase, mode->FrameBufferSize, out FramebufferInfo framebuffer);
        if (error != FramebufferError.None)
        {
            Log.Warning("the framebuffer of mode " + active.ToString() + " is unusable (" + FramebufferLayout.Describe(error) + "): the kernel runs on the serial port only");
            return default;
        }

        Log.Info("display " + active.ToString() + " (limit " + config.MaxWidth.ToString() + "x" + config.MaxHeight.ToString()
            + "), stride " + framebuffer.Stride.ToString() + ", " + Describe(framebuffer)
            + ", framebuffer at 0x" + framebuffer.PhysicalBase.ToString("X") + " (" + (framebuffer.SizeBytes / 1024).ToString() + " KiB)");
        return framebuffer;
    }

    // The GOP on the console-out handle is the one the firmware draws its console with; any GOP otherwise.
    private static EfiGraphicsOutputProtocol* Locate()
    {
        void* protocol = null;
        void* consoleOut = Firmware.SystemTable->ConsoleOutHandle;
        if (consoleOut != null && Firmware.HandleProtocol(consoleOut, EfiGuid.GraphicsOutputProtocol, out protocol) == EfiStatus.Success && protocol != null)
            return (EfiGraphicsOutputProtocol*)protocol;
        if (Firmware.LocateProtocol(EfiGuid.GraphicsOutputProtocol, out protocol) == EfiStatus.Success)
            return (EfiGraphicsOutputProtocol*)protocol;
        return null;
    }

    private static GraphicsMode[] ListModes(EfiGraphicsOutputProtocol* gop, out int current)
    {
        uint count = Math.Min(gop->Mode->MaxMode, MaxModes);
        var modes = new GraphicsMode[count];
        int listed = 0;
        current = -1;
        for (uint number = 0; number < count; number++)
        {
            nuint infoSize = 0;
            EfiGraphicsOutputModeInformation* info = null;
            if (gop->QueryMode(gop, number, &infoSize, &info) != EfiStatus.Success || info == null)
                continue;
            if (infoSize >= (nuint)sizeof(EfiGraphicsOutputModeInformation))
            {
                if (number == gop->Mode->Mode)
                    current = listed;
                modes[listed++] = info->ToMode(number);
            }

            Firmware.FreePool(info);
        }

        if (Log.IsEnabled(LogLevel.Debug))
            Log.Debug("GOP modes: " + List(modes, listed, current));
        return modes.AsSpan(0, listed).ToArray();
    }

    private static bool TrySetMode(EfiGraphicsOutputProtocol* gop, in GraphicsMode mode)
    {
        EfiStatus status = gop->SetMode(gop, mode.Number);
        if (status == EfiStatus.Success)
            return true;
        Log.Warning("cannot switch the display to " + mode.ToString() + " (" + EfiStatusNames.Name(status) + ")");
        return false;
    }

    private static string Describe(in FramebufferInfo framebuffer) => framebuffer.Format switch
    {
        PixelFormat.Rgbx => "RGB",
        PixelFormat.Bgrx => "BGR",
        _ => "bitmask R" + framebuffer.RedSize.ToString() + "@" + framebuffer.RedShift.ToString()
            + " G" + framebuffer.GreenSize.ToString() + "@" + framebuffer.GreenShift.ToString()
            + " B" + framebuffer.BlueSize.ToString() + "@" + framebuffer.BlueShift.ToString(),
    } + " " + (framebuffer.BytesPerPixel * 8).ToString() + "-bit";

    private static string List(GraphicsMode[] modes, int count, int current)
    {
        string text = "";
        for (int i = 0; i < count; i++)
        {
            text += (i == 0 ? "" : ", ") + modes[i].ToString();
            if (modes[i].Format == GopPixelFormat.BltOnly)
                text += " (BltOnly)";
            if (i == current)
                text += " (current)";
        }

        return text;
    }
}
