// `tasks`: the executor's live tasks - id, name, state, polls.
using System;
using System.Threading;
using System.Threading.Tasks;
using Kernel.Console;
using Kernel.Tasks;
using Shared.Tasks;

namespace Kernel.Shell.Commands;

public static class TasksCommand
{
    public static readonly ShellCommand Command = new("tasks", "", "list the tasks (id, name, state, polls)", Run);

    private static Task Run(string arguments, CancellationToken cancellationToken)
    {
        Executor executor = KernelExecutor.Instance;
        var tasks = new ExecutorTask[executor.TaskCount];
        int count = executor.GetTasks(tasks);
        KernelConsole.WriteLine("  id  name          state      polls");
        for (int i = 0; i < count; i++)
        {
            ExecutorTask task = tasks[i];
            KernelConsole.WriteLine("  " + task.Id.ToString().PadLeft(2) + "  " + task.Name.PadRight(12) + "  "
                + StateName(task.State).PadRight(9) + "  " + task.Polls.ToString());
        }

        KernelConsole.WriteLine(count.ToString() + " tasks; " + executor.CompletedTasks.ToString() + " finished since boot; "
            + executor.PendingTimers.ToString() + " timers pending");
        return Task.CompletedTask;
    }

    private static string StateName(ExecutorTaskState state) => state switch
    {
        ExecutorTaskState.Ready => "ready",
        ExecutorTaskState.Running => "running",
        ExecutorTaskState.Waiting => "waiting",
        ExecutorTaskState.Completed => "completed",
        _ => "faulted",
    };
}
