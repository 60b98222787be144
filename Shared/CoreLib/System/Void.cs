namespace System;

// The type of 'no value'; the compiler needs it by name.
public struct Void
{
}
