// Base class of every struct. Equality defaults to identity of the box because
// there is no reflection to compare fields; structs that need value equality
// implement IEquatable<T>.
namespace System;

public abstract class ValueType
{
}
