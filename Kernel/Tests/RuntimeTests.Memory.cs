// The runtime at work, part 4 (RuntimeTests.cs has the rest): arrays, spans,
// stackalloc and fixed; function pointers and UnmanagedCallersOnly; lists.
using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Internal.Runtime;
using Kernel.Testing;

namespace Kernel.Tests;

internal static unsafe partial class RuntimeTests
{
    // ---------------------------------------------------------------- arrays, spans, memory

    [KernelTest]
    public static void Arrays_OfValuesAndReferences()
    {
        int[] squares = new int[10];
        for (int i = 0; i < squares.Length; i++)
            squares[i] = i * i;
        int sum = 0;
        foreach (int square in squares)
            sum += square;
        Assert.Equal(285, sum);

        string[] words = { "zeta", "alpha", "mu" };
        Array.Sort(words);
        Assert.Equal("alpha", words[0]);
        Assert.Equal("zeta", words[2]);

        object[] mixed = { "text", 5, null, new Counter() };
        Assert.True(mixed[0] is string);
        Assert.True(mixed[1] is int);
        Assert.Null(mixed[2]);

        long[] copy = new long[4];
        Array.Copy(new long[] { 1, 2, 3, 4 }, copy, 4);
        Assert.Equal(4, copy[3]);
        Array.Resize(ref copy, 6);
        Assert.Equal(6, copy.Length);
        Assert.Equal(3, copy[2]);
    }

    [KernelTest]
    public static void Spans_StackallocFixedAndSlicing()
    {
        Span<byte> bytes = stackalloc byte[16];
        for (int i = 0; i < bytes.Length; i++)
            bytes[i] = (byte)i;
        Span<byte> middle = bytes.Slice(4, 8);
        Assert.Equal(4, middle[0]);
        Assert.Equal(11, middle[7]);
        middle.Fill(0xAA);
        Assert.Equal(0xAA, bytes[4]);
        Assert.Equal(12, bytes[12]);

        int[] numbers = { 10, 20, 30 };
        fixed (int* pointer = numbers)
        {
            pointer[1] = 25;
            var view = new ReadOnlySpan<int>(pointer, 3);
            int total = 0;
            foreach (int n in view)
                total += n;
            Assert.Equal(65, total);
        }

        ReadOnlySpan<char> text = "hello world".AsSpan();
        Assert.Equal(6, text.IndexOf('w'));
        Assert.True(text.Slice(6).SequenceEqual("world".AsSpan()));
        ReadOnlySpan<byte> constant = new byte[] { 1, 2, 3 };
        Assert.Equal(3, constant.Length);
    }

    // ---------------------------------------------------------------- function pointers and UnmanagedCallersOnly

    private static long SquareOf(long value) => value * value;

    [UnmanagedCallersOnly]
    private static int AddFromNative(int a, int b) => a + b;

    [KernelTest]
    public static void FunctionPointers_ManagedAndUnmanagedCallersOnly()
    {
        delegate*<long, long> managed = &SquareOf;
        Assert.Equal(144, managed(12));

        delegate* unmanaged<int, int, int> native = &AddFromNative;
        Assert.Equal(42, native(40, 2));
    }

    [KernelTest]
    public static void Lists_GrowInsertRemoveAndEnumerate()
    {
        var list = new System.Collections.Generic.List<string>(1);
        for (int i = 0; i < 10; i++)
            list.Add("item" + i.ToString());
        list.Insert(0, "first");
        list.RemoveAt(5);
        Assert.Equal(10, list.Count);
        Assert.True(list.Capacity >= 10);
        Assert.Equal("first", list[0]);
        Assert.Equal("item5", list[5]);
        string joined = "";
        foreach (string item in list)
            joined += item[item.Length - 1];
        Assert.Equal("t01235678" + "9", joined);
    }
}
