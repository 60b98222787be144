// The runtime at work, part 5 (RuntimeTests.cs has the rest): enums,
// nullables and boxing, casts, checked arithmetic.
using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Internal.Runtime;
using Kernel.Testing;

namespace Kernel.Tests;

internal static unsafe partial class RuntimeTests
{
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
}
