// A color as 8-bit red, green and blue: what the console thinks in. The
// framebuffer's own pixel encoding is PixelLayout's business.
using System;

namespace Shared.Console;

public readonly struct Rgb : IEquatable<Rgb>
{
    public Rgb(byte red, byte green, byte blue)
    {
        R = red;
        G = green;
        B = blue;
    }

    public byte R { get; }

    public byte G { get; }

    public byte B { get; }

    public bool Equals(Rgb other) => R == other.R && G == other.G && B == other.B;

    public override bool Equals(object obj) => obj is Rgb other && Equals(other);

    public override int GetHashCode() => (R << 16) | (G << 8) | B;

    public static bool operator ==(Rgb left, Rgb right) => left.Equals(right);

    public static bool operator !=(Rgb left, Rgb right) => !left.Equals(right);

    public override string ToString() => "#" + R.ToString("X2") + G.ToString("X2") + B.ToString("X2");
}
