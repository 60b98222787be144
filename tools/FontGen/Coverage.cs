// Which characters the console can draw: printable ASCII, Latin-1, the box
// drawing block, the full block and shades, and U+FFFD as the replacement
// glyph for everything else. Both cell sizes must have every one of them.
namespace FontGen;

public readonly record struct CodePointRange(int First, int Last)
{
    public int Count => Last - First + 1;
}

public static class Coverage
{
    public const int ReplacementCharacter = 0xFFFD;

    public static readonly CodePointRange[] Ranges =
    {
        new(0x0020, 0x007E), // printable ASCII
        new(0x00A0, 0x00FF), // Latin-1 supplement
        new(0x2500, 0x257F), // box drawing
        new(0x2588, 0x2588), // full block
        new(0x2591, 0x2592), // light and medium shade
    };

    /// <summary>The code points in glyph order: the replacement character first, then the ranges.</summary>
    public static IEnumerable<int> CodePoints()
    {
        yield return ReplacementCharacter;
        foreach (CodePointRange range in Ranges)
        {
            for (int c = range.First; c <= range.Last; c++)
                yield return c;
        }
    }
}
