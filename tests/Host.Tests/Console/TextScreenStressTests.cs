// Randomized, seeded: thousands of writes of random text and newlines on
// screens of random geometry, checked after every write against a model that
// works differently (the whole output kept as lines, wrapped and cut to the
// last screenful), and periodically against the pixels themselves.
using System.Text;
using Shared.Console;
using Xunit;

namespace Host.Tests.Console;

public sealed class TextScreenStressTests
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:!?-_=+*/\\|()[]{}<>#%&@$~^'\"\u00E9\u00FC\u00DF\u00A9\u2500\u2502\u253C\u2588";

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void RandomWrites_MatchTheLineModel_OnCellsCursorAndPixels(int seed)
    {
        var random = new Random(seed);
        int columns = random.Next(1, 30);
        int rows = random.Next(1, 9);
        int scale = random.Next(1, 4);
        PixelLayout layout = random.Next(2) == 0 ? PixelLayout.Rgbx : PixelLayout.Bgrx;
        TextScreen screen = TestFramebuffer.Screen(columns, rows, layout, scale, random.Next(0, 3) * 4, out TestFramebuffer framebuffer);
        BitmapFont font = Fonts.ForScale(scale, out int pixelScale);
        var model = new LineModel(columns, rows);

        for (int step = 0; step < 400; step++)
        {
            string text = RandomText(random);
            screen.Write(text);
            model.Write(text);

            string[] expected = model.Screen();
            for (int row = 0; row < rows; row++)
                Assert.True(expected[row] == screen.RowText(row), $"seed {seed}, step {step}, row {row}: expected \"{expected[row]}\", got \"{screen.RowText(row)}\"");
            Assert.Equal(model.Cursor, (screen.CursorColumn, screen.CursorRow));
            if (step % 50 == 49)
            {
                for (int row = 0; row < rows; row++)
                    Assert.Equal(expected[row], ScreenReader.ReadRow(framebuffer, font, pixelScale, row, columns, ColorPalette.ToRgb(TextColor.Black)));
            }
        }

        Assert.All(framebuffer.PaddingBytes(), b => Assert.Equal(TestFramebuffer.Sentinel, b));
    }

    private static string RandomText(Random random)
    {
        var text = new StringBuilder();
        int length = random.Next(0, 70);
        for (int i = 0; i < length; i++)
            text.Append(random.Next(12) == 0 ? '\n' : Alphabet[random.Next(Alphabet.Length)]);
        return text.ToString();
    }

    // Everything ever written, as logical lines; the screen is the tail of their wrapped rows.
    private sealed class LineModel
    {
        private readonly int _columns;
        private readonly int _rows;
        private readonly List<StringBuilder> _lines = new() { new StringBuilder() };

        public LineModel(int columns, int rows)
        {
            _columns = columns;
            _rows = rows;
        }

        public (int Column, int Row) Cursor { get; private set; }

        public void Write(string text)
        {
            foreach (char c in text)
            {
                if (c == '\n')
                    _lines.Add(new StringBuilder());
                else
                    _lines[^1].Append(c);
            }

            // Keep only what can still be on screen.
            if (_lines.Count > _rows + 1)
                _lines.RemoveRange(0, _lines.Count - (_rows + 1));
        }

        public string[] Screen()
        {
            var physical = new List<string>();
            foreach (StringBuilder line in _lines)
            {
                string text = line.ToString();
                if (text.Length == 0)
                    physical.Add("");
                for (int start = 0; start < text.Length; start += _columns)
                    physical.Add(text.Substring(start, Math.Min(_columns, text.Length - start)));
            }

            // A full last row leaves the cursor pending at its end, on that row.
            string last = _lines[^1].ToString();
            int column = last.Length == 0 ? 0 : last.Length - (((last.Length - 1) / _columns) * _columns);
            List<string> visible = physical.Skip(Math.Max(0, physical.Count - _rows)).ToList();
            Cursor = (column, visible.Count - 1);
            while (visible.Count < _rows)
                visible.Add("");
            return visible.Select(r => r.TrimEnd(' ')).ToArray();
        }
    }
}
