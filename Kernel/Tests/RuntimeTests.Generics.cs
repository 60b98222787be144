// The runtime at work, part 2 (RuntimeTests.cs has the rest): generic
// classes, methods and structs with constraints; delegates to static and
// instance methods, lambdas and closures.
using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Internal.Runtime;
using Kernel.Testing;

namespace Kernel.Tests;

internal static unsafe partial class RuntimeTests
{
    // ---------------------------------------------------------------- generics

    private sealed class Box<T>
    {
        public Box(T value) => Value = value;

        public T Value { get; }

        public Box<TResult> Map<TResult>(Func<T, TResult> map) => new Box<TResult>(map(Value));
    }

    private struct Pair<TFirst, TSecond>
        where TFirst : struct
        where TSecond : class
    {
        public TFirst First;
        public TSecond Second;
    }

    private static T Largest<T>(ReadOnlySpan<T> items)
        where T : IComparable<T>
    {
        T best = items[0];
        foreach (T item in items)
        {
            if (item.CompareTo(best) > 0)
                best = item;
        }

        return best;
    }

    private static int CountEqual<T>(T[] items, T value)
        where T : IEquatable<T>
    {
        int count = 0;
        foreach (T item in items)
        {
            if (item.Equals(value))
                count++;
        }

        return count;
    }

    [KernelTest]
    public static void Generics_ClassesMethodsAndStructsWithConstraints()
    {
        var box = new Box<int>(20);
        Box<string> text = box.Map(value => "#" + (value + 1).ToString());
        Assert.Equal("#21", text.Value);

        var pair = new Pair<long, string> { First = 7, Second = "seven" };
        Assert.Equal(7, pair.First);
        Assert.Equal("seven", pair.Second);

        Assert.Equal(42, Largest<int>(stackalloc int[] { 3, 42, -1, 17 }));
        Assert.Equal("pear", Largest<string>(new[] { "apple", "pear", "fig" }));
        Assert.Equal(2, CountEqual(new[] { "a", "b", "a" }, "a"));
        Assert.Equal(3, CountEqual(new ulong[] { 5, 5, 1, 5 }, 5UL));
    }

    // ---------------------------------------------------------------- delegates

    private static int Triple(int value) => value * 3;

    private sealed class Counter
    {
        public int Total;

        public int Add(int amount) => Total += amount;
    }

    [KernelTest]
    public static void Delegates_StaticInstanceLambdaAndClosure()
    {
        Func<int, int> staticMethod = Triple;
        Assert.Equal(21, staticMethod(7));

        var counter = new Counter();
        Func<int, int> instanceMethod = counter.Add;
        instanceMethod(5);
        instanceMethod(6);
        Assert.Equal(11, counter.Total);

        Func<int, int, int> lambda = (a, b) => (a * 10) + b;
        Assert.Equal(42, lambda(4, 2));

        int captured = 100;
        Action closure = () => captured++;
        closure();
        closure();
        Assert.Equal(102, captured);

        Predicate<string> isLong = s => s.Length > 3;
        Assert.True(isLong("kernel"));
        Assert.False(isLong("os"));
    }
}
