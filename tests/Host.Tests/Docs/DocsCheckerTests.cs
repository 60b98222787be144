// The docs checks themselves: each must catch the mistake it exists for (a
// misspelt member, a moved file, a changed log line), not only pass on the
// chapters as they are.
using Xunit;

namespace Host.Tests.Docs;

public sealed class DocsCheckerTests
{
    private static readonly DocsChecker s_checker = new(RepositoryFiles.Current, SourceIndex.Current);

    private static MarkdownChapter Chapter(string text) => new("docs/example.md", text);

    [Theory]
    [InlineData("KernelConsole.TakeOverForPanic()")]
    [InlineData("LocalApic.Eoi()")]
    [InlineData("LocalApic.StartPeriodicTimer(vector, hz)")]
    [InlineData("Kernel.Diagnostics.Panic.Fail")]
    [InlineData("System.Runtime.TypeCast.CheckCastClass")]
    [InlineData("BootInfo.Framebuffer.Flags")]
    [InlineData("Cr4Flags.OsFxsr")]
    [InlineData("TextColor.Green")]
    [InlineData("Shared.Memory")]
    [InlineData("BOOTX64.EFI")]
    [InlineData("kernel.conf")]
    [InlineData("Span<T>")]
    [InlineData("CR4.OSFXSR")]
    public void CodeName_ThatExists_OrIsNotACodeName_Passes(string name)
        => Assert.Null(s_checker.CheckCodeName(name));

    [Theory]
    [InlineData("LocalApic.EndOfInterrupt()", "type LocalApic has no member 'EndOfInterrupt'")]
    [InlineData("KernelConsole.TakeOverForPanick", "type KernelConsole has no member 'TakeOverForPanick'")]
    [InlineData("KernelConsol.Write", "no type named 'KernelConsol'")]
    [InlineData("Kernel.Diagnostic.Panic.Fail", "'Kernel.Diagnostic' is not a namespace")]
    [InlineData("BootInfo.Framebuffer.Flagz", "type FramebufferInfo has no member 'Flagz'")]
    [InlineData("Cr4Flags.OsFxsrr", "type Cr4Flags has no member 'OsFxsrr'")]
    public void CodeName_WithATypo_IsReported(string name, string expected)
        => Assert.Contains(expected, s_checker.CheckCodeName(name));

    [Fact]
    public void CodeNames_AreReportedWithFileAndLine()
    {
        string[] problems = s_checker.CheckCodeNames(Chapter("intro\n\ncall `LocalApic.Eoi()` and\nthen `LocalApic.EndOfInterrupt()`.\n")).ToArray();
        Assert.Equal(new[] { "docs/example.md:4: `LocalApic.EndOfInterrupt()`: type LocalApic has no member 'EndOfInterrupt' (looked in Kernel/Interrupts/Apic/LocalApic.cs)" }, problems);
    }

    [Fact]
    public void Paths_ThatDoNotExist_AreReported_InProseCodeFontAndLinks()
    {
        MarkdownChapter chapter = Chapter(
            "The dispatcher is in Kernel/Interrupts/InterruptDispatcher.cs (see Kernel/Interrupts/Dispatcher.cs).\n" +
            "Font: `Fonts.cs`, `Fontz.cs`, `Harness/QemuRun.cs`, `Harness/QemuRunner.cs`, `Kernel/Tests/{Acpi,Apic}Tests.cs`, `Kernel/Tests/{Acpi,Apix}Tests.cs`.\n" +
            "Links: [ok](interrupts.md#part-2-interrupts-delivered), [file](nothere.md), [anchor](interrupts.md#no-such-part), `Kernel/Tests/Console*.cs`, `Kernel/Tests/Nothing*.cs`.\n" +
            "Elsewhere: `src/coreclr/gc/gcdesc.h` is another repository's path and not checked.\n");
        string[] problems = s_checker.CheckPaths(chapter).ToArray();
        Assert.Contains("docs/example.md:1: names the path 'Kernel/Interrupts/Dispatcher.cs', which does not exist in the repository", problems);
        Assert.Contains(problems, p => p.StartsWith("docs/example.md:2: names the file 'Fontz.cs'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("docs/example.md:2: names 'Harness/QemuRunner.cs'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("'Kernel/Tests/{Acpi,Apix}Tests.cs'", StringComparison.Ordinal));
        Assert.Contains("docs/example.md:3: links to 'nothere.md', but 'docs/nothere.md' does not exist", problems);
        Assert.Contains("docs/example.md:3: links to 'interrupts.md#no-such-part', but docs/interrupts.md has no heading with the anchor '#no-such-part'", problems);
        Assert.Contains(problems, p => p.Contains("'Kernel/Tests/Nothing*.cs'", StringComparison.Ordinal));
        Assert.Equal(7, problems.Length);
    }

    [Fact]
    public void SerialSamples_MatchLogLines_WithAnyNumbers_AndEllipses_ButNotChangedWords()
    {
        var logs = new SerialLogCorpus(new[]
        {
            ("run/serial.log", "\x1b[0m[boot] serial port COM1: \x1b[92mok\x1b[39m\r\n[boot] TSC: 2596.100 MHz (PM timer, spread 758 ppm)\r\n  RIP 0xFFFF800000841FC7 in Kernel.Diagnostics.Faults.Recurse+0x17\r\n"),
        });
        MarkdownChapter chapter = Chapter(
            "text\n\n```serial\n[boot] serial port COM1: ok\n[boot] TSC: 3000.000 MHz (PM timer, spread 12 ppm)\n  RIP 0x... in Kernel.Diagnostics.Faults.Recurse+0x1\n...\n[boot] serial link COM1: ok\n```\n\n```\n[boot] not checked: untagged\n```\n");
        string[] problems = DocsChecker.CheckSerialSamples(chapter, logs).ToArray();
        Assert.Single(problems);
        Assert.StartsWith("docs/example.md:8: the serial sample line \"[boot] serial link COM1: ok\" appears in none of the 1 recorded serial logs", problems[0]);
    }

    [Fact]
    public void CodeSpans_ThatWrapAcrossLines_AreFound_WithTheLineTheyStartOn()
    {
        MarkdownChapter chapter = Chapter("one `lld-link /subsystem:native\n/entry:KernelMain` two\n\n```\n`not a span`\n```\n`Panic.Fail`\n");
        Assert.Equal(new[] { new CodeSpan(1, "lld-link /subsystem:native /entry:KernelMain"), new CodeSpan(7, "Panic.Fail") }, chapter.CodeSpans);
    }
}
