// Paths inside the repository the tests run from.
namespace Boot.Tests.Harness;

public static class Repository
{
    private static readonly Lazy<string> s_root = new(FindRoot);

    public static string Root => s_root.Value;

    public static string Artifacts => Path.Combine(Root, "artifacts");

    /// <summary>The ESP directory of the image users boot.</summary>
    public static string ReleaseEsp => Path.Combine(Artifacts, "esp");

    /// <summary>The ESP directory of the image with the kernel tests compiled in.</summary>
    public static string TestEsp => Path.Combine(Artifacts, "test", "esp");

    /// <summary>The test kernel's IL, where the [KernelTest] methods are found.</summary>
    public static string TestKernelIl => Path.Combine(Root, "Kernel", "bin", "Test", "net10.0", "Kernel.dll");

    public static string RunsDirectory => Path.Combine(Artifacts, "test-runs");

    private static string FindRoot()
    {
        for (string? directory = AppContext.BaseDirectory; directory is not null; directory = Path.GetDirectoryName(directory))
        {
            if (File.Exists(Path.Combine(directory, "build.cake")))
                return directory;
        }

        throw new InvalidOperationException("cannot find the repository root (no build.cake above " + AppContext.BaseDirectory + ")");
    }
}
