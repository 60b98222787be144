// What a failed Assert throws: the test's own `using` and `finally` blocks
// run on the way out (releasing a lock, restoring a handler), and the test
// runner, which catches every exception a test lets escape, reports the
// test as failed with this message.
using System;

namespace Kernel.Testing;

public sealed class AssertionFailedException : Exception
{
    public AssertionFailedException(string message)
        : base(message)
    {
    }

    protected override string TypeName => "Kernel.Testing.AssertionFailedException";
}
