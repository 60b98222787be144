// Just enough Markdown for the docs checks: fenced code blocks (with their
// info string and where they start), inline code spans (which may wrap across
// lines), links, and the prose outside fences - each with its line number, so
// a failure can say "docs/x.md:42".
using System.Text;
using System.Text.RegularExpressions;

namespace Host.Tests.Docs;

public sealed record CodeSpan(int Line, string Text);

public sealed record FencedBlock(int FirstLine, string Info, IReadOnlyList<string> Lines);

public sealed record Link(int Line, string Target);

public sealed partial class MarkdownChapter
{
    public MarkdownChapter(string path, string text)
    {
        Path = path;
        string[] lines = text.Replace("\r\n", "\n").Split('\n');
        var prose = new StringBuilder();
        var blocks = new List<FencedBlock>();
        List<string> current = null;
        string fence = null;
        string info = null;
        int start = 0;
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            Match opening = FenceLine().Match(line);
            if (fence is null && opening.Success)
            {
                fence = opening.Groups["fence"].Value;
                info = opening.Groups["info"].Value.Trim();
                start = i + 1;
                current = new List<string>();
                prose.Append('\n');
                continue;
            }

            if (fence is not null)
            {
                if (line.TrimStart().StartsWith(fence, StringComparison.Ordinal) && line.Trim().Trim(fence[0]).Length == 0)
                {
                    blocks.Add(new FencedBlock(start, info, current));
                    fence = null;
                }
                else
                {
                    current.Add(line);
                }

                prose.Append('\n'); // keep line numbers: fenced lines are blank in the prose
                continue;
            }

            prose.Append(line).Append('\n');
        }

        if (fence is not null)
            blocks.Add(new FencedBlock(start, info, current)); // unterminated: still checked
        Prose = prose.ToString();
        Blocks = blocks;
        CodeSpans = FindCodeSpans(Prose);
        Links = FindLinks(Prose);
    }

    /// <summary>The chapter's path relative to the repository root.</summary>
    public string Path { get; }

    /// <summary>The text outside fenced blocks, with fenced lines blanked so line numbers still hold.</summary>
    public string Prose { get; }

    public IReadOnlyList<FencedBlock> Blocks { get; }

    public IReadOnlyList<CodeSpan> CodeSpans { get; }

    public IReadOnlyList<Link> Links { get; }

    /// <summary>The 1-based line of character <paramref name="index"/> of <see cref="Prose"/>.</summary>
    public int LineOf(int index)
    {
        int line = 1;
        for (int i = 0; i < index && i < Prose.Length; i++)
        {
            if (Prose[i] == '\n')
                line++;
        }

        return line;
    }

    /// <summary>Headings turned into GitHub's anchors ("## Part 2: interrupts delivered" -> "part-2-interrupts-delivered").</summary>
    public IEnumerable<string> Anchors()
    {
        foreach (Match heading in Heading().Matches(Prose))
        {
            string text = heading.Groups["text"].Value.Trim().ToLowerInvariant();
            var anchor = new StringBuilder();
            foreach (char c in text)
            {
                if (char.IsLetterOrDigit(c) || c == '-' || c == '_')
                    anchor.Append(c);
                else if (c == ' ')
                    anchor.Append('-');
            }

            yield return anchor.ToString();
        }
    }

    // CommonMark: a run of n backticks opens a span that the next run of exactly n backticks closes; a span
    // may continue over a line break (not over a blank line).
    private List<CodeSpan> FindCodeSpans(string text)
    {
        var spans = new List<CodeSpan>();
        int i = 0;
        while (i < text.Length)
        {
            if (text[i] != '`')
            {
                i++;
                continue;
            }

            int run = RunLength(text, i);
            int search = i + run;
            int close = -1;
            while (search < text.Length)
            {
                int next = text.IndexOf('`', search);
                int blank = text.IndexOf("\n\n", search, StringComparison.Ordinal);
                if (next < 0 || (blank >= 0 && blank < next))
                    break;
                int closeRun = RunLength(text, next);
                if (closeRun == run)
                {
                    close = next;
                    break;
                }

                search = next + closeRun;
            }

            if (close < 0)
            {
                i += run;
                continue;
            }

            string content = text.Substring(i + run, close - i - run).Replace('\n', ' ').Trim();
            spans.Add(new CodeSpan(LineOf(i), content));
            i = close + run;
        }

        return spans;
    }

    private static int RunLength(string text, int start)
    {
        int end = start;
        while (end < text.Length && text[end] == '`')
            end++;
        return end - start;
    }

    private List<Link> FindLinks(string text)
    {
        var links = new List<Link>();
        foreach (Match link in MarkdownLink().Matches(text))
            links.Add(new Link(LineOf(link.Index), link.Groups["target"].Value));
        return links;
    }

    [GeneratedRegex(@"^ {0,3}(?<fence>`{3,}|~{3,})(?<info>[^`]*)$")]
    private static partial Regex FenceLine();

    [GeneratedRegex(@"^#{1,6}\s+(?<text>.+?)\s*#*\s*$", RegexOptions.Multiline)]
    private static partial Regex Heading();

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")]
    private static partial Regex MarkdownLink();
}
