// Nullable<T>: a value plus a flag. The runtime boxes a null Nullable to null
// and a present one to a boxed T (see RuntimeExports.RhBox).
namespace System;

public struct Nullable<T>
    where T : struct
{
    private readonly bool hasValue;
    internal T value;

    public Nullable(T value)
    {
        this.value = value;
        hasValue = true;
    }

    public readonly bool HasValue => hasValue;

    public readonly T Value
    {
        get
        {
            if (!hasValue)
                ThrowHelper.ThrowInvalidOperationException("Nullable object must have a value.");
            return value;
        }
    }

    public readonly T GetValueOrDefault() => value;

    public readonly T GetValueOrDefault(T defaultValue) => hasValue ? value : defaultValue;

    public static implicit operator T?(T value) => new T?(value);

    public static explicit operator T(T? value) => value.Value;

    public override bool Equals(object other)
    {
        if (!hasValue)
            return other == null;
        if (other == null)
            return false;
        return value.Equals(other);
    }

    public override int GetHashCode() => hasValue ? value.GetHashCode() : 0;

    public override string ToString() => hasValue ? value.ToString() : "";
}
