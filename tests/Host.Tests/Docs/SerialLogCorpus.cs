// Every line the kernels printed in the recorded boots (the serial.log of each
// run under artifacts/test-runs, written by tests/Boot.Tests), normalized so a
// documentation sample can be matched against them:
//
//   - ANSI escape sequences (the console's colors) and carriage returns go;
//   - trailing blanks go;
//   - every number (decimal, with an optional fraction, or 0x-prefixed hex)
//     becomes '#': addresses, sizes and timings differ from boot to boot, the
//     words around them must not;
//   - in a sample, "..." (or "0x...") matches any text (elided registers, callers).
using System.Text;
using System.Text.RegularExpressions;

namespace Host.Tests.Docs;

public sealed partial class SerialLogCorpus
{
    private readonly HashSet<string> _lines = new(StringComparer.Ordinal);
    private readonly List<string> _sources = new();

    public SerialLogCorpus(IEnumerable<(string Name, string Text)> logs)
    {
        foreach ((string name, string text) in logs)
        {
            _sources.Add(name);
            foreach (string line in text.Split('\n'))
                _lines.Add(Normalize(line));
        }
    }

    public int LogCount => _sources.Count;

    /// <summary>The directory of recorded runs: artifacts/test-runs/&lt;run&gt;/serial.log.</summary>
    public static string RunsDirectory(RepositoryFiles repository) => Path.Combine(repository.Root, "artifacts", "test-runs");

    public static SerialLogCorpus FromRuns(RepositoryFiles repository)
    {
        string runs = RunsDirectory(repository);
        var logs = new List<(string, string)>();
        if (Directory.Exists(runs))
        {
            foreach (string log in Directory.EnumerateFiles(runs, "serial.log", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                logs.Add((Path.GetRelativePath(repository.Root, log), File.ReadAllText(log)));
        }

        return new SerialLogCorpus(logs);
    }

    public string Describe()
        => _sources.Count == 0 ? "none found" : _sources.Count <= 3 ? string.Join(", ", _sources) : $"{_sources[0]}, ... {_sources.Count - 1} more";

    public bool Contains(string sampleLine)
    {
        string sample = Normalize(sampleLine.Replace("0x...", "...", StringComparison.Ordinal));
        if (!sample.Contains("...", StringComparison.Ordinal))
            return _lines.Contains(sample);
        var pattern = new Regex("^" + string.Join(".*", sample.Split("...").Select(Regex.Escape)) + "$");
        return _lines.Any(pattern.IsMatch);
    }

    public static string Normalize(string line)
    {
        string text = AnsiEscape().Replace(line, "").Replace("\r", "").TrimEnd();
        return Number().Replace(text, "#");
    }

    [GeneratedRegex(@"\x1b\[[0-9;?]*[A-Za-z]")]
    private static partial Regex AnsiEscape();

    [GeneratedRegex(@"0x[0-9A-Fa-f]+|[0-9]+(?:\.[0-9]+)?")]
    private static partial Regex Number();
}
