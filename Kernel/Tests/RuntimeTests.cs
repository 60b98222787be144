// The runtime library at work inside the kernel: every language feature the
// project's System.Private.CoreLib promises, exercised after ILCompiler has
// compiled it for real. Each test is its own xunit case in tests/Boot.Tests.
using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Internal.Runtime;
using Kernel.Testing;

namespace Kernel.Tests;

internal static unsafe class RuntimeTests
{
    // ---------------------------------------------------------------- classes and virtual methods

    private class Shape
    {
        public virtual string Name => "shape";

        public virtual int Corners() => 0;

        public string Describe() => Name + ":" + Corners().ToString();
    }

    private class Square : Shape
    {
        public override string Name => "square";

        public override int Corners() => 4;
    }

    private sealed class Cube : Square
    {
        public override string Name => "cube";

        public override int Corners() => base.Corners() * 2;
    }

    [KernelTest]
    public static void Classes_VirtualMethodsDispatchOnTheRuntimeType()
    {
        Shape[] shapes = { new Shape(), new Square(), new Cube() };
        Assert.Equal("shape:0", shapes[0].Describe());
        Assert.Equal("square:4", shapes[1].Describe());
        Assert.Equal("cube:8", shapes[2].Describe());
    }

    // ---------------------------------------------------------------- interfaces

    private interface IAnimal
    {
        string Sound();

        int Legs { get; }

        string Introduce() => Sound() + " on " + Legs.ToString() + " legs";
    }

    private sealed class Dog : IAnimal
    {
        public string Sound() => "woof";

        public int Legs => 4;
    }

    private sealed class Bird : IAnimal
    {
        public string Sound() => "tweet";

        public int Legs => 2;
    }

    private struct Snake : IAnimal
    {
        public int Length;

        public string Sound() => "hiss";

        public int Legs => 0;

        public string Introduce() => "a snake of length " + Length.ToString();
    }

    private class Cat : IAnimal
    {
        public virtual string Sound() => "meow";

        public int Legs => 4;
    }

    private sealed class Lion : Cat
    {
        public override string Sound() => "roar";
    }

    // The array is filled from a loop the compiler cannot see through, so every call is real dispatch.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static IAnimal[] Zoo()
    {
        var zoo = new IAnimal[5];
        for (int i = 0; i < zoo.Length; i++)
        {
            zoo[i] = (i % 5) switch
            {
                0 => new Dog(),
                1 => new Bird(),
                2 => new Snake { Length = 3 },
                3 => new Cat(),
                _ => new Lion(),
            };
        }

        return zoo;
    }

    [KernelTest]
    public static void Interfaces_DispatchThroughFiveImplementations()
    {
        IAnimal[] zoo = Zoo();
        string sounds = "";
        int legs = 0;
        foreach (IAnimal animal in zoo)
        {
            sounds += animal.Sound() + " ";
            legs += animal.Legs;
        }

        Assert.Equal("woof tweet hiss meow roar ", sounds);
        Assert.Equal(14, legs);
    }

    [KernelTest]
    public static void Interfaces_DefaultMethodsAndStructImplementations()
    {
        IAnimal[] zoo = Zoo();
        Assert.Equal("woof on 4 legs", zoo[0].Introduce());
        Assert.Equal("a snake of length 3", zoo[2].Introduce());
        Assert.Equal("roar on 4 legs", zoo[4].Introduce());
    }

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

    // ---------------------------------------------------------------- enums, nullables, casts, boxing

    [Flags]
    private enum Permissions : byte
    {
        None = 0,
        Read = 1,
        Write = 2,
        Execute = 4,
    }

    [KernelTest]
    public static void Enums_FlagsAndUnderlyingValues()
    {
        Permissions permissions = Permissions.Read | Permissions.Execute;
        Assert.True((permissions & Permissions.Execute) != 0);
        Assert.True(permissions.HasFlag(Permissions.Read));
        Assert.False(permissions.HasFlag(Permissions.Write));
        Assert.Equal(5, (int)permissions);
        object boxed = permissions;
        Assert.True(boxed is Permissions);
        Assert.Equal("5", boxed.ToString());
    }

    [KernelTest]
    public static void Nullable_ValuesAndBoxing()
    {
        int? nothing = null;
        int? something = 42;
        Assert.False(nothing.HasValue);
        Assert.Equal(42, something.Value);
        Assert.Equal(7, nothing.GetValueOrDefault(7));
        Assert.Equal(43, (something + 1).Value);

        object boxedNothing = nothing;
        object boxedSomething = something;
        Assert.Null(boxedNothing);
        Assert.True(boxedSomething is int);
        Assert.Equal(42, (int)boxedSomething);
        int? unboxed = (int?)boxedSomething;
        Assert.Equal(42, unboxed.Value);

        long? wide = 1L << 40;
        object boxedWide = wide;
        Assert.Equal(1L << 40, (long)boxedWide);
        byte? small = 200;
        object boxedSmall = small;
        Assert.Equal(200, (byte)boxedSmall);
    }

