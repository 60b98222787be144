// The two-pass link's safety net: pass 2 (real symbol table) must leave
// everything where pass 1 (placeholder) put it, or the build stops.
using AsmGen.Symbols;
using Xunit;

namespace Host.Tests.Symbols;

public sealed class LinkCheckTests
{
    [Fact]
    public void SameLayout_WithABiggerTable_PassesTheCheck()
        => Assert.Empty(LinkCheck.Compare(LinkerMap.Parse(SampleMaps.Kernel(tableLength: 0x30)), LinkerMap.Parse(SampleMaps.Kernel(tableLength: 0x5000))));

    [Fact]
    public void MovedCode_IsReportedBySymbol()
    {
        IReadOnlyList<string> problems = LinkCheck.Compare(LinkerMap.Parse(SampleMaps.Kernel()), LinkerMap.Parse(SampleMaps.Kernel(managedShift: 0x1000)));
        Assert.Contains(problems, p => p.StartsWith("Kernel_Kernel_Diagnostics_Panic__Fail: at 0xFFFF800000006200 after pass 1", StringComparison.Ordinal));
    }

    [Fact]
    public void TableNotLast_IsReported()
    {
        IReadOnlyList<string> problems = LinkCheck.Compare(LinkerMap.Parse(SampleMaps.Kernel()), LinkerMap.Parse(SampleMaps.Kernel(tableLast: false)));
        Assert.Contains(problems, p => p.Contains("section table differs", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains(".zsymtab is not the image's last section", StringComparison.Ordinal));
    }
}
