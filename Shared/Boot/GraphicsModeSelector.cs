// Which GOP mode the loader sets: the largest that fits the configured
// maximum resolution (kernel.conf "resolution", default 1920x1080), keeping
// the firmware's current mode when nothing better exists.
using System;

namespace Shared.Boot;

public static class GraphicsModeSelector
{
    /// <summary>
    /// Picks the mode to use from <paramref name="modes"/> (index <paramref name="current"/> is the one the
    /// firmware set, or -1): among the modes with a framebuffer that fit within the maximum, the one with the most
    /// pixels, the current mode winning ties (no needless mode switch), then the wider one. When none fits, the
    /// current mode stays if it has a framebuffer, else the smallest mode that has one is taken. Returns the index,
    /// or -1 when no mode has a framebuffer (BltOnly devices such as virtio-gpu).
    /// </summary>
    public static int Choose(ReadOnlySpan<GraphicsMode> modes, int current, uint maxWidth, uint maxHeight)
    {
        int best = -1;
        for (int i = 0; i < modes.Length; i++)
        {
            GraphicsMode mode = modes[i];
            if (mode.HasFramebuffer && mode.FitsWithin(maxWidth, maxHeight) && (best < 0 || Better(modes, i, best, current)))
                best = i;
        }

        if (best >= 0)
            return best;
        if (current >= 0 && current < modes.Length && modes[current].HasFramebuffer)
            return current;

        int smallest = -1;
        for (int i = 0; i < modes.Length; i++)
        {
            if (modes[i].HasFramebuffer && (smallest < 0 || modes[i].PixelCount < modes[smallest].PixelCount))
                smallest = i;
        }

        return smallest;
    }

    private static bool Better(ReadOnlySpan<GraphicsMode> modes, int candidate, int best, int current)
    {
        GraphicsMode a = modes[candidate];
        GraphicsMode b = modes[best];
        if (a.PixelCount != b.PixelCount)
            return a.PixelCount > b.PixelCount;
        if (candidate == current || best == current)
            return candidate == current;
        return a.Width > b.Width;
    }
}
