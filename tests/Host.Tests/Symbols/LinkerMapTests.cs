// Reading lld-link's /map output: base address, section contributions,
// symbols with their addresses; anything else is refused with the line.
using AsmGen.Symbols;
using Xunit;

namespace Host.Tests.Symbols;

public sealed class LinkerMapTests
{
    [Fact]
    public void Parse_ReadsTheBaseTheSectionsAndEverySymbol()
    {
        LinkerMap map = LinkerMap.Parse(SampleMaps.Kernel());

        Assert.Equal(SampleMaps.Base, map.PreferredBase);
        Assert.Equal(8, map.Sections.Count);
        Assert.Equal(new MapSection(5, 0, 0x300, ".managedcode$I", "CODE"), map.Sections[5]);
        Assert.True(map.Sections[0].IsCode);
        Assert.False(map.Sections[1].IsCode);
        Assert.Equal(11, map.Symbols.Count);
        Assert.Equal(new MapSymbol(5, 0xC0, "KernelMain", 0xFFFF8000000060C0), map.Symbols.Single(s => s.Name == "KernelMain"));
        Assert.Equal("??_7Kernel_Kernel_Drivers_SerialPort@@6B@", map.Symbols[3].Name);
    }

    [Fact]
    public void SectionStart_IsDerivedFromAnySymbolInTheSection()
    {
        LinkerMap map = LinkerMap.Parse(SampleMaps.Kernel());
        Assert.Equal(0xFFFF800000001000UL, map.SectionStart(1));
        Assert.Equal(0xFFFF800000006000UL, map.SectionStart(5));
        Assert.Null(map.SectionStart(4));
    }

    [Fact]
    public void Parse_RefusesTextThatIsNotAnLldLinkMap()
    {
        var error = Assert.Throws<FormatException>(() => LinkerMap.Parse("hello\nworld\n", "notes.txt"));
        Assert.Contains("notes.txt", error.Message);
        Assert.Contains("Preferred load address", error.Message);
    }

    [Fact]
    public void Parse_NamesTheLineItCannotRead()
    {
        string broken = SampleMaps.Kernel().Replace("ffff800000001010     native-kernel.obj", "zz     native-kernel.obj");
        var error = Assert.Throws<FormatException>(() => LinkerMap.Parse(broken, "kernel.map"));
        Assert.Contains("kernel.map:", error.Message);
        Assert.Contains("cpu_int3", error.Message);
    }
}
