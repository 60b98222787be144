// The GCDesc: where an object's references are, as ILCompiler writes it in the
// words just below a MethodTable that has the ContainsReferences flag
// (gcdesc.h's CGCDesc in dotnet/runtime describes the same format; the layout
// here was checked against the built kernel image, see docs/gc.md).
//
//   MT - 8            nint count
//   count > 0: `count` series growing downwards from MT - 16, each two words:
//     MT - 16 - 16*i  start offset (from the object's address, i.e. its MethodTable pointer)
//     MT - 24 - 16*i  series size - object size (add the object's size, header included,
//                     to get the byte length of the run of references)
//   count < 0: the repeating form for arrays of structs holding references:
//     MT - 16         start offset of the first element's first reference
//     MT - 24 - 8*j   item j (j = 0 .. -count-1): u32 reference count (low half), u32 bytes
//                     to skip after them (high half); the items repeat until the object ends
namespace Shared.Gc;

/// <summary>Receives each reference slot of an object.</summary>
public unsafe interface IReferenceVisitor
{
    void Visit(nuint* slot);
}

public static unsafe class GcDesc
{
    /// <summary>Calls <paramref name="visitor"/> for each reference slot of <paramref name="obj"/>, in address order per series.</summary>
    /// <remarks>The caller guarantees <paramref name="obj"/> is an initialized object whose MethodTable is intact.</remarks>
    public static void VisitReferences<TVisitor>(nuint obj, ref TVisitor visitor)
        where TVisitor : struct, IReferenceVisitor
    {
        byte* methodTable = ObjectLayout.MethodTableOf(obj);
        if (!ObjectLayout.ContainsReferences(methodTable))
            return;

        nint count = *(nint*)(methodTable - 8);
        nuint size = ObjectLayout.Size(obj);
        if (count > 0)
        {
            for (nint i = 0; i < count; i++)
            {
                nuint offset = *(nuint*)(methodTable - 16 - (16 * i));
                nint length = *(nint*)(methodTable - 24 - (16 * i)) + (nint)size;
                nuint* slot = (nuint*)(obj + offset);
                nuint* end = (nuint*)((byte*)slot + length);
                for (; slot < end; slot++)
                    visitor.Visit(slot);
            }

            return;
        }

        // Repeating form: the items describe one element; repeat them until the object's end.
        nuint start = *(nuint*)(methodTable - 16);
        byte* cursor = (byte*)(obj + start);
        byte* objectEnd = (byte*)(obj - ObjectLayout.HeaderSize + size);
        nint items = -count;
        while (cursor < objectEnd)
        {
            byte* roundStart = cursor;
            for (nint j = 0; j < items && cursor < objectEnd; j++)
            {
                uint* item = (uint*)(methodTable - 24 - (8 * j));
                nuint* slot = (nuint*)cursor;
                nuint* end = slot + item[0];
                for (; slot < end; slot++)
                    visitor.Visit(slot);
                cursor = (byte*)end + item[1];
            }

            if (cursor == roundStart)
                return; // a malformed GCDesc that describes no bytes would loop forever
        }
    }
}
