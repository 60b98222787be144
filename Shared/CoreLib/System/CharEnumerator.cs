// Enumerates a string's characters (only allocated when code calls GetEnumerator explicitly).
using System.Collections;
using System.Collections.Generic;

namespace System;

public sealed class CharEnumerator : IEnumerator<char>
{
    private readonly string _text;
    private int _index = -1;

    internal CharEnumerator(string text) => _text = text;

    public char Current => _text[_index];

    object IEnumerator.Current => Current;

    public bool MoveNext()
    {
        if (_index + 1 >= _text.Length)
            return false;
        _index++;
        return true;
    }

    public void Reset() => _index = -1;

    public void Dispose()
    {
    }
}