    [KernelTest]
    public static void Casts_IsAsAndExplicit()
    {
        object square = new Square();
        Assert.True(square is Shape);
        Assert.True(square is Square);
        Assert.False(square is Cube);
        Assert.Null(square as Cube);
        Assert.NotNull(square as Shape);
        Assert.Equal("square", ((Shape)square).Name);

        object animal = new Lion();
        Assert.True(animal is IAnimal);
        Assert.True(animal is Cat);
        Assert.False(animal is string);
        IAnimal asInterface = animal as IAnimal;
        Assert.Equal("roar", asInterface.Sound());

        object strings = new[] { "a", "b" };
        Assert.True(strings is object[]);
        Assert.True(strings is string[]);
        Assert.False(strings is int[]);
        Assert.True(strings is Array);

        object number = 5;
        Assert.True(number is int);
        Assert.False(number is long);
        Assert.Equal(5, (int)number);
    }

    [KernelTest]
    public static void CheckedArithmetic_InRangeValuesPass()
    {
        int a = int.MaxValue - 1;
        int b = checked(a + 1);
        Assert.Equal(int.MaxValue, b);
        ulong big = checked(uint.MaxValue * 2UL);
        Assert.Equal(8589934590UL, big);
        Assert.Equal(-5, checked((int)-5L));
    }

    // ---------------------------------------------------------------- allocation

    // Objects that escape (stored in statics): the compiler's escape analysis would put
    // non-escaping ones on the stack, which is correct but bypasses the allocator.
    private static object s_keptCounter;
    private static int[] s_keptArray;

    [KernelTest]
    public static void Allocation_GoesThroughTheRuntimeAllocator()
    {
        ulong count = RuntimeAllocator.AllocationCount;
        ulong bytes = RuntimeAllocator.AllocatedBytes;
        var counter = new Counter();
        int[] array = new int[100];
        s_keptCounter = counter;
        s_keptArray = array;
        Assert.NotNull(s_keptCounter);
        Assert.Equal(100, array.Length);
        Assert.Equal(count + 2, RuntimeAllocator.AllocationCount);
        Assert.True(RuntimeAllocator.AllocatedBytes >= bytes + 400, "the array's 400 bytes were counted");
        Assert.Equal(0UL, (ulong)s_keptArray[99]);
    }

    // ---------------------------------------------------------------- failures become clear panics

    // The runtime's checks throw what .NET throws (they were panics before exceptions could be caught).
    [KernelTest]
    public static void IndexOutOfRange_ThrowsIndexOutOfRangeException()
    {
        int[] small = new int[2];
        int index = small.Length + Environment.TickCountForTests;
        try
        {
            small[index] = 1;
            Assert.Fail("no exception");
        }
        catch (IndexOutOfRangeException e)
        {
            Assert.Equal("Index was outside the bounds of the array.", e.Message);
        }
    }

    [KernelTest]
    public static void CheckedOverflow_ThrowsOverflowException()
    {
        int big = int.MaxValue - Environment.TickCountForTests;
        try
        {
            int result = checked(big + 1);
            Assert.Fail("unreachable: " + result.ToString());
        }
        catch (OverflowException e)
        {
            Assert.Equal("Arithmetic operation resulted in an overflow.", e.Message);
        }
    }

    [KernelTest]
    public static void InvalidCast_ThrowsInvalidCastException()
    {
        object text = Environment.TickCountForTests == 0 ? "text" : null;
        try
        {
            var shape = (Shape)text;
            Assert.Fail("unreachable: " + shape.Name);
        }
        catch (InvalidCastException e)
        {
            Assert.True(e.Message.StartsWith("Specified cast is not valid"), e.Message);
        }
    }

    [KernelTest]
    public static void Throw_IsCaught_WithItsMessage()
    {
        try
        {
            if (Environment.TickCountForTests == 0)
                throw new InvalidOperationException("thrown on purpose");
        }
        catch (InvalidOperationException e)
        {
            Assert.Equal("thrown on purpose", e.Message);
            return;
        }

        Assert.Fail("no exception");
    }

    [KernelTest(ShouldPanic = true)]
    public static void Panic_ExplicitPanicReachesTheHandler()
        => Diagnostics.Panic.Fail("deliberate panic from a should-panic test");

    // Zero, in a way the compiler cannot see (the time-stamp counter never reaches 2^63).
    private static class Environment
    {
        public static int TickCountForTests => (int)(Arch.Cpu.ReadTimeStampCounter() >> 63);
    }
}
