using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace TicketAspire.AppHost.Deploy;

/// <summary>
/// Writes JSON nodes as block-style YAML (the subset Kubernetes manifests need): maps, lists, strings, numbers and
/// booleans, each string plain when it cannot be read as anything else, otherwise double-quoted with JSON escapes.
/// </summary>
public static partial class Yaml
{
    private static readonly JsonSerializerOptions Quoting = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~",
    };

    /// <summary>One or more documents, separated by <c>---</c>, after an optional comment header.</summary>
    public static string Documents(string? header, params JsonNode[] documents)
    {
        var sb = new StringBuilder();
        foreach (var line in (header ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            sb.Append("# ").Append(line).Append('\n');
        }

        for (var i = 0; i < documents.Length; i++)
        {
            if (i > 0)
            {
                sb.Append("---\n");
            }

            Write(sb, documents[i], 0);
        }

        return sb.ToString();
    }

    private static void Write(StringBuilder sb, JsonNode node, int indent)
    {
        switch (node)
        {
            case JsonObject map:
                foreach (var (key, value) in map)
                {
                    sb.Append(' ', indent).Append(Scalar(key)).Append(':');
                    Nested(sb, value!, indent + 2);
                }

                break;
            case JsonArray list:
                foreach (var item in list)
                {
                    sb.Append(' ', indent).Append('-');
                    if (item is JsonObject { Count: > 0 } entry)
                    {
                        // the first key on the dash's line, the others aligned under it
                        var first = true;
                        foreach (var (key, value) in entry)
                        {
                            sb.Append(first ? " " : new string(' ', indent + 2)).Append(Scalar(key)).Append(':');
                            Nested(sb, value!, indent + 4);
                            first = false;
                        }
                    }
                    else
                    {
                        Nested(sb, item!, indent + 2);
                    }
                }

                break;
            default:
                throw new ArgumentException("a document is a map or a list", nameof(node));
        }
    }

    private static void Nested(StringBuilder sb, JsonNode value, int indent)
    {
        switch (value)
        {
            case JsonObject { Count: 0 }:
                sb.Append(" {}\n");
                break;
            case JsonArray { Count: 0 }:
                sb.Append(" []\n");
                break;
            case JsonObject or JsonArray:
                sb.Append('\n');
                Write(sb, value, indent);
                break;
            default:
                sb.Append(' ').Append(Value((JsonValue)value)).Append('\n');
                break;
        }
    }

    private static string Value(JsonValue value) => value.GetValueKind() switch
    {
        JsonValueKind.String => Scalar(value.GetValue<string>()),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Number => value.ToJsonString(),
        _ => throw new ArgumentException($"unsupported value {value}", nameof(value)),
    };

    /// <summary>A string as a plain scalar when YAML reads it back as the same string, else double-quoted.</summary>
    public static string Scalar(string s) =>
        PlainSafe().IsMatch(s) && !Reserved.Contains(s) && !double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            ? s
            : JsonSerializer.Serialize(s, Quoting);

    [GeneratedRegex("^[A-Za-z_/.][A-Za-z0-9_./-]*$")]
    private static partial Regex PlainSafe();
}
