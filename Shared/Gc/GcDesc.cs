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

        var runs = new RepeatingRuns(obj, methodTable, count, size);
        while (runs.Next(out nuint* slot, out nuint length))
        {
            for (nuint* end = slot + length; slot < end; slot++)
                visitor.Visit(slot);
        }
    }

    /// <summary>
    /// Walks the repeating form (count &lt; 0: arrays of structs holding references) as runs of reference
    /// slots: the -count items describe one element and repeat until the object's end.
    /// </summary>
    /// <remarks>The caller guarantees the object and its MethodTable are intact and that count is the
    /// (negative) series count read from MT - 8.</remarks>
    public struct RepeatingRuns
    {
        private readonly byte* _methodTable;
        private readonly nint _items;
        private readonly byte* _objectEnd;
        private byte* _cursor;
        private byte* _roundStart;
        private nint _item;

        public RepeatingRuns(nuint obj, byte* methodTable, nint count, nuint size)
        {
            _methodTable = methodTable;
            _items = -count;
            _cursor = (byte*)(obj + *(nuint*)(methodTable - 16));
            _objectEnd = (byte*)(obj - ObjectLayout.HeaderSize + size);
            _roundStart = _cursor;
            _item = 0;
        }

        /// <summary>The next run: <paramref name="length"/> reference slots from <paramref name="slot"/>.</summary>
        public bool Next(out nuint* slot, out nuint length)
        {
            if (_cursor < _objectEnd)
            {
                if (_item == _items)
                {
                    if (_cursor == _roundStart)
                        return Done(out slot, out length); // a malformed GCDesc that describes no bytes would loop forever
                    _item = 0;
                    _roundStart = _cursor;
                }

                uint* item = (uint*)(_methodTable - 24 - (8 * _item));
                slot = (nuint*)_cursor;
                length = item[0];
                _cursor = (byte*)(slot + length) + item[1];
                _item++;
                return true;
            }

            return Done(out slot, out length);
        }

        private static bool Done(out nuint* slot, out nuint length)
        {
            slot = null;
            length = 0;
            return false;
        }
    }
}
