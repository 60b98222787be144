// What awaiting a canceled task throws.
namespace System.Threading.Tasks;

public class TaskCanceledException : OperationCanceledException
{
    public TaskCanceledException() : base("A task was canceled.") { }
    protected internal override string TypeName => "System.Threading.Tasks.TaskCanceledException";
}
