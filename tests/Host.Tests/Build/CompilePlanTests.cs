// build.cake's fast path may run the C# compiler with the arguments MSBuild recorded only while those
// arguments still describe the project: these cases pin down when it must fall back to dotnet build
// (tools/Build/CompilePlan.cs; docs/build.md, "Incremental builds"). tools/Build/check-incremental.sh
// checks the whole build end to end.
using Xunit;

namespace Host.Tests.Build;

public sealed class CompilePlanTests
{
    private const string Root = "/repo";
    private const string Project = "/repo/Kernel";

    private static readonly string[] s_arguments =
    {
        "/noconfig", "/unsafe+", "/define:TRACE;KERNEL_TESTS", "/reference:/repo/Shared/CoreLib/bin/Test/net10.0/System.Private.CoreLib.dll",
        "/out:obj/Test/net10.0/Kernel.dll", "/analyzer:/repo/tools/TestGenerator/bin/Release/netstandard2.0/TestGenerator.dll",
        "/repo/Shared/Boot/BootInfo.cs", "/repo/Kernel/KernelMain.cs", "/repo/Kernel/Tests/ExceptionTests.cs", "Generated/Local.cs",
    };

    private static readonly string[] s_before =
    {
        "Kernel/Kernel.csproj|900|1", "Kernel/KernelMain.cs|100|1", "Kernel/README.txt|5|1", "Kernel/Tests/ExceptionTests.cs|300|1",
        "Kernel/Generated/Local.cs|10|1", "Shared/Boot/BootInfo.cs|200|1", "Shared/CoreLib/System/Object.cs|50|1",
        "tools/TestGenerator/KernelTestGenerator.cs|70|1", "global.json|60|1",
    };

    private static string[] With(params (string Path, string Value)[] changes)
        => s_before.Select(line =>
        {
            string path = line[..line.IndexOf('|')];
            foreach ((string changedPath, string value) in changes)
            {
                if (changedPath == path)
                    return path + "|" + value;
            }

            return line;
        }).ToArray();

    private static CompilePlan Plan(string[] after, string[] arguments = null)
        => CompilePlanner.Plan(s_before, after, arguments ?? s_arguments, Root, Project);

    [Fact]
    public void OneChangedSource_IsCompiledDirectly()
    {
        CompilePlan plan = Plan(With(("Kernel/KernelMain.cs", "101|2")));
        Assert.Equal(CompileAction.Compile, plan.Action);
        Assert.Equal(new[] { "Kernel/KernelMain.cs" }, plan.ChangedSources);
    }

    [Fact]
    public void SharedAndRelativeSources_CountAsCompiled()
    {
        CompilePlan plan = Plan(With(("Shared/Boot/BootInfo.cs", "200|2"), ("Kernel/Generated/Local.cs", "11|2")));
        Assert.Equal(CompileAction.Compile, plan.Action);
        Assert.Equal(new[] { "Kernel/Generated/Local.cs", "Shared/Boot/BootInfo.cs" }, plan.ChangedSources);
    }

    [Fact]
    public void TouchedButSameSize_StillCompiles()
    {
        // A newer write time alone is a change: the fingerprint never looks at contents.
        Assert.Equal(CompileAction.Compile, Plan(With(("Kernel/KernelMain.cs", "100|2"))).Action);
    }

    [Fact]
    public void SourceTheCompilationDoesNotRead_NeedsNothing()
    {
        // The release configuration's arguments leave the kernel tests out.
        string[] release = s_arguments.Where(a => !a.Contains("/Tests/")).ToArray();
        CompilePlan plan = Plan(With(("Kernel/Tests/ExceptionTests.cs", "301|2")), release);
        Assert.Equal(CompileAction.NothingToCompile, plan.Action);
        Assert.Empty(plan.ChangedSources);
    }

    [Fact]
    public void NothingChanged_NeedsNothing()
        => Assert.Equal(CompileAction.NothingToCompile, Plan(s_before).Action);

    [Theory]
    [InlineData("Kernel/Kernel.csproj", "project file")]
    [InlineData("Kernel/README.txt", "not a C# source")]
    [InlineData("global.json", "SDK selection")]
    [InlineData("Shared/CoreLib/System/Object.cs", "runtime library: its own project, referenced as an assembly")]
    [InlineData("tools/TestGenerator/KernelTestGenerator.cs", "the source generator: an analyzer assembly")]
    public void OtherChanges_GoThroughMSBuild(string path, string why)
    {
        CompilePlan plan = Plan(With((path, "999|2"), ("Kernel/KernelMain.cs", "101|2")));
        Assert.True(plan.Action == CompileAction.MSBuild, $"{path} ({why}): {plan.Action}, {plan.Reason}");
    }

    [Fact]
    public void AddedFile_GoesThroughMSBuild()
    {
        CompilePlan plan = Plan(s_before.Append("Kernel/NewFile.cs|10|2").ToArray());
        Assert.Equal(CompileAction.MSBuild, plan.Action);
        Assert.Contains("added or removed", plan.Reason);
    }

    [Fact]
    public void RemovedFile_GoesThroughMSBuild()
        => Assert.Equal(CompileAction.MSBuild, Plan(s_before.Where(l => !l.StartsWith("Kernel/KernelMain.cs")).ToArray()).Action);

    [Fact]
    public void RenamedFile_GoesThroughMSBuild()
    {
        string[] after = s_before.Select(l => l.Replace("Kernel/KernelMain.cs", "Kernel/Main.cs")).ToArray();
        Assert.Equal(CompileAction.MSBuild, Plan(after).Action);
    }

    [Fact]
    public void MissingInputAppearing_GoesThroughMSBuild()
    {
        string[] before = s_before.Append("artifacts/obj/font/FontData.g.cs|missing").ToArray();
        string[] after = s_before.Append("artifacts/obj/font/FontData.g.cs|500|2").ToArray();
        Assert.Equal(CompileAction.MSBuild, CompilePlanner.Plan(before, after, s_arguments, Root, Project).Action);
    }

    [Fact]
    public void NoRecordedArgumentsOrFingerprint_GoesThroughMSBuild()
    {
        Assert.Equal(CompileAction.MSBuild, CompilePlanner.Plan(null, s_before, s_arguments, Root, Project).Action);
        Assert.Equal(CompileAction.MSBuild, CompilePlanner.Plan(s_before, s_before, null, Root, Project).Action);
        Assert.Equal(CompileAction.MSBuild, CompilePlanner.Plan(s_before, s_before, Array.Empty<string>(), Root, Project).Action);
    }

    [Fact]
    public void ChangedFileNamedByAnOption_GoesThroughMSBuild()
    {
        // "/additionalfile:x.cs" carries a ':' (a full Unix path has none), so it is not a source; what
        // an option names feeds the compilation in a way only MSBuild knows.
        string[] arguments = { "/additionalfile:/repo/Kernel/KernelMain.cs", "/repo/Shared/Boot/BootInfo.cs" };
        CompilePlan plan = Plan(With(("Kernel/KernelMain.cs", "101|2")), arguments);
        Assert.Equal(CompileAction.MSBuild, plan.Action);
        Assert.Empty(plan.ChangedSources);
    }
}
