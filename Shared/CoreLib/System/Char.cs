// C# 'char': one UTF-16 code unit. Classification covers ASCII and Latin-1,
// which is what the kernel's console and keyboard handle.
namespace System;

public readonly struct Char : IComparable<char>, IEquatable<char>, ISpanFormattable
{
    private readonly char m_value;

    public const char MaxValue = (char)0xFFFF;
    public const char MinValue = (char)0x00;

    public int CompareTo(char value) => m_value - value;

    public bool Equals(char obj) => m_value == obj;

    public override bool Equals(object obj) => obj is char other && m_value == other;

    public override int GetHashCode() => m_value | (m_value << 16);

    public override string ToString() => new string(m_value, 1);

    public string ToString(string format, IFormatProvider provider) => ToString();

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format = default, IFormatProvider provider = null)
    {
        charsWritten = 0;
        if (destination.Length < 1)
            return false;
        destination[0] = m_value;
        charsWritten = 1;
        return true;
    }

    public static bool IsDigit(char c) => c >= '0' && c <= '9';

    public static bool IsAsciiDigit(char c) => c >= '0' && c <= '9';

    public static bool IsAsciiHexDigit(char c) => IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');

    public static bool IsAscii(char c) => c <= '\x7f';

    public static bool IsAsciiLetter(char c) => (uint)((c | 0x20) - 'a') <= 'z' - 'a';

    public static bool IsLetter(char c)
        => IsAsciiLetter(c) || (c >= '\u00C0' && c <= '\u00FF' && c != '\u00D7' && c != '\u00F7');

    public static bool IsLetterOrDigit(char c) => IsLetter(c) || IsDigit(c);

    public static bool IsUpper(char c) => (c >= 'A' && c <= 'Z') || (c >= '\u00C0' && c <= '\u00DE' && c != '\u00D7');

    public static bool IsLower(char c) => (c >= 'a' && c <= 'z') || (c >= '\u00DF' && c <= '\u00FF' && c != '\u00F7');

    public static bool IsWhiteSpace(char c) => c == ' ' || (c >= '\t' && c <= '\r') || c == '\u00A0' || c == '\u0085';

    public static bool IsControl(char c) => c < ' ' || (c >= '\x7f' && c < '\xa0');

    public static bool IsSurrogate(char c) => c >= '\uD800' && c <= '\uDFFF';

    public static bool IsHighSurrogate(char c) => c >= '\uD800' && c <= '\uDBFF';

    public static bool IsLowSurrogate(char c) => c >= '\uDC00' && c <= '\uDFFF';

    public static bool IsPunctuation(char c)
        => (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') || (c >= '{' && c <= '~');

    public static char ToUpper(char c)
    {
        if ((c >= 'a' && c <= 'z') || (c >= '\u00E0' && c <= '\u00FE' && c != '\u00F7'))
            return (char)(c - 0x20);
        return c;
    }

    public static char ToLower(char c)
    {
        if ((c >= 'A' && c <= 'Z') || (c >= '\u00C0' && c <= '\u00DE' && c != '\u00D7'))
            return (char)(c + 0x20);
        return c;
    }

    public static char ToUpperInvariant(char c) => ToUpper(c);

    public static char ToLowerInvariant(char c) => ToLower(c);
}
