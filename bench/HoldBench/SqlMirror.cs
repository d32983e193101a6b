using System.Text.RegularExpressions;

namespace TicketAspire.Bench.HoldBench;

/// <summary>
/// Checks that the pgbench scripts still mirror the API's SQL. HoldSql is internal (no public accessor), so the scripts
/// carry a copy; this reads the C# source (HoldSql.cs, HoldService.cs), rebuilds <c>HoldSql.CustomerLock</c>,
/// <c>HoldSql.Reserved</c> and the metadata query, substitutes the parameters the way the scripts do, and compares the text.
/// </summary>
public static partial class SqlMirror
{
    /// <summary>What each positional parameter of HoldSql.Reserved becomes in the pgbench scripts.</summary>
    public static readonly IReadOnlyDictionary<string, string> ClaimParameters = new Dictionary<string, string>
    {
        ["$1"] = ":event",
        ["$2"] = "ARRAY(SELECT id FROM seats WHERE event_id = :event AND ordinal = :k)",
        ["$3"] = "now()",
        ["$4"] = "(:hold_prefix || lpad(to_hex(:k::bigint), 16, '0'))::uuid",
        ["$5"] = "(now() + interval '10 minutes')",
        ["$6"] = "('pgbench-' || :k)",
        ["$7"] = "'EUR'",
        ["$8"] = ":payload",
        ["$9"] = "NULL",
        ["$11"] = "6",
    };

    /// <summary>What each positional parameter of HoldSql.CustomerLock becomes in the pgbench scripts.</summary>
    public static readonly IReadOnlyDictionary<string, string> LockParameters = new Dictionary<string, string>
    {
        ["$1"] = "('pgbench-' || :k)",
        ["$2"] = ":event",
    };

    /// <summary>Differences between <paramref name="script"/> and the source; empty when it mirrors it.</summary>
    public static IReadOnlyList<string> Check(string repoRoot, string script, bool withMetadataQuery)
    {
        var problems = new List<string>();
        string claim;
        string customerLock;
        string meta;
        try
        {
            var holdSql = File.ReadAllText(Path.Combine(repoRoot, "src", "Inventory", "Services", "HoldSql.cs"));
            claim = Substitute("WITH " + RawConstant(holdSql, "ReservedTarget") + ",\n" + RawConstant(holdSql, "ClaimTail"), ClaimParameters);
            customerLock = Substitute(LineConstant(holdSql, "CustomerLock"), LockParameters);
            var holdService = File.ReadAllText(Path.Combine(repoRoot, "src", "Inventory", "Services", "HoldService.cs"));
            meta = Substitute(RawLiterals(holdService).FirstOrDefault(s => s.Contains("FROM events e LEFT JOIN ticket_classes", StringComparison.Ordinal))
                ?? throw new FormatException("HoldService.cs: metadata query not found"), new Dictionary<string, string> { ["$1"] = ":event" });
        }
        catch (Exception ex) when (ex is IOException or FormatException)
        {
            return [$"could not read the API's SQL: {ex.Message}"];
        }

        var statements = Statements(File.ReadAllText(script));
        var expected = withMetadataQuery ? new[] { meta, customerLock, claim } : [customerLock, claim];
        if (statements.Count != expected.Length)
        {
            problems.Add($"{Path.GetFileName(script)}: {statements.Count} statements, expected {expected.Length}");
            return problems;
        }

        for (var i = 0; i < expected.Length; i++)
        {
            if (!string.Equals(statements[i], expected[i], StringComparison.Ordinal))
            {
                var a = statements[i].Split('\n');
                var b = expected[i].Split('\n');
                var line = Enumerable.Range(0, Math.Min(a.Length, b.Length)).FirstOrDefault(n => a[n] != b[n], Math.Min(a.Length, b.Length));
                problems.Add($"{Path.GetFileName(script)} statement {i + 1} differs from the API's SQL at line {line + 1}:\n" +
                    $"    script: {(line < a.Length ? a[line] : "<end>")}\n    source: {(line < b.Length ? b[line] : "<end>")}");
            }
        }

        return problems;
    }

    /// <summary>The SQL statements of a pgbench script (comments and meta-commands dropped, without the final semicolon).</summary>
    public static IReadOnlyList<string> Statements(string script)
    {
        ArgumentNullException.ThrowIfNull(script);
        var lines = script.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n')
            .Where(l => !l.StartsWith("--", StringComparison.Ordinal) && !l.StartsWith('\\') && l.Length > 0);
        return string.Join("\n", lines).Split(";\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(s => s.TrimEnd().TrimEnd(';')).ToList();
    }

    private static string Substitute(string sql, IReadOnlyDictionary<string, string> parameters) =>
        ParameterRegex().Replace(sql, m => parameters.TryGetValue(m.Value, out var v) ? v : m.Value);

    /// <summary>The value of <c>const string name = """ ... """;</c> as the compiler sees it (closing indentation removed).</summary>
    private static string RawConstant(string source, string name)
    {
        var at = source.IndexOf($" {name} = \"\"\"", StringComparison.Ordinal);
        return at < 0 ? throw new FormatException($"constant {name} not found") : RawLiterals(source[at..]).First();
    }

    /// <summary>The value of <c>const string name = "...";</c> (a one-line literal without escapes).</summary>
    private static string LineConstant(string source, string name)
    {
        var at = source.IndexOf($" {name} = \"", StringComparison.Ordinal);
        if (at < 0)
        {
            throw new FormatException($"constant {name} not found");
        }

        var start = source.IndexOf('"', at) + 1;
        return source[start..source.IndexOf("\";", start, StringComparison.Ordinal)];
    }

    private static IEnumerable<string> RawLiterals(string source)
    {
        foreach (Match m in RawLiteralRegex().Matches(source))
        {
            var indent = m.Groups["indent"].Value;
            var body = m.Groups["body"].Value.Split('\n').Select(l => l.StartsWith(indent, StringComparison.Ordinal) ? l[indent.Length..] : l.TrimStart());
            yield return string.Join("\n", body);
        }
    }

    [GeneratedRegex(@"\$(?:1[01]|[1-9])\b")]
    private static partial Regex ParameterRegex();

    [GeneratedRegex("\"\"\"\\n(?<body>.*?)\\n(?<indent>[ ]*)\"\"\"", RegexOptions.Singleline)]
    private static partial Regex RawLiteralRegex();
}
