// What a kernel task is doing, as `tasks` shows it.
namespace Shared.Tasks;

public enum ExecutorTaskState
{
    /// <summary>Woken: in the ready queue, to be polled.</summary>
    Ready,

    /// <summary>Being polled now.</summary>
    Running,

    /// <summary>Suspended in an await; a wake puts it back in the ready queue.</summary>
    Waiting,

    /// <summary>Its async method returned.</summary>
    Completed,

    /// <summary>Its async method threw (once exceptions unwind; until then a throw panics).</summary>
    Faulted,
}
