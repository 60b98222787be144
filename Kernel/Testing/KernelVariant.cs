// Which kernel this image is: the one users boot, or the one that runs the in-kernel test suites.
// Both images are made from the same IL (the Test configuration, tests compiled in), so a change is
// compiled once: ILCompiler makes the release image with Testing/ReleaseVariant.xml, which replaces
// RunsTests' body by `false`; ILCompiler then drops the branch that calls the test runner, and with
// it every test (build.cake, docs/build.md "One compile, two images").
namespace Kernel.Testing;

public static class KernelVariant
{
    /// <summary>True in the test image; the release image's ILCompiler substitution makes it false.</summary>
    public static bool RunsTests
    {
#if KERNEL_TESTS
        get => true;
#else
        get => false;
#endif
    }
}
