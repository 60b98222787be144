// The repository as the docs checks see it: its root (found by build.cake, as
// the boot tests find it), every source and documentation file in it (build
// outputs left out), and the chapters to check (README.md and docs/*.md).
namespace Host.Tests.Docs;

public sealed class RepositoryFiles
{
    private static readonly Lazy<RepositoryFiles> s_current = new(() => new RepositoryFiles(FindRoot()));

    // Build outputs and tool state: never what a chapter means by a path.
    private static readonly HashSet<string> s_skippedDirectories = new(StringComparer.Ordinal) { ".git", "bin", "obj", "artifacts", ".vs", ".idea", "node_modules" };

    public RepositoryFiles(string root)
    {
        Root = root;
        var files = new List<string>();
        var directories = new List<string>();
        Walk(root, files, directories);
        Files = files;
        Directories = directories;
    }

    public static RepositoryFiles Current => s_current.Value;

    public string Root { get; }

    /// <summary>Every file, as a path relative to the root with '/' separators.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>Every directory, relative, '/' separators, no trailing slash.</summary>
    public IReadOnlyList<string> Directories { get; }

    /// <summary>The chapters: README.md and every docs/*.md, sorted.</summary>
    public IEnumerable<string> Chapters
        => Files.Where(f => f == "README.md" || (f.StartsWith("docs/", StringComparison.Ordinal) && f.EndsWith(".md", StringComparison.Ordinal) && f.IndexOf('/', 5) < 0))
                .OrderBy(f => f, StringComparer.Ordinal);

    public IEnumerable<string> CSharpFiles => Files.Where(f => f.EndsWith(".cs", StringComparison.Ordinal));

    public string FullPath(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    public string ReadText(string relative) => File.ReadAllText(FullPath(relative));

    private void Walk(string directory, List<string> files, List<string> directories)
    {
        foreach (string file in Directory.EnumerateFiles(directory))
            files.Add(Relative(file));
        foreach (string child in Directory.EnumerateDirectories(directory))
        {
            if (s_skippedDirectories.Contains(Path.GetFileName(child)))
                continue;
            directories.Add(Relative(child));
            Walk(child, files, directories);
        }
    }

    private string Relative(string path) => Path.GetRelativePath(Root, path).Replace(Path.DirectorySeparatorChar, '/');

    private static string FindRoot()
    {
        for (string directory = AppContext.BaseDirectory; directory is not null; directory = Path.GetDirectoryName(directory))
        {
            if (File.Exists(Path.Combine(directory, "build.cake")))
                return directory;
        }

        throw new InvalidOperationException("cannot find the repository root (no build.cake above " + AppContext.BaseDirectory + ")");
    }
}
