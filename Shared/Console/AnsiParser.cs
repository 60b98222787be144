// Splits a character stream into what to print, control characters to act
// on, and ANSI/ECMA-48 control sequences (ESC [ parameters final-byte) - the
// subset of a VT100's input parser a console needs. Escape sequences that are
// not control sequences (ESC c, ESC 7, ...) are consumed and ignored, as are
// control sequences with private markers or intermediate bytes, so they never
// show up as garbage on the screen.
namespace Shared.Console;

public enum AnsiAction : byte
{
    /// <summary>The character was consumed as part of a sequence; nothing to do yet.</summary>
    None,

    /// <summary>Draw the character.</summary>
    Print,

    /// <summary>A C0 control character (below 0x20, or DEL) to act on.</summary>
    Control,

    /// <summary>A complete control sequence: see Final and Parameter.</summary>
    ControlSequence,
}

public unsafe struct AnsiParser
{
    public const int MaxParameters = 16;
    private const int MaxParameterValue = 9999;
    private const char Escape = '\x1b';

    private State _state;
    private bool _ignored;
    private int _count;
    private fixed int _parameters[MaxParameters];

    private enum State : byte
    {
        Ground,
        Escape,
        ControlSequence,
    }

    /// <summary>The final character of the last control sequence ('m' for SGR, 'J', 'K', 'H'...).</summary>
    public char Final { get; private set; }

    /// <summary>How many parameters the last control sequence had ("ESC[m": 0, "ESC[1;31m": 2, "ESC[;5H": 2).</summary>
    public int ParameterCount => _count;

    /// <summary>True while inside an escape or control sequence.</summary>
    public bool InSequence => _state != State.Ground;

    /// <summary>Parameter <paramref name="index"/> of the last control sequence, or <paramref name="missing"/> when absent or empty.</summary>
    public int Parameter(int index, int missing)
    {
        if (index >= _count || _parameters[index] < 0)
            return missing;
        return _parameters[index];
    }

    public void Reset()
    {
        _state = State.Ground;
        _count = 0;
        _ignored = false;
    }

    public AnsiAction Feed(char c)
    {
        if (c == Escape)
        {
            _state = State.Escape;
            return AnsiAction.None;
        }

        switch (_state)
        {
            case State.Escape:
                if (c == '[')
                {
                    StartSequence();
                    return AnsiAction.None;
                }

                if (c < ' ')
                    return AnsiAction.Control; // executed as if the escape were not there, which stays pending
                _state = State.Ground;
                return AnsiAction.None;

            case State.ControlSequence:
                return FeedSequence(c);

            default:
                return c < ' ' || c == '\x7f' ? AnsiAction.Control : AnsiAction.Print;
        }
    }

    private void StartSequence()
    {
        _state = State.ControlSequence;
        _count = 0;
        _ignored = false;
        Final = '\0';
    }

    private AnsiAction FeedSequence(char c)
    {
        if (c >= '0' && c <= '9')
        {
            if (_count == 0)
                _count = StartParameter(0);
            int index = _count - 1;
            if (index < MaxParameters)
            {
                int value = _parameters[index] < 0 ? 0 : _parameters[index];
                _parameters[index] = value >= MaxParameterValue ? MaxParameterValue : (value * 10) + (c - '0');
            }

            return AnsiAction.None;
        }

        switch (c)
        {
            case ';':
                if (_count == 0)
                    _count = StartParameter(0); // the empty parameter before the separator
                _count = StartParameter(_count);
                return AnsiAction.None;
            case '\x18': // CAN and SUB abort the sequence
            case '\x1a':
                _state = State.Ground;
                return AnsiAction.None;
            case '\x7f':
                return AnsiAction.None;
        }

        if (c < ' ')
            return AnsiAction.Control; // C0 controls inside a sequence are executed, the sequence goes on
        if (c >= '<' && c <= '?')
        {
            _ignored = true; // private marker: DEC modes and the like, not supported
            return AnsiAction.None;
        }

        if (c < '@')
        {
            _ignored = true; // intermediate bytes (0x20-0x2F) and ':' sub-parameters
            return AnsiAction.None;
        }

        _state = State.Ground;
        if (c > '~' || _ignored)
            return AnsiAction.None;
        if (_count > MaxParameters)
            _count = MaxParameters;
        Final = c;
        return AnsiAction.ControlSequence;
    }

    // Opens parameter slot 'index' as empty; returns the new count.
    private int StartParameter(int index)
    {
        if (index < MaxParameters)
            _parameters[index] = -1;
        return index + 1;
    }
}
