// Immutable UTF-16 text. Layout is fixed by the compiler: the length, then the
// characters inline, always followed by a terminating NUL that the allocator
// leaves zeroed (so a string can be passed as a CHAR16* to UEFI as is).
using System.Runtime.CompilerServices;
using System.Runtime;
using Internal.Runtime;

namespace System;

public sealed unsafe class String : IEquatable<string>, IComparable<string>
{
    public static readonly string Empty = "";

    private readonly int _stringLength;
    private char _firstChar;

    public int Length => _stringLength;

    [IndexerName("Chars")]
    public char this[int index]
    {
        [Intrinsic]
        get
        {
            if ((uint)index >= (uint)_stringLength)
                ThrowHelper.ThrowIndexOutOfRange();
            return Unsafe.Add(ref _firstChar, (nint)(uint)index);
        }
    }

    // The compiler turns 'new string(...)' into calls of the static Ctor
    // method with the same parameters; the extern declarations give C# the
    // constructor syntax.
    [MethodImpl(MethodImplOptions.InternalCall)]
    public extern String(char c, int count);

    [MethodImpl(MethodImplOptions.InternalCall)]
    public extern String(char[] value);

    [MethodImpl(MethodImplOptions.InternalCall)]
    public extern String(char[] value, int startIndex, int length);

    [MethodImpl(MethodImplOptions.InternalCall)]
    public extern String(char* value);

    [MethodImpl(MethodImplOptions.InternalCall)]
    public extern String(char* value, int startIndex, int length);

    [MethodImpl(MethodImplOptions.InternalCall)]
    public extern String(ReadOnlySpan<char> value);

    private static string Ctor(char c, int count)
    {
        if (count < 0)
            ThrowHelper.ThrowArgumentOutOfRange("count");
        string result = FastAllocateString(count);
        new Span<char>(ref result._firstChar, count).Fill(c);
        return result;
    }

    private static string Ctor(char[] value) => value == null ? Empty : Ctor(new ReadOnlySpan<char>(value));

    private static string Ctor(char[] value, int startIndex, int length) => Ctor(new ReadOnlySpan<char>(value, startIndex, length));

    private static string Ctor(char* value)
    {
        if (value == null)
            return Empty;
        int length = 0;
        while (value[length] != '\0')
            length++;
        return Ctor(new ReadOnlySpan<char>(value, length));
    }

    private static string Ctor(char* value, int startIndex, int length) => Ctor(new ReadOnlySpan<char>(value + startIndex, length));

    private static string Ctor(ReadOnlySpan<char> value)
    {
        if (value.Length == 0)
            return Empty;
        string result = FastAllocateString(value.Length);
        value.CopyTo(new Span<char>(ref result._firstChar, value.Length));
        return result;
    }

    internal static string FastAllocateString(int length)
        => Unsafe.As<string>(RuntimeExports.AllocateArray(MethodTable.Of<string>(), length));

    public ref readonly char GetPinnableReference() => ref _firstChar;

    // The C# compiler binds 'foreach' over a string to this method, then lowers the loop to
    // indexing, so no enumerator is ever allocated by foreach.
    public CharEnumerator GetEnumerator() => new CharEnumerator(this);

    internal ref char GetRawStringData() => ref _firstChar;

    public static implicit operator ReadOnlySpan<char>(string value)
        => value == null ? default : new ReadOnlySpan<char>(ref value._firstChar, value._stringLength);

    public static bool IsNullOrEmpty(string value) => value == null || value._stringLength == 0;

    public static bool IsNullOrWhiteSpace(string value)
    {
        if (value == null)
            return true;
        for (int i = 0; i < value._stringLength; i++)
        {
            if (!char.IsWhiteSpace(value[i]))
                return false;
        }

        return true;
    }

    public static string Concat(string str0, string str1)
    {
        if (IsNullOrEmpty(str0))
            return str1 ?? Empty;
        if (IsNullOrEmpty(str1))
            return str0;
        string result = FastAllocateString(str0.Length + str1.Length);
        Span<char> destination = new Span<char>(ref result._firstChar, result.Length);
        str0.AsSpan().CopyTo(destination);
        str1.AsSpan().CopyTo(destination.Slice(str0.Length));
        return result;
    }

    public static string Concat(string str0, string str1, string str2) => Concat(Concat(str0, str1), str2);

    public static string Concat(string str0, string str1, string str2, string str3) => Concat(Concat(str0, str1), Concat(str2, str3));

    public static string Concat(params string[] values)
    {
        int total = 0;
        foreach (string value in values)
            total += value?.Length ?? 0;
        if (total == 0)
            return Empty;
        string result = FastAllocateString(total);
        Span<char> destination = new Span<char>(ref result._firstChar, total);
        int position = 0;
        foreach (string value in values)
        {
            if (value == null)
                continue;
            value.AsSpan().CopyTo(destination.Slice(position));
            position += value.Length;
        }

        return result;
    }

    public static string Concat(object arg0, object arg1) => Concat(arg0?.ToString(), arg1?.ToString());

    public static string Concat(object arg0, object arg1, object arg2) => Concat(arg0?.ToString(), arg1?.ToString(), arg2?.ToString());

