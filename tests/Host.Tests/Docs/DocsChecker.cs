// The checks that keep the chapters true, each returning one message per
// problem in the form "docs/x.md:42: <what is wrong>":
//
//   - every repository path a chapter names (in prose, in code font, in a link)
//     exists: Kernel/Arch/Gdt.cs, tests/Boot.Tests/Harness/, {a,b}Tests.cs and
//     * globs; a bare file name in code font (`Rsdp.cs`) or a path relative to
//     a subfolder (`Harness/QemuRun.cs`) must exist somewhere in the tree;
//   - every `Type.Member` in code font names a type declared in the sources
//     and a member declared in that type's file(s), following chains
//     (`BootInfo.Framebuffer.Flags`) and namespaces (`Kernel.Diagnostics.Panic.Fail`);
//   - every line of a ```serial block appears in a recorded serial log
//     (see docs/README.md for the convention).
//
// Build outputs (artifacts/...) and files outside the repository are not checked.
using System.Text.RegularExpressions;

namespace Host.Tests.Docs;

public sealed partial class DocsChecker
{
    /// <summary>Top-level folders and files whose names, followed by '/', mark a repository path in prose.</summary>
    private static readonly string[] s_roots = { "Efi", "Kernel", "Shared", "tools", "tests", "ovmf", "docs" };

    private static readonly HashSet<string> s_topLevelFiles = new(StringComparer.Ordinal) { "build.cake", "build.sh", "global.json", "README.md" };

