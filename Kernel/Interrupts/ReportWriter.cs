// Builds a fault report in a caller-provided buffer (on the handler's
// stack), so composing it allocates nothing: the heap may be what broke.
// Text that does not fit is cut off and marked, never an error.
using System;

namespace Kernel.Interrupts;

public ref struct ReportWriter
{
    private const string TruncatedMark = "\n[report truncated]";

    private readonly Span<char> _buffer;
    private int _length;
    private bool _truncated;

    public ReportWriter(Span<char> buffer)
    {
        _buffer = buffer;
        _length = 0;
        _truncated = false;
    }

    public int Length => _length;

    public ReadOnlySpan<char> Text => _buffer.Slice(0, _length);

    public void Append(char c)
    {
        if (_length < _buffer.Length - TruncatedMark.Length)
            _buffer[_length++] = c;
        else
            _truncated = true;
    }

    public void Append(string text)
    {
        if (text is null)
            return;
        for (int i = 0; i < text.Length; i++)
            Append(text[i]);
    }

    public void Append(scoped ReadOnlySpan<char> text)
    {
        for (int i = 0; i < text.Length; i++)
            Append(text[i]);
    }

    /// <summary>ASCII bytes (symbol names), one char each.</summary>
    public void AppendAscii(scoped ReadOnlySpan<byte> text)
    {
        for (int i = 0; i < text.Length; i++)
            Append((char)text[i]);
    }

    /// <summary>0x followed by exactly 16 hex digits: addresses and full registers line up.</summary>
    public void Hex64(ulong value) => Hex(value, 16);

    /// <summary>0x followed by at least <paramref name="minDigits"/> hex digits.</summary>
    public void Hex(ulong value, int minDigits = 1)
    {
        Span<char> digits = stackalloc char[16];
        Span<char> format = stackalloc char[3];
        format[0] = 'X';
        format[1] = (char)('0' + (minDigits / 10));
        format[2] = (char)('0' + (minDigits % 10));
        value.TryFormat(digits, out int written, format);
        Append("0x");
        Append(digits.Slice(0, written));
    }

    public void Decimal(ulong value)
    {
        Span<char> digits = stackalloc char[20];
        value.TryFormat(digits, out int written);
        Append(digits.Slice(0, written));
    }

    public void Line() => Append('\n');

    /// <summary>The report as one string (the single allocation a report makes).</summary>
    public override string ToString()
    {
        if (!_truncated)
            return new string(_buffer.Slice(0, _length));
        for (int i = 0; i < TruncatedMark.Length; i++)
            _buffer[_length + i] = TruncatedMark[i];
        return new string(_buffer.Slice(0, _length + TruncatedMark.Length));
    }
}
