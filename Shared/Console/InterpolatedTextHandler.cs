// Formats C# interpolated strings ($"...") without allocating, for methods
// like KernelConsole.WriteLine($"x = {x:X8}"): the compiler hands each
// literal part and each hole to this handler, which formats it into a buffer
// on the stack and passes full buffers to the sink. A line shorter than the
// buffer reaches the sink in one piece, so it is written under one lock.
//
// The sink is a type parameter (an empty struct whose Write calls a static
// method), so every call resolves at compile time: no object, no interface
// dispatch. Holes may be strings, spans, chars, bools, pointers, and any
// ISpanFormattable value (integers, with the format "X8", "x", "D5"...), with
// an optional alignment ({value,10} pads on the left, {value,-10} on the right).
using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Shared.Console;

[InterpolatedStringHandler]
public unsafe ref struct InterpolatedTextHandler<TSink>
    where TSink : struct, ITextSink
{
    public const int Capacity = 128;
    private const int MaxFormattedLength = 64;

    private fixed char _buffer[Capacity];
    private int _length;

    public InterpolatedTextHandler(int literalLength, int formattedCount) => _length = 0;

    public void AppendLiteral(string value) => Append(value.AsSpan());

    public void AppendFormatted(string value) => Append(value.AsSpan());

    public void AppendFormatted(string value, int alignment) => AppendAligned(value.AsSpan(), alignment);

    public void AppendFormatted(scoped ReadOnlySpan<char> value) => Append(value);

    public void AppendFormatted(char value)
    {
        if (_length == Capacity)
            Flush();
        _buffer[_length++] = value;
    }

    public void AppendFormatted(bool value) => Append(value ? "True" : "False");

    /// <summary>A pointer, as 0x and 16 hex digits.</summary>
    public void AppendFormatted(void* value)
    {
        Append("0x");
        AppendFormatted((ulong)value, "X16");
    }

    public void AppendFormatted<T>(T value)
        where T : ISpanFormattable
        => AppendFormatted(value, null);

    public void AppendFormatted<T>(T value, string format)
        where T : ISpanFormattable
    {
        if (value.TryFormat(Free, out int written, format, null))
        {
            _length += written;
            return;
        }

        Flush();
        if (value.TryFormat(Free, out written, format, null))
            _length += written;
        else
            Append("?"); // longer than the whole buffer: no integer is
    }

    public void AppendFormatted<T>(T value, int alignment)
        where T : ISpanFormattable
        => AppendFormatted(value, alignment, null);

    public void AppendFormatted<T>(T value, int alignment, string format)
        where T : ISpanFormattable
    {
        Span<char> formatted = stackalloc char[MaxFormattedLength];
        if (value.TryFormat(formatted, out int written, format, null))
            AppendAligned(formatted.Slice(0, written), alignment);
        else
            AppendFormatted(value, format);
    }

    /// <summary>Passes what is buffered to the sink. Methods that take the handler call this once the string is complete.</summary>
    public void Flush()
    {
        if (_length == 0)
            return;
        default(TSink).Write(MemoryMarshal.CreateReadOnlySpan(ref _buffer[0], _length));
        _length = 0;
    }

    private Span<char> Free => MemoryMarshal.CreateSpan(ref _buffer[0], Capacity).Slice(_length);

    private void Append(scoped ReadOnlySpan<char> text)
    {
        if (text.Length > Capacity - _length)
        {
            Flush();
            if (text.Length > Capacity)
            {
                default(TSink).Write(text); // too long to buffer: straight through
                return;
            }
        }

        text.CopyTo(Free);
        _length += text.Length;
    }

    private void AppendAligned(scoped ReadOnlySpan<char> text, int alignment)
    {
        int padding = Math.Abs(alignment) - text.Length;
        if (alignment < 0)
            Append(text);
        for (int i = 0; i < padding; i++)
            AppendFormatted(' ');
        if (alignment >= 0)
            Append(text);
    }
}
