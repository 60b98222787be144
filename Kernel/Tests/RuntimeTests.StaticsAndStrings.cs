// The runtime at work, part 3 (RuntimeTests.cs has the rest): static fields
// and static constructors; strings and allocation-free formatting.
using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Internal.Runtime;
using Kernel.Testing;

namespace Kernel.Tests;

internal static unsafe partial class RuntimeTests
{
    // ---------------------------------------------------------------- statics and static constructors

    private static class Registry
    {
        public static readonly string Greeting = "hello";
        public static int Counter = 5;
        public static readonly int[] Primes = { 2, 3, 5, 7, 11 };
        public static Counter Shared = new Counter();
    }

    private static class LazyInit
    {
        public static int Order;
        public static readonly int Snapshot;

        // Reads a non-readonly static of another class: the compiler cannot pre-compute this, so the
        // constructor must really run, once, before the first access.
        static LazyInit()
        {
            Snapshot = Registry.Counter * 10;
            Order++;
        }
    }

    [KernelTest]
    public static void Statics_ReferenceAndValueFieldsAndStaticConstructors()
    {
        Assert.Equal("hello", Registry.Greeting);
        Assert.Equal(28, Registry.Primes[0] + Registry.Primes[1] + Registry.Primes[2] + Registry.Primes[3] + Registry.Primes[4]);
        Registry.Shared.Add(9);
        Assert.Equal(9, Registry.Shared.Total);
        Registry.Counter++;

        Assert.Equal(60, LazyInit.Snapshot);
        Assert.Equal(1, LazyInit.Order);
        Assert.Equal(60, LazyInit.Snapshot);
        Assert.Equal(1, LazyInit.Order);
    }

    // ---------------------------------------------------------------- strings

    [KernelTest]
    public static void Strings_LiteralsAndOperations()
    {
        string kernel = "kernel";
        Assert.Equal(6, kernel.Length);
        Assert.Equal('k', kernel[0]);
        Assert.Equal("kernel space", kernel + " " + "space");
        Assert.True("abc" == "a" + "bc");
        Assert.Equal("ern", kernel.Substring(1, 3));
        Assert.Equal(3, kernel.IndexOf('n'));
        Assert.True(kernel.StartsWith("ker"));
        Assert.True(kernel.EndsWith("nel"));
        Assert.True(kernel.Contains("rne"));
        Assert.Equal("KERNEL", kernel.ToUpperInvariant());
        Assert.Equal("a b", "  a b \t".Trim());
        string[] parts = "boot,run,halt".Split(',');
        Assert.Equal(3, parts.Length);
        Assert.Equal("halt", parts[2]);
        Assert.Equal("x-y-z", string.Join("-", "x", "y", "z"));
        Assert.Equal("ab", new string(new[] { 'a', 'b' }));
        Assert.Equal("***", new string('*', 3));
        Assert.Equal("cafe\u00E9", "cafe" + '\u00E9'.ToString());
    }

    [KernelTest]
    public static void Formatting_IntegersAndHexWithoutAllocation()
    {
        Span<char> buffer = stackalloc char[32];
        ulong before = RuntimeAllocator.AllocationCount;

        Assert.True((-1234567).TryFormat(buffer, out int written));
        bool decimalOk = buffer.Slice(0, written).SequenceEqual("-1234567".AsSpan());
        Assert.True(0xDEADBEEFUL.TryFormat(buffer, out written, "X"));
        bool hexOk = buffer.Slice(0, written).SequenceEqual("DEADBEEF".AsSpan());
        Assert.True(255.TryFormat(buffer, out written, "x8"));
        bool paddedOk = buffer.Slice(0, written).SequenceEqual("000000ff".AsSpan());
        Assert.True(long.MinValue.TryFormat(buffer, out written));
        bool minOk = buffer.Slice(0, written).SequenceEqual("-9223372036854775808".AsSpan());
        Assert.False(123456.TryFormat(buffer.Slice(0, 3), out _));

        Assert.Equal(before, RuntimeAllocator.AllocationCount);
        Assert.True(decimalOk);
        Assert.True(hexOk);
        Assert.True(paddedOk);
        Assert.True(minOk);
        Assert.Equal("42", 42.ToString());
        Assert.Equal("-7", (-7).ToString());
        Assert.Equal("FF", ((byte)255).ToString("X"));
        Assert.Equal("FFFFFFFE", (-2).ToString("X"));
        Assert.Equal("3.25", 3.25.ToString());
        Assert.Equal("x=42, y=0x1F", $"x={42}, y=0x{31:X}");
    }
}
