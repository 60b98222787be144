// One entry of the generated test table.
namespace Kernel.Testing;

internal readonly unsafe struct TestCase
{
    public TestCase(string name, string suite, bool shouldPanic, string expectedPanic, delegate*<void> method)
    {
        Name = name;
        Suite = suite;
        ShouldPanic = shouldPanic;
        ExpectedPanic = expectedPanic;
        Method = method;
    }

    public string Name { get; }

    public string Suite { get; }

    public bool ShouldPanic { get; }

    public string ExpectedPanic { get; }

    public delegate*<void> Method { get; }
}

internal static partial class TestTable
{
}
