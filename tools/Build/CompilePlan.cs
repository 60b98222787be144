// The decision behind build.cake's fast C# compile (docs/build.md, "Incremental builds"): after a
// change, may the build skip MSBuild and run the C# compiler itself, with the arguments MSBuild used
// last time? Only when the arguments are certainly still right: the same files exist as at the last
// MSBuild build (same paths; no project file, props, targets, generator or runtime-library source
// changed) and only the contents of C# sources changed. Everything else goes through `dotnet build`.
// Shared by build.cake (#load) and the host tests, so it has no namespace and uses only the base class library.
using System;
using System.Collections.Generic;
using System.Linq;

public enum CompileAction
{
    /// <summary>Something besides C# sources' contents changed (or nothing is recorded yet): `dotnet build`.</summary>
    MSBuild,

    /// <summary>Only sources this compilation does not read changed (a kernel test, for the release kernel): nothing to compile.</summary>
    NothingToCompile,

    /// <summary>Only sources this compilation reads changed: run the compiler with the recorded arguments.</summary>
    Compile,
}

/// <summary>What to do, why, and which compiled sources changed.</summary>
public sealed record CompilePlan(CompileAction Action, string Reason, IReadOnlyList<string> ChangedSources);

public static class CompilePlanner
{
    /// <summary>
    /// Folders whose files feed the compilation other than as sources: the runtime library (its own project,
    /// referenced as an assembly) and the kernel-test source generator (an analyzer assembly). A change in them
    /// needs MSBuild, which rebuilds those projects first.
    /// </summary>
    public static readonly string[] ProjectFolders = { "Shared/CoreLib/", "tools/TestGenerator/" };

    /// <summary>
    /// Decides from two fingerprints (lines "relative/path|size|write time", build.cake's Fingerprint) and the
    /// compiler arguments MSBuild recorded at the previous fingerprint's build (null when none were recorded).
    /// Fingerprint paths are relative to <paramref name="root"/>; the compiler runs in <paramref name="projectDirectory"/>.
    /// </summary>
    public static CompilePlan Plan(IReadOnlyList<string> previous, IReadOnlyList<string> current, IReadOnlyList<string> recordedArguments, string root, string projectDirectory)
    {
        if (previous is null)
            return new CompilePlan(CompileAction.MSBuild, "first build", Array.Empty<string>());
        if (recordedArguments is null || recordedArguments.Count == 0)
            return new CompilePlan(CompileAction.MSBuild, "no compiler arguments recorded", Array.Empty<string>());

        Dictionary<string, string> before = ByPath(previous);
        Dictionary<string, string> after = ByPath(current);
        if (before.Count != after.Count || before.Keys.Any(path => !after.ContainsKey(path)))
            return new CompilePlan(CompileAction.MSBuild, "files were added or removed", Array.Empty<string>());

        var changed = after.Where(entry => before[entry.Key] != entry.Value).Select(entry => entry.Key).OrderBy(path => path, StringComparer.Ordinal).ToList();
        foreach (string path in changed)
        {
            if (!path.EndsWith(".cs", StringComparison.Ordinal) || before[path] == "missing" || after[path] == "missing")
                return new CompilePlan(CompileAction.MSBuild, $"{path} is not a C# source", Array.Empty<string>());
            string normalized = path.Replace('\\', '/');
            if (ProjectFolders.Any(folder => normalized.StartsWith(folder, StringComparison.Ordinal)))
                return new CompilePlan(CompileAction.MSBuild, $"{path} belongs to a referenced project", Array.Empty<string>());
        }

        // The sources the compiler reads: the arguments that are neither options ("-x", "/x", "/x:value")
        // nor anything but C# files. On Unix a full path starts with '/' too, but no option ending in ".cs"
        // lacks a ':'. Relative paths are relative to the project folder, where the compiler runs.
        var sources = new HashSet<string>(
            recordedArguments
                .Where(a => a.EndsWith(".cs", StringComparison.Ordinal) && !a.StartsWith("-", StringComparison.Ordinal))
                .Where(a => !a.StartsWith("/", StringComparison.Ordinal) || !a.Contains(':'))
                .Select(a => System.IO.Path.GetFullPath(a, projectDirectory)),
            StringComparer.Ordinal);
        var changedSources = new List<string>();
        foreach (string path in changed)
        {
            string fullPath = System.IO.Path.GetFullPath(System.IO.Path.Combine(root, path));
            if (sources.Contains(fullPath))
                changedSources.Add(path);
            else if (recordedArguments.Any(a => a.Contains(fullPath, StringComparison.Ordinal)))
                return new CompilePlan(CompileAction.MSBuild, $"{path} is an option's file (not a source)", Array.Empty<string>());
        }

        if (changedSources.Count == 0)
        {
            return changed.Count == 0
                ? new CompilePlan(CompileAction.NothingToCompile, "nothing changed", changedSources)
                : new CompilePlan(CompileAction.NothingToCompile, "no changed file is compiled here", changedSources);
        }

        // A changed file that exists but is not among the sources (a test file, for the release kernel) is
        // harmless: this compilation never reads it.
        return new CompilePlan(CompileAction.Compile, $"{changedSources.Count} source(s) changed", changedSources);
    }

    private static Dictionary<string, string> ByPath(IReadOnlyList<string> lines)
    {
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in lines)
        {
            int bar = line.IndexOf('|');
            string path = bar < 0 ? line : line.Substring(0, bar);
            entries[path] = bar < 0 ? "" : line.Substring(bar + 1);
        }

        return entries;
    }
}
