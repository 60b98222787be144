// The runtime at work, part 1 (RuntimeTests.cs has the rest): classes with
// virtual methods and interface dispatch, default interface methods, structs
// implementing interfaces.
using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Internal.Runtime;
using Kernel.Testing;

namespace Kernel.Tests;

internal static unsafe partial class RuntimeTests
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
}
