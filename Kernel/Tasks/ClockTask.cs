// A task that shows tasks running side by side: the uptime, redrawn in the
// top-right corner of the screen once a second while the shell waits for
// input or runs a command. Screen only - serial carries the console's text,
// and a clock there would interleave with it.
using System;
using System.Threading.Tasks;
using Kernel.Console;
using Kernel.Time;
using Shared.Console;

namespace Kernel.Tasks;

public static class ClockTask
{
    /// <summary>How many times the clock has been drawn (tests watch it advance).</summary>
    public static ulong Redraws { get; private set; }

    public static async Task RunAsync()
    {
        if (!KernelConsole.HasScreen)
            return; // serial only: nowhere to draw
        while (true)
        {
            Draw();
            await Task.Delay(1000);
        }
    }

    private static void Draw()
    {
        string text = " up " + Uptime.Format(TimeStampCounter.Read());
        int columns = KernelConsole.Screen.Columns;
        KernelConsole.WriteAt(columns - text.Length, 0, text, TextColor.BrightYellow, TextColor.Black);
        Redraws++;
    }
}
