// Both kernel images are made from one compile with the kernel tests in it (KERNEL_TESTS defined);
// the release image differs only by ILCompiler's substitution of KernelVariant.RunsTests
// (Kernel/Testing/ReleaseVariant.xml; docs/build.md, "Incremental builds"). So `#if KERNEL_TESTS`
// no longer keeps code out of the release image: this test finds any that would silently ship,
// and checks that the substitution still names the property it replaces.
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Host.Tests.Docs;
using Xunit;

namespace Host.Tests.Build;

public sealed class KernelVariantTests
{
    private const string VariantFile = "Kernel/Testing/KernelVariant.cs";

    [Fact]
    public void NoKernelSource_ChoosesByTheKernelTestsSymbol()
    {
        RepositoryFiles repository = RepositoryFiles.Current;
        var offenders = repository.Files
            .Where(path => path.EndsWith(".cs", StringComparison.Ordinal) && (path.StartsWith("Kernel/", StringComparison.Ordinal) || path.StartsWith("Shared/", StringComparison.Ordinal)))
            .Where(path => !path.StartsWith("Kernel/Tests/", StringComparison.Ordinal) && path != VariantFile)
            .Where(path => Regex.IsMatch(File.ReadAllText(Path.Combine(repository.Root, path)), @"^\s*#\s*(el)?if\b[^\n]*\bKERNEL_TESTS\b", RegexOptions.Multiline))
            .ToList();
        Assert.True(offenders.Count == 0,
            "these files test KERNEL_TESTS, which is defined for both images; branch on Kernel.Testing.KernelVariant.RunsTests instead: " + string.Join(", ", offenders));
    }

    [Fact]
    public void ReleaseSubstitution_NamesTheVariantProperty_AndMakesItFalse()
    {
        RepositoryFiles repository = RepositoryFiles.Current;
        XElement method = XDocument.Load(Path.Combine(repository.Root, "Kernel/Testing/ReleaseVariant.xml"))
            .Descendants("assembly").Single(a => (string)a.Attribute("fullname") == "Kernel")
            .Descendants("type").Single(t => (string)t.Attribute("fullname") == "Kernel.Testing.KernelVariant")
            .Descendants("method").Single();
        Assert.Equal("System.Boolean get_RunsTests()", (string)method.Attribute("signature"));
        Assert.Equal("stub", (string)method.Attribute("body"));
        Assert.Equal("false", (string)method.Attribute("value"));

        string source = File.ReadAllText(Path.Combine(repository.Root, VariantFile));
        Assert.Contains("namespace Kernel.Testing;", source);
        Assert.Contains("public static bool RunsTests", source);
    }
}