    public static string Concat(ReadOnlySpan<char> str0, ReadOnlySpan<char> str1)
    {
        string result = FastAllocateString(str0.Length + str1.Length);
        Span<char> destination = new Span<char>(ref result._firstChar, result.Length);
        str0.CopyTo(destination);
        str1.CopyTo(destination.Slice(str0.Length));
        return result;
    }

    public static string Join(string separator, params string[] values)
    {
        if (values.Length == 0)
            return Empty;
        string result = values[0] ?? Empty;
        for (int i = 1; i < values.Length; i++)
            result = Concat(result, separator, values[i]);
        return result;
    }

    public static bool Equals(string a, string b)
    {
        if ((object)a == b)
            return true;
        if (a is null || b is null || a._stringLength != b._stringLength)
            return false;
        return a.AsSpan().SequenceEqual(b.AsSpan());
    }

    public static bool operator ==(string a, string b) => Equals(a, b);

    public static bool operator !=(string a, string b) => !Equals(a, b);

    public bool Equals(string value) => Equals(this, value);

    public override bool Equals(object obj) => obj is string other && Equals(this, other);

    // FNV-1a over the UTF-16 code units: stable across boots, good enough for tables.
    public override int GetHashCode()
    {
        uint hash = 2166136261;
        for (int i = 0; i < _stringLength; i++)
        {
            hash ^= Unsafe.Add(ref _firstChar, i);
            hash *= 16777619;
        }

        return (int)hash;
    }

    public int CompareTo(string other)
    {
        if (other is null)
            return 1;
        return CompareOrdinal(this, other);
    }

    public static int CompareOrdinal(string strA, string strB)
    {
        if ((object)strA == strB)
            return 0;
        if (strA is null)
            return -1;
        if (strB is null)
            return 1;
        int length = strA.Length < strB.Length ? strA.Length : strB.Length;
        for (int i = 0; i < length; i++)
        {
            int difference = strA[i] - strB[i];
            if (difference != 0)
                return difference;
        }

        return strA.Length - strB.Length;
    }

    public override string ToString() => this;

    public string Substring(int startIndex) => Substring(startIndex, _stringLength - startIndex);

    public string Substring(int startIndex, int length)
    {
        if ((uint)startIndex > (uint)_stringLength || (uint)length > (uint)(_stringLength - startIndex))
            ThrowHelper.ThrowArgumentOutOfRange("startIndex");
        if (length == _stringLength)
            return this;
        return new string(this.AsSpan(startIndex, length));
    }

    public int IndexOf(char value) => this.AsSpan().IndexOf(value);

    public int IndexOf(char value, int startIndex)
    {
        int index = this.AsSpan(startIndex).IndexOf(value);
        return index < 0 ? -1 : index + startIndex;
    }

    public int IndexOf(string value) => this.AsSpan().IndexOf(value.AsSpan());

    public int LastIndexOf(char value) => this.AsSpan().LastIndexOf(value);

    public bool Contains(char value) => IndexOf(value) >= 0;

    public bool Contains(string value) => IndexOf(value) >= 0;

    public bool StartsWith(string value) => this.AsSpan().StartsWith(value.AsSpan());

    public bool StartsWith(char value) => _stringLength != 0 && _firstChar == value;

    public bool EndsWith(string value) => this.AsSpan().EndsWith(value.AsSpan());

    public bool EndsWith(char value) => _stringLength != 0 && this[_stringLength - 1] == value;

    public string Trim() => new string(this.AsSpan().Trim());

    public string TrimStart() => new string(this.AsSpan().TrimStart());

    public string TrimEnd() => new string(this.AsSpan().TrimEnd());

    public string ToUpperInvariant()
    {
        string result = FastAllocateString(_stringLength);
        for (int i = 0; i < _stringLength; i++)
            Unsafe.Add(ref result._firstChar, i) = char.ToUpperInvariant(this[i]);
        return result;
    }

    public string ToLowerInvariant()
    {
        string result = FastAllocateString(_stringLength);
        for (int i = 0; i < _stringLength; i++)
            Unsafe.Add(ref result._firstChar, i) = char.ToLowerInvariant(this[i]);
        return result;
    }

    public string PadLeft(int totalWidth, char paddingChar = ' ')
    {
        if (totalWidth <= _stringLength)
            return this;
        return Concat(new string(paddingChar, totalWidth - _stringLength), this);
    }

    public string PadRight(int totalWidth, char paddingChar = ' ')
    {
        if (totalWidth <= _stringLength)
            return this;
        return Concat(this, new string(paddingChar, totalWidth - _stringLength));
    }

    public string Replace(char oldChar, char newChar)
    {
        string result = FastAllocateString(_stringLength);
        for (int i = 0; i < _stringLength; i++)
        {
            char c = this[i];
            Unsafe.Add(ref result._firstChar, i) = c == oldChar ? newChar : c;
        }

        return result;
    }

    public string[] Split(char separator)
    {
        int count = 1;
        for (int i = 0; i < _stringLength; i++)
        {
            if (this[i] == separator)
                count++;
        }

        string[] parts = new string[count];
        int start = 0;
        int part = 0;
        for (int i = 0; i <= _stringLength; i++)
        {
            if (i == _stringLength || this[i] == separator)
            {
                parts[part++] = Substring(start, i - start);
                start = i + 1;
            }
        }

        return parts;
    }

    public char[] ToCharArray()
    {
        char[] result = new char[_stringLength];
        this.AsSpan().CopyTo(result);
        return result;
    }
}
