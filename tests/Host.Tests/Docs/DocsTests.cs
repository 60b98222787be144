// The chapters checked against the repository: paths, code names and serial
// samples (DocsChecker). Each failure names the chapter, the line and the
// missing thing; all failures of a kind are reported together.
//
// The serial-sample test needs the logs of a boot-test run. ./build.sh
// --target=Test runs the host tests without it, then the boot tests, then
// this test alone (trait Category=BootLogs). Run on its own without any
// recorded logs it is skipped, and says why.
using Xunit;

namespace Host.Tests.Docs;

public sealed class DocsTests
{
    private static readonly DocsChecker s_checker = new(RepositoryFiles.Current, SourceIndex.Current);

    public static TheoryData<string> Chapters()
    {
        var data = new TheoryData<string>();
        foreach (string chapter in RepositoryFiles.Current.Chapters)
            data.Add(chapter);
        return data;
    }

    [Fact]
    public void Chapters_AreFound()
    {
        string[] chapters = RepositoryFiles.Current.Chapters.ToArray();
        Assert.Contains("README.md", chapters);
        Assert.Contains("docs/README.md", chapters);
        Assert.Contains("docs/exceptions.md", chapters);
    }

    [Theory]
    [MemberData(nameof(Chapters))]
    public void RepositoryPaths_NamedInTheChapter_Exist(string chapter)
        => AssertNone(s_checker.CheckPaths(s_checker.Load(chapter)));

    [Theory]
    [MemberData(nameof(Chapters))]
    public void TypeMemberNames_InCodeFont_ExistInTheSource(string chapter)
        => AssertNone(s_checker.CheckCodeNames(s_checker.Load(chapter)));

    [BootLogsFact]
    [Trait("Category", "BootLogs")]
    public void SerialSamples_AppearInTheRecordedBootLogs()
    {
        SerialLogCorpus logs = SerialLogCorpus.FromRuns(RepositoryFiles.Current);
        Assert.True(logs.LogCount > 0, "no serial logs under " + SerialLogCorpus.RunsDirectory(RepositoryFiles.Current) + ": run the boot tests first");
        AssertNone(RepositoryFiles.Current.Chapters.SelectMany(chapter => DocsChecker.CheckSerialSamples(s_checker.Load(chapter), logs)));
    }

    [Fact]
    public void SerialSamples_AreMarked_InTheChaptersThatShowOutput()
    {
        // The convention only protects what is tagged: the chapters that show boot output must use it.
        foreach (string chapter in new[] { "docs/build.md", "docs/exceptions.md", "docs/interrupts.md", "docs/testing.md", "docs/console.md" })
            Assert.Contains(s_checker.Load(chapter).Blocks, block => block.Info == DocsChecker.SerialBlockTag);
    }

    private static void AssertNone(IEnumerable<string> problems)
    {
        string[] list = problems.ToArray();
        if (list.Length > 0)
            Assert.Fail(list.Length + " problem(s):\n" + string.Join("\n", list));
    }
}

/// <summary>A fact that needs recorded boot logs: skipped, saying so, when artifacts/test-runs holds none.</summary>
public sealed class BootLogsFactAttribute : FactAttribute
{
    public BootLogsFactAttribute()
    {
        string runs = SerialLogCorpus.RunsDirectory(RepositoryFiles.Current);
        if (!Directory.Exists(runs) || !Directory.EnumerateFiles(runs, "serial.log", SearchOption.AllDirectories).Any())
            Skip = "no recorded serial logs in " + runs + " (run the boot tests first; ./build.sh --target=Test does)";
    }
}