    // File extensions: a dotted name in code font ending in one of these is a file, not Type.Member.
    private static readonly HashSet<string> s_fileExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        "cs", "md", "csproj", "props", "targets", "json", "slnx", "sln", "cake", "sh", "dll", "exe", "obj", "efi", "fd",
        "gz", "psf", "conf", "log", "txt", "map", "img", "png", "ppm", "pdb", "lib", "asm", "yml", "yaml", "xml",
    };

    // Dotted names in code font that are not C# members: assembly and BCL namespace names the chapters mention.
    private static readonly HashSet<string> s_externalNames = new(StringComparer.Ordinal)
    {
        "System.Private.CoreLib",       // the assembly name the runtime library compiles to
        "System.Reflection.Metadata",   // the BCL library tests/Boot.Tests reads the test kernel's IL with
        "Microsoft.DotNet.ILCompiler",  // the NuGet package
        "Task.Run",                     // .NET's thread-pool API, the peer the async benchmarks compare with
    };

    // Types that exist only in generated code, and the generator source that must still produce them.
    private static readonly Dictionary<string, string> s_generatedTypes = new(StringComparer.Ordinal)
    {
        ["TestTable"] = "tools/TestGenerator/KernelTestGenerator.cs",
    };

    private readonly RepositoryFiles _repository;
    private readonly SourceIndex _sources;
    private readonly HashSet<string> _files;
    private readonly HashSet<string> _directories;
    private readonly HashSet<string> _directoryNames;

    public DocsChecker(RepositoryFiles repository, SourceIndex sources)
    {
        _repository = repository;
        _sources = sources;
        _files = new HashSet<string>(repository.Files, StringComparer.Ordinal);
        _directories = new HashSet<string>(repository.Directories, StringComparer.Ordinal);
        _directoryNames = new HashSet<string>(repository.Directories.Select(d => d[(d.LastIndexOf('/') + 1)..]), StringComparer.Ordinal);
    }

    public MarkdownChapter Load(string chapter) => new(chapter, _repository.ReadText(chapter));

    // ---- paths -------------------------------------------------------------------------------------------------

    public IEnumerable<string> CheckPaths(MarkdownChapter chapter)
    {
        var seen = new HashSet<(int, string)>();
        foreach (Match match in RootedPath().Matches(chapter.Prose))
        {
            string path = CleanPath(match.Value);
            int line = chapter.LineOf(match.Index);
            if (seen.Add((line, path)) && !PathExists(path, relativeTo: null))
                yield return $"{chapter.Path}:{line}: names the path '{path}', which does not exist in the repository";
        }

        foreach (CodeSpan span in chapter.CodeSpans)
        {
            foreach (string token in span.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                string path = CleanPath(token);
                if (s_topLevelFiles.Contains(path) && !_files.Contains(path))
                    yield return $"{chapter.Path}:{span.Line}: names '{path}', which does not exist at the repository root";
                else if (LooksLikeRelativePath(path) && StartsInThisRepository(path) && seen.Add((span.Line, path)) && !PathExists(path, relativeTo: null) && !EndsAnyPath(path))
                    yield return $"{chapter.Path}:{span.Line}: names '{path}' in code font; no file or folder in the repository has that path (or ends with it)";
                else if (LooksLikeBareFileName(path) && !EndsAnyPath(path))
                    yield return $"{chapter.Path}:{span.Line}: names the file '{path}' in code font; no file of that name exists in the repository";
            }
        }

        string directory = Path.GetDirectoryName(chapter.Path)?.Replace('\\', '/') ?? "";
        foreach (Link link in chapter.Links)
        {
            string target = link.Target;
            if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
                continue;
            string file = target;
            string anchor = null;
            int hash = target.IndexOf('#');
            if (hash >= 0)
            {
                file = target[..hash];
                anchor = target[(hash + 1)..];
            }

            string resolved = file.Length == 0 ? chapter.Path : Normalize(directory.Length == 0 ? file : directory + "/" + file);
            if (!_files.Contains(resolved) && !_directories.Contains(resolved.TrimEnd('/')))
            {
                yield return $"{chapter.Path}:{link.Line}: links to '{target}', but '{resolved}' does not exist";
                continue;
            }

            if (anchor is not null && resolved.EndsWith(".md", StringComparison.Ordinal) && !Load(resolved).Anchors().Contains(anchor))
                yield return $"{chapter.Path}:{link.Line}: links to '{target}', but {resolved} has no heading with the anchor '#{anchor}'";
        }
    }

    private static string CleanPath(string token)
    {
        string path = token.Trim().TrimStart('(', '[', '"', '\'', '`');
        path = Regex.Replace(path, @"(:\d+)+$", "");                 // file.cs:123
        path = path.TrimEnd('.', ',', ';', ':', ')', ']', '"', '\'', '`', '!', '?');
        path = Regex.Replace(path, @"(:\d+)+$", "");
        return path;
    }

    private static bool LooksLikeRelativePath(string path)
        => path.Contains('/') && !path.StartsWith('/') && !path.StartsWith("artifacts/", StringComparison.Ordinal)
           && !path.Contains("://", StringComparison.Ordinal) && !path.StartsWith("EFI/", StringComparison.Ordinal)
           && RelativePathShape().IsMatch(path) && (path.Contains('.') || path.EndsWith('/') || IsRooted(path));

    // A relative path whose first folder exists somewhere here (`Harness/QemuRun.cs`, `Modules/Cpu.cs`); one
    // that starts elsewhere (`src/coreclr/gc/gcdesc.h`, another repository's) is not this repository's to check.
    private bool StartsInThisRepository(string path)
        => IsRooted(path) || _directoryNames.Contains(path.Split('/')[0]) || _files.Contains(path.TrimEnd('/'));

    private static bool IsRooted(string path) => s_roots.Any(root => path.StartsWith(root + "/", StringComparison.Ordinal));

    private static bool LooksLikeBareFileName(string path)
        => !path.Contains('/') && BareFileName().IsMatch(path);

    private bool PathExists(string path, string relativeTo)
    {
        foreach (string candidate in ExpandBraces(path))
        {
            string normalized = Normalize(relativeTo is null ? candidate : relativeTo + "/" + candidate);
            if (normalized.Contains('*'))
            {
                var pattern = new Regex("^" + Regex.Escape(normalized).Replace(@"\*\*", ".*").Replace(@"\*", "[^/]*") + "$");
                if (!_files.Any(f => pattern.IsMatch(f)))
                    return false;
                continue;
            }

            if (!_files.Contains(normalized) && !_directories.Contains(normalized.TrimEnd('/')))
                return false;
        }

        return true;
    }

    // `Harness/QemuRun.cs` or `Internal/Runtime/MethodTable.cs`: a path relative to some folder the text names.
    private bool EndsAnyPath(string path)
    {
        foreach (string candidate in ExpandBraces(path))
        {
            string suffix = "/" + candidate.TrimEnd('/');
            if (candidate.Contains('*'))
            {
                var pattern = new Regex("(^|/)" + Regex.Escape(candidate).Replace(@"\*\*", ".*").Replace(@"\*", "[^/]*") + "$");
                if (!_files.Any(f => pattern.IsMatch(f)))
                    return false;
                continue;
            }

            bool found = _files.Any(f => f == candidate || f.EndsWith(suffix, StringComparison.Ordinal))
                         || _directories.Any(d => d == candidate.TrimEnd('/') || d.EndsWith(suffix, StringComparison.Ordinal));
            if (!found)
                return false;
        }

        return true;
    }

    private static IEnumerable<string> ExpandBraces(string path)
    {
        Match braces = Regex.Match(path, @"\{([^{}]*)\}");
        if (!braces.Success)
        {
            yield return path;
            yield break;
        }

        foreach (string choice in braces.Groups[1].Value.Split(','))
        {
            foreach (string expanded in ExpandBraces(path[..braces.Index] + choice.Trim() + path[(braces.Index + braces.Length)..]))
                yield return expanded;
        }
    }

    private static string Normalize(string path)
    {
        var parts = new List<string>();
        foreach (string part in path.Split('/'))
        {
            if (part == "..")
            {
                if (parts.Count > 0)
                    parts.RemoveAt(parts.Count - 1);
            }
            else if (part != ".")
            {
                parts.Add(part);
            }
        }

        return string.Join('/', parts);
    }

    // ---- Type.Member -------------------------------------------------------------------------------------------

    public IEnumerable<string> CheckCodeNames(MarkdownChapter chapter)
    {
        foreach (CodeSpan span in chapter.CodeSpans)
        {
            string problem = CheckCodeName(span.Text);
            if (problem is not null)
                yield return $"{chapter.Path}:{span.Line}: `{span.Text}`: {problem}";
        }
    }

    /// <summary>Null when <paramref name="text"/> is not a dotted C# name or names something that exists; else why not.</summary>
    public string CheckCodeName(string text)
    {
        string name = StripCallArguments(text.Trim());
        if (!DottedName().IsMatch(name) || !char.IsUpper(name[0]))
            return null;
        string[] segments = Regex.Replace(name, @"<[^<>]*(<[^<>]*>)?[^<>]*>", "").Split('.');
        if (s_fileExtensions.Contains(segments[^1]) || s_externalNames.Contains(name))
            return null;
        if (RegisterName().IsMatch(segments[0]))
            return null; // a register and its bit (`CR0.WP`, `EFER.NXE`, `CR4.OSFXSR`), not C#
        if (_sources.IsNamespace(string.Join('.', segments)))
            return null;

        // A segment can be both a namespace part and a type name (Kernel.Console vs a type Console): try every
        // segment that names a type after a declared namespace, and accept the name if any reading resolves.
        string firstProblem = null;
        for (int i = 0; i < segments.Length; i++)
        {
            if (!_sources.IsType(segments[i]) && !s_generatedTypes.ContainsKey(segments[i]))
                continue;
            string problem = i > 0 && !_sources.IsNamespace(string.Join('.', segments, 0, i))
                ? $"'{string.Join('.', segments, 0, i)}' is not a namespace declared in the sources (type {segments[i]} found)"
                : ResolveFrom(segments, i);
            if (problem is null)
                return null;
            firstProblem ??= problem;
        }

        return firstProblem ?? $"no type named {DescribeCandidates(segments)} is declared in any .cs file of the repository";
    }

    private string ResolveFrom(string[] segments, int typeIndex)
    {
        string type = segments[typeIndex];
        if (s_generatedTypes.TryGetValue(type, out string generator))
        {
            return _repository.Files.Contains(generator) && _repository.ReadText(generator).Contains(type, StringComparison.Ordinal)
                ? null
                : $"{type} is generated by {generator}, which no longer mentions it";
        }

        for (int i = typeIndex + 1; i < segments.Length; i++)
        {
            string member = segments[i];
            if (!_sources.TryFindMember(type, member, out string memberType))
                return $"type {type} has no member '{member}' (looked in {string.Join(", ", _sources.FilesOf(type))})";
            if (i + 1 < segments.Length)
            {
                if (memberType is null || !_sources.IsType(memberType))
                    return $"cannot tell the type of {type}.{member} to look up '{segments[i + 1]}' in it (declared type: {memberType ?? "not found"})";
                type = memberType;
            }
        }

        return null;
    }

    private static string DescribeCandidates(string[] segments)
        => segments.Length == 2 ? "'" + segments[0] + "'" : "among '" + string.Join("', '", segments[..^1]) + "'";

    // "LocalApic.StartPeriodicTimer(vector, hz)" -> "LocalApic.StartPeriodicTimer"; "KernelConsole.Clear()" likewise.
    private static string StripCallArguments(string text)
    {
        if (!text.EndsWith(')'))
            return text;
        int open = text.IndexOf('(');
        return open > 0 ? text[..open] : text;
    }

    // ---- serial samples ----------------------------------------------------------------------------------------

    /// <summary>The info string that marks a fenced block as serial output to be checked.</summary>
    public const string SerialBlockTag = "serial";

    public static IEnumerable<string> CheckSerialSamples(MarkdownChapter chapter, SerialLogCorpus logs)
    {
        foreach (FencedBlock block in chapter.Blocks)
        {
            if (!string.Equals(block.Info.Split(' ')[0], SerialBlockTag, StringComparison.Ordinal))
                continue;
            for (int i = 0; i < block.Lines.Count; i++)
            {
                string line = block.Lines[i];
                if (line.Trim().Length == 0 || line.Trim() == "...")
                    continue;
                if (!logs.Contains(line))
                    yield return $"{chapter.Path}:{block.FirstLine + 1 + i}: the serial sample line \"{line.Trim()}\" appears in none of the {logs.LogCount} recorded serial logs ({logs.Describe()}); fix the sample or the code (numbers match any number, '...' matches anything)";
            }
        }
    }

    [GeneratedRegex(@"(?<![\w/.@-])(?:Efi|Kernel|Shared|tools|tests|ovmf|docs)/[\w.{},*/+-]*")]
    private static partial Regex RootedPath();

    [GeneratedRegex(@"^[A-Z][A-Z0-9_]*$")]
    private static partial Regex RegisterName();

    [GeneratedRegex(@"^[\w.{},*/+-]+$")]
    private static partial Regex RelativePathShape();

    [GeneratedRegex(@"^[A-Za-z_][\w{},*-]*(\.[\w]+)*\.(cs|csproj|props|md|cake|slnx)$")]
    private static partial Regex BareFileName();

    [GeneratedRegex(@"^[A-Za-z_]\w*(<[^<>]*(<[^<>]*>)?[^<>]*>)?(\.[A-Za-z_]\w*(<[^<>]*(<[^<>]*>)?[^<>]*>)?)+$")]
    private static partial Regex DottedName();
}
