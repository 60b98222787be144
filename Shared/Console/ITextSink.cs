// Where formatted text goes: the kernel console, or a recorder in tests.
using System;

namespace Shared.Console;

public interface ITextSink
{
    void Write(ReadOnlySpan<char> text);
}
