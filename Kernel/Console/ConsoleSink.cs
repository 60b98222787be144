// Where KernelConsole's interpolated strings go: an empty struct, so the
// handler's calls compile to direct calls into the console.
using System;
using Shared.Console;

namespace Kernel.Console;

public readonly struct ConsoleSink : ITextSink
{
    public void Write(ReadOnlySpan<char> text) => KernelConsole.Write(text);
}
