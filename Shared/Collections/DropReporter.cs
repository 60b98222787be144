// Decides when to warn about input that a full queue dropped: the first
// drop is reported at once, later ones at most once per interval, each
// warning carrying how many were dropped since the previous one. An input
// flood then costs a few log lines instead of one per lost byte. Called from
// task context (never from the interrupt handler that does the dropping).
namespace Shared.Collections;

public struct DropReporter
{
    private readonly ulong _intervalMs;
    private uint _reported;
    private ulong _lastWarningMs;
    private bool _warnedBefore;

    public DropReporter(ulong intervalMs)
    {
        _intervalMs = intervalMs;
        _reported = 0;
        _lastWarningMs = 0;
        _warnedBefore = false;
    }

    /// <summary>
    /// Given the queue's running drop count and the time, true when a warning is due; <paramref name="newlyDropped"/>
    /// is then the number dropped since the last warning (and those become reported).
    /// </summary>
    public bool ShouldWarn(uint droppedCount, ulong nowMs, out uint newlyDropped)
    {
        newlyDropped = droppedCount - _reported;
        if (newlyDropped == 0 || (_warnedBefore && nowMs - _lastWarningMs < _intervalMs))
        {
            newlyDropped = 0;
            return false;
        }

        _reported = droppedCount;
        _lastWarningMs = nowMs;
        _warnedBefore = true;
        return true;
    }
}
