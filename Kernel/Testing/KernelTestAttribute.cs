// Marks a static, parameterless method as a kernel test. tools/TestGenerator
// collects every such method into TestTable at compile time; the boot tests
// (tests/Boot.Tests) find them in the kernel's IL and show each as its own
// xunit test case.
using System;

namespace Kernel.Testing;

[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class KernelTestAttribute : Attribute
{
    /// <summary>
    /// Tests of one suite run in one boot, in name order. Tests that end the kernel (ShouldPanic) always run
    /// alone. Suites whose names start with "selftest-" exercise the test framework itself and are not run
    /// as ordinary tests.
    /// </summary>
    public string Suite { get; set; } = "main";

    /// <summary>The test passes only if the kernel panics (the panic handler is reached) while it runs.</summary>
    public bool ShouldPanic { get; set; }

    /// <summary>Text the panic message must contain (implies ShouldPanic).</summary>
    public string ExpectedPanic { get; set; }
}
