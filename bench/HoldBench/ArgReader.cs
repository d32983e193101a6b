using System.Globalization;

namespace TicketAspire.Bench.HoldBench;

/// <summary>Walks a mode's command-line arguments: the current option, its value, and whole numbers within bounds.</summary>
public sealed class ArgReader(IReadOnlyList<string> args)
{
    private int _index = -1;
    private int _option = -1;

    /// <summary>The option being read (not its value).</summary>
    public string Current => args[_option];

    /// <summary>Moves to the next option; false at the end.</summary>
    public bool Next()
    {
        _option = ++_index;
        return _index < args.Count;
    }

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

    /// <summary><c>true</c> or <c>false</c>, the current option's value.</summary>
    public bool Boolean() => Value() switch
    {
        "true" => true,
        "false" => false,
        _ => throw new FormatException($"{Current}: true or false"),
    };

    /// <summary>A whole number of seconds (<c>30</c> or <c>30s</c>) from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public int Seconds(int min, int max) => Number(min, max, Value().TrimEnd('s'));

    /// <summary>
    /// Applies every argument to <paramref name="initial"/> with <paramref name="option"/> (which throws
    /// <see cref="FormatException"/> for a bad or unknown one); null with <paramref name="error"/> set when one is
    /// invalid, or with <paramref name="help"/> set when help was asked.
    /// </summary>
    public static T? Parse<T>(IReadOnlyList<string> args, T initial, Func<ArgReader, T, T> option, out string? error, out bool help)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(option);
        error = null;
        help = false;
        var reader = new ArgReader(args);
        var result = initial;
        while (reader.Next())
        {
            if (reader.Current is "-h" or "--help")
            {
                help = true;
                return null;
            }

            try
            {
                result = option(reader, result);
            }
            catch (FormatException ex)
            {
                error = ex.Message;
                return null;
            }
        }

        return result;
    }
}
