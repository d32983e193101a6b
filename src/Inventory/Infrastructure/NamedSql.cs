using System.Text.RegularExpressions;
using Npgsql;

namespace TicketAspire.Inventory.Infrastructure;

/// <summary>
/// A statement written with named parameters (<c>@event_id</c>) and compiled once into Postgres's positional form
/// (<c>$1</c>), so it is readable where it is written and sent without Npgsql rewriting it on every execution. Each name
/// gets the position of its first use; <see cref="Command"/> binds values by name and refuses a statement whose names
/// and values differ, so a renamed parameter fails the first test that runs it instead of binding the wrong value.
/// </summary>
public sealed partial class NamedSql
{
    private readonly Dictionary<string, int> _positions;

    private NamedSql(string text, string[] names)
    {
        Text = text;
        Names = names;
        _positions = names.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => x.i, StringComparer.Ordinal);
    }

    /// <summary>The positional statement as sent to Postgres.</summary>
    public string Text { get; }

    /// <summary>The parameter names, in position order (<c>$1</c> first).</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Compiles <paramref name="sql"/>: every <c>@name</c> (lower case, digits, underscores) becomes <c>$n</c>.</summary>
    public static NamedSql Compile(string sql)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        var names = new List<string>();
        var text = Placeholder().Replace(sql, m =>
        {
            var name = m.Groups[1].Value;
            var at = names.IndexOf(name);
            if (at < 0)
            {
                names.Add(name);
                at = names.Count - 1;
            }

            return "$" + (at + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        });
        return new NamedSql(text, [.. names]);
    }

    /// <summary>A batch command of this statement with <paramref name="parameters"/> bound by name (all of them, no others).</summary>
    public NpgsqlBatchCommand Command(IReadOnlyList<NpgsqlParameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var ordered = new NpgsqlParameter?[Names.Count];
        foreach (var p in parameters)
        {
            if (!_positions.TryGetValue(p.ParameterName, out var at))
            {
                throw new InvalidOperationException($"The statement has no parameter @{p.ParameterName}.");
            }

            ordered[at] = p;
        }

        var command = new NpgsqlBatchCommand(Text);
        for (var i = 0; i < ordered.Length; i++)
        {
            var p = ordered[i] ?? throw new InvalidOperationException($"No value for @{Names[i]}.");
            // positional from here on: Npgsql sends the statement as it is
            p.ParameterName = "";
            command.Parameters.Add(p);
        }

        return command;
    }

    // not after another @ or a word character (so e-mail-like text and operators such as @> stay as they are)
    [GeneratedRegex(@"(?<![@\w])@([a-z_][a-z0-9_]*)", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();
}
