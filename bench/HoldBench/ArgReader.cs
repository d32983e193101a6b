using System.Globalization;

namespace TicketAspire.Bench.HoldBench;

/// <summary>Walks a mode's command-line arguments: the current option, its value, and whole numbers within bounds.</summary>
public sealed class ArgReader(IReadOnlyList<string> args)
{
    private int _index = -1;

    /// <summary>The option being read.</summary>
    public string Current => args[_index];

    /// <summary>Moves to the next argument; false at the end.</summary>
    public bool Next() => ++_index < args.Count;

    /// <summary>The current option's value (the next argument).</summary>
    public string Value() => _index + 1 < args.Count ? args[++_index] : throw new FormatException($"{Current} needs a value");

    /// <summary><paramref name="text"/> (default: the next argument) as a whole number from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public int Number(int min, int max, string? text = null)
    {
        text ??= Value();
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new FormatException($"{Current}: '{text}' is not a whole number from {min} to {max}");
    }
}
