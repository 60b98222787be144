// Builds the string for $"..." when the target is a string. Holes are
// formatted through the allocation-free TryFormat of each primitive; only the
// final string (and buffer growth) allocates.
namespace System.Runtime.CompilerServices;

[InterpolatedStringHandler]
public ref struct DefaultInterpolatedStringHandler
{
    private char[] _buffer;
    private int _position;

    public DefaultInterpolatedStringHandler(int literalLength, int formattedCount)
    {
        _buffer = new char[literalLength + (formattedCount * 11) + 16];
        _position = 0;
    }

    public void AppendLiteral(string value) => AppendSpan(value);

    public void AppendFormatted(string value) => AppendSpan(value);

    public void AppendFormatted(ReadOnlySpan<char> value) => AppendSpan(value);

    public void AppendFormatted(char value)
    {
        if (_position + 1 > _buffer.Length)
            Grow(1);
        _buffer[_position++] = value;
    }

    public void AppendFormatted(bool value) => AppendSpan(value ? "True" : "False");

    public void AppendFormatted(object value) => AppendSpan(value?.ToString());

    public void AppendFormatted<T>(T value, string format = null)
        where T : ISpanFormattable
    {
        while (true)
        {
            if (value.TryFormat(new Span<char>(_buffer).Slice(_position), out int written, format, null))
            {
                _position += written;
                return;
            }

            Grow(32);
        }
    }

    public void AppendFormatted<T>(T value, int alignment, string format = null)
        where T : ISpanFormattable
    {
        int start = _position;
        AppendFormatted(value, format);
        Align(start, alignment);
    }

    public override string ToString() => new string(new ReadOnlySpan<char>(_buffer, 0, _position));

    public string ToStringAndClear()
    {
        string result = ToString();
        _position = 0;
        return result;
    }

    private void AppendSpan(ReadOnlySpan<char> value)
    {
        if (_position + value.Length > _buffer.Length)
            Grow(value.Length);
        value.CopyTo(new Span<char>(_buffer).Slice(_position));
        _position += value.Length;
    }

    // Right-aligns (positive alignment) or left-aligns (negative) the text appended since 'start'.
    private void Align(int start, int alignment)
    {
        int width = alignment < 0 ? -alignment : alignment;
        int length = _position - start;
        if (length >= width)
            return;
        int padding = width - length;
        if (_position + padding > _buffer.Length)
            Grow(padding);
        Span<char> buffer = new Span<char>(_buffer);
        if (alignment > 0)
        {
            buffer.Slice(start, length).CopyTo(buffer.Slice(start + padding));
            buffer.Slice(start, padding).Fill(' ');
        }
        else
        {
            buffer.Slice(_position, padding).Fill(' ');
        }

        _position += padding;
    }

    private void Grow(int additional)
    {
        char[] larger = new char[(_buffer.Length * 2) + additional];
        new ReadOnlySpan<char>(_buffer, 0, _position).CopyTo(larger);
        _buffer = larger;
    }
}
