// Makes each kernel test its own xunit test case, named after the kernel
// test ("kernel: RuntimeTests.Strings_LiteralsAndOperations"), instead of
// one theory with a truncated argument list.
using Boot.Tests.Harness;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Boot.Tests.Discovery;

/// <summary>On a method taking the kernel test's name: one test case per [KernelTest] in the test kernel.</summary>
[XunitTestCaseDiscoverer("Boot.Tests.Discovery.KernelTestCaseDiscoverer", "Boot.Tests")]
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class KernelTestCasesAttribute : FactAttribute
{
}

public sealed class KernelTestCaseDiscoverer : IXunitTestCaseDiscoverer
{
    private readonly IMessageSink _diagnostics;

    public KernelTestCaseDiscoverer(IMessageSink diagnostics) => _diagnostics = diagnostics;

    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions options, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        IReadOnlyList<KernelTestInfo> tests;
        try
        {
            tests = KernelTestCatalog.All;
        }
        catch (Exception e)
        {
            return new IXunitTestCase[] { new ExecutionErrorTestCase(_diagnostics, options.MethodDisplayOrDefault(), options.MethodDisplayOptionsOrDefault(), testMethod, "cannot list the kernel tests: " + e.Message) };
        }

        return tests.Where(t => !t.IsSelfTest).Select(t => (IXunitTestCase)new KernelTestCase(_diagnostics, options.MethodDisplayOrDefault(), options.MethodDisplayOptionsOrDefault(), testMethod, t.Name));
    }
}

public sealed class KernelTestCase : XunitTestCase
{
    [Obsolete("Called by the de-serializer", error: true)]
    public KernelTestCase()
    {
    }

    public KernelTestCase(IMessageSink diagnostics, TestMethodDisplay display, TestMethodDisplayOptions displayOptions, ITestMethod method, string kernelTest)
        : base(diagnostics, display, displayOptions, method, new object[] { kernelTest })
    {
    }

    protected override string GetDisplayName(IAttributeInfo factAttribute, string displayName)
        => "kernel: " + (string)TestMethodArguments[0];

    protected override string GetUniqueID() => "kernel:" + (string)TestMethodArguments[0];
}
