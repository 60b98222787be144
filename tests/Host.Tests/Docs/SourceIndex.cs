// What the C# sources declare, as far as the docs checks need it: which files
// declare a type of a given name, which namespaces exist, and whether a name is
// declared as a member in a type's files (with the member's type, to follow a
// chain such as BootInfo.Framebuffer.Flags). Comments and string literals are
// removed first, so a name mentioned only in a comment does not count.
//
// This is deliberately a text index, not a compiler: "the member is declared in
// a file that declares the type" is what it checks. That is loose enough not to
// need Roslyn and tight enough that a renamed or misspelt name fails.
using System.Text.RegularExpressions;

namespace Host.Tests.Docs;

public sealed partial class SourceIndex
{
    private static readonly Lazy<SourceIndex> s_current = new(() => new SourceIndex(RepositoryFiles.Current));

    // Words that can precede an identifier without declaring it ("return Name;", "new Foo(").
    private static readonly HashSet<string> s_notTypes = new(StringComparer.Ordinal)
    {
        "return", "new", "throw", "await", "case", "is", "as", "in", "out", "ref", "else", "yield", "goto", "using",
        "when", "and", "or", "not", "nameof", "typeof", "sizeof", "default", "var", "if", "while", "for", "foreach",
        "switch", "catch", "lock", "fixed", "stackalloc", "checked", "unchecked", "with", "from", "select", "where",
    };

    private readonly Dictionary<string, List<string>> _typeFiles = new(StringComparer.Ordinal);
    private readonly HashSet<string> _namespaces = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _code = new(StringComparer.Ordinal);

    public SourceIndex(RepositoryFiles repository)
    {
        foreach (string file in repository.CSharpFiles)
            Add(file, repository.ReadText(file));
    }

    /// <summary>An index over given sources (path -> text), for the checks' own tests.</summary>
    public SourceIndex(IReadOnlyDictionary<string, string> sources)
    {
        foreach ((string file, string text) in sources)
            Add(file, text);
    }

    public static SourceIndex Current => s_current.Value;

    public bool IsType(string name) => _typeFiles.ContainsKey(name);

    /// <summary>A declared namespace, or a prefix of one ("Shared" of "Shared.Memory").</summary>
    public bool IsNamespace(string dotted) => _namespaces.Contains(dotted);

    public IReadOnlyList<string> FilesOf(string type) => _typeFiles.TryGetValue(type, out List<string> files) ? files : Array.Empty<string>();

    /// <summary>
    /// Whether <paramref name="member"/> is declared in a file that declares <paramref name="type"/>, and if so its
    /// declared type's name where the declaration shows one (null for enum members, methods returning void...).
    /// </summary>
    public bool TryFindMember(string type, string member, out string memberType)
    {
        memberType = null;
        bool found = false;
        foreach (string file in FilesOf(type))
        {
            string code = _code[file];
            foreach (Match candidate in Regex.Matches(code, @"(?<type>[A-Za-z_][\w.]*(?:<[^<>;(){}]*(?:<[^<>;(){}]*>)?[^<>;(){}]*>)?(?:\[\])?[?*]?)[ \t]+" + Regex.Escape(member) + @"\b(?<after>\s*(?:<[^>]*>)?\s*[;=({,)])?"))
            {
                string declared = candidate.Groups["type"].Value;
                string head = declared.Split('<')[0];
                if (s_notTypes.Contains(head) || candidate.Index > 0 && code[candidate.Index - 1] == '.')
                    continue;
                found = true;
                if (memberType is null && candidate.Groups["after"].Success && !IsModifier(head))
                    memberType = SimpleName(declared);
            }

            if (Regex.IsMatch(code, @"(?m)(^[ \t]*|[{,][ \t]*)" + Regex.Escape(member) + @"\s*(=[^=>]|,|$|\})"))
                found = true; // an enum member, one per line or several on one
            if (Regex.IsMatch(code, @"\b(?:class|struct|interface|enum|record)\s+" + Regex.Escape(member) + @"\b"))
            {
                found = true; // a nested type
                memberType ??= member;
            }
        }

        return found;
    }

    private static bool IsModifier(string word)
        => word is "public" or "private" or "internal" or "protected" or "static" or "readonly" or "const" or "unsafe"
            or "extern" or "override" or "virtual" or "abstract" or "sealed" or "partial" or "async" or "volatile" or "event";

    // "Span<char>" -> "Span", "Shared.Boot.BootInfo*" -> "BootInfo", "FramebufferInfo?" -> "FramebufferInfo".
    private static string SimpleName(string declared)
    {
        string name = declared.Split('<')[0].TrimEnd('?', '*', ']', '[');
        int dot = name.LastIndexOf('.');
        return dot >= 0 ? name[(dot + 1)..] : name;
    }

    private void Add(string file, string text)
    {
        string code = StripCommentsAndStrings(text);
        _code[file] = code;
        foreach (Match declaration in TypeDeclaration().Matches(code))
        {
            string name = declaration.Groups["name"].Value;
            if (!_typeFiles.TryGetValue(name, out List<string> files))
                _typeFiles[name] = files = new List<string>();
            if (!files.Contains(file))
                files.Add(file);
        }

        foreach (Match declaration in NamespaceDeclaration().Matches(code))
        {
            string[] parts = declaration.Groups["name"].Value.Split('.');
            for (int i = 1; i <= parts.Length; i++)
                _namespaces.Add(string.Join('.', parts, 0, i));
        }
    }

    /// <summary>Blanks comments and the contents of string and char literals, keeping everything else in place.</summary>
    public static string StripCommentsAndStrings(string text)
    {
        var result = new System.Text.StringBuilder(text.Length);
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            char next = i + 1 < text.Length ? text[i + 1] : '\0';
            if (c == '/' && next == '/')
            {
                while (i < text.Length && text[i] != '\n')
                    i++;
                continue;
            }

            if (c == '/' && next == '*')
            {
                int end = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                end = end < 0 ? text.Length : end + 2;
                foreach (char skipped in text.AsSpan(i, end - i))
                    result.Append(skipped == '\n' ? '\n' : ' ');
                i = end;
                continue;
            }

            if (c == '"' || c == '\'')
            {
                bool verbatim = i > 0 && text[i - 1] == '@' || i > 1 && text[i - 1] == '$' && text[i - 2] == '@';
                result.Append(c).Append(c);
                i++;
                while (i < text.Length && text[i] != c && text[i] != '\n')
                {
                    if (text[i] == '\\' && !verbatim)
                        i++;
                    i++;
                }

                i++;
                continue;
            }

            result.Append(c);
            i++;
        }

        return result.ToString();
    }

    [GeneratedRegex(@"\b(?:class|struct|interface|enum|record(?:\s+struct)?)\s+(?<name>[A-Za-z_]\w*)")]
    private static partial Regex TypeDeclaration();

    [GeneratedRegex(@"\bnamespace\s+(?<name>[A-Za-z_][\w.]*)")]
    private static partial Regex NamespaceDeclaration();
}
