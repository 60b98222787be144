// The allocation-free interpolated-string handler: what it formats, where it
// splits long text, and that it allocates nothing.
using System.Runtime.CompilerServices;
using System.Text;
using Shared.Console;
using Xunit;

namespace Host.Tests.Console;

public sealed unsafe class InterpolatedTextHandlerTests
{
    [Fact]
    public void Integers_InDecimalHexAndWithPadding()
    {
        int negative = -42;
        ulong address = 0xFFFF_8000_0010_2000;
        byte small = 7;
        Assert.Equal("-42 FFFF800000102000 0x0007 ff |   12|12   |", Format($"{negative} {address:X} 0x{small:X4} {255:x} |{12,5}|{12,-5}|"));
        Assert.Equal("00042 -9223372036854775808", Format($"{42:D5} {long.MinValue}"));
    }

    [Fact]
    public void CharsStringsBoolsSpansAndPointers()
    {
        void* pointer = (void*)0x1234;
        ReadOnlySpan<char> span = "span".AsSpan();
        Assert.Equal("c text True False span 0x0000000000001234 [ab  ]", Format($"{'c'} {"text"} {true} {false} {span} {pointer} [{"ab",-4}]"));
    }

    [Fact]
    public void LongText_ReachesTheSinkInPieces_ThatAddUpToTheWhole()
    {
        string chunk = new('x', 100);
        Recorder.Start();
        Write($"{chunk}{12345}{chunk}{new string('y', 300)}end");
        List<string> pieces = Recorder.Pieces;
        Assert.Equal(chunk + "12345" + chunk + new string('y', 300) + "end", string.Concat(pieces));
        Assert.True(pieces.Count >= 3);
        Assert.All(pieces.Take(pieces.Count - 1), p => Assert.True(p.Length <= 300));
    }

    [Fact]
    public void ShortText_ReachesTheSinkInOnePiece()
    {
        Recorder.Start();
        Write($"[ktest] pass {"Some.Test"} {1234567UL}cycles\n");
        Assert.Single(Recorder.Pieces);
    }

    [Fact]
    public void Formatting_AllocatesNothing()
    {
        int value = 123456;
        ulong hex = 0xDEADBEEF;
        Write($"warm up {value} {hex:X8}");
        Recorder.Start(record: false);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
            Write($"value={value} hex=0x{hex:X16} flag={true} char={'z'} pad=[{i,6}]");
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }

    private static string Format(ref InterpolatedTextHandler<Recorder> text)
    {
        Recorder.Start();
        text.Flush();
        return string.Concat(Recorder.Pieces);
    }

    private static void Write(ref InterpolatedTextHandler<Recorder> text) => text.Flush();

    // A sink that records what it receives (per test thread).
    public readonly struct Recorder : ITextSink
    {
        [ThreadStatic]
        private static List<string> t_pieces;

        [ThreadStatic]
        private static bool t_record;

        public static List<string> Pieces => t_pieces;

        public static void Start(bool record = true)
        {
            t_pieces = new List<string>();
            t_record = record;
        }

        public void Write(ReadOnlySpan<char> text)
        {
            if (t_record)
                t_pieces.Add(text.ToString());
        }
    }
}
