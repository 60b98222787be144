// One character cell of the text screen: what it shows and in which colors.
namespace Shared.Console;

public readonly struct Cell
{
    public Cell(char character, TextColor foreground, TextColor background)
    {
        Character = character;
        Foreground = foreground;
        Background = background;
    }

    public char Character { get; }

    public TextColor Foreground { get; }

    public TextColor Background { get; }
}
