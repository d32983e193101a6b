using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;

namespace TicketAspire.AppHost.Tests;

/// <summary>One random request: which endpoint, the id in its route, a query string, a JSON body, casing and caller.</summary>
internal sealed record FuzzCase(int Endpoint, string Id, string Query, string? Body, bool OddCase, bool Anonymous)
{
    /// <summary>Every field name the API reads from a body or a query, so random input reaches the validators.</summary>
    private static readonly string[] Fields =
    [
        "name", "type", "performer", "description", "starts_at", "venue", "city", "country", "address", "seating", "currency",
        "ticket_classes", "price_minor", "quantity", "sections", "rows", "label", "class", "seat_count", "seats", "number",
        "refund_cutoff_hours", "event_id", "customer_ref", "customer_email", "seat_ids", "tickets", "class_id", "expire_in_seconds",
        "admission_token", "reason", "url", "event_types", "enabled", "on_sale_at", "admit_per_minute", "window_seconds",
        "token_ttl_seconds", "location", "date_from", "date_to", "sort_by", "order", "page", "size", "subject", "resource_id",
        "to", "status", "since", "event_type", "group_by", "from", "order_id", "cursor", "limit",
    ];

    /// <summary>Strings that have broken servers: controls, unpaired surrogates (as JSON escapes), non-BMP, huge, odd.</summary>
    private static readonly Gen<string> Text = Gen.OneOf(
        Gen.Elements("", " ", "paris", "concert", "reserved", "general_admission", "2027-03-01T20:00:00Z", "-1", "0", "1e400",
            "9223372036854775808", "\\u0000", "a\\u0000b", "\\u001b[2J", "\\ud800", "x\\udfffy", "\\ud83c\\udfab", "🎫", "東京",
            "\\u0085", "%00", "'; DROP TABLE seats; --", "${jndi:ldap://x}", "../../etc/passwd", "\\\\", "null"),
        Gen.Choose(1, 12).Select(n => string.Concat(Enumerable.Repeat("😀\\u0001", n))),
        Gen.Choose(1_000, 20_000).Select(n => new string('x', n)));

    private static readonly Gen<string> Number = Gen.Elements(
        "0", "-1", "1", "50", "2147483647", "2147483648", "-2147483649", "9223372036854775807", "9223372036854775808",
        "-9223372036854775808", "1e308", "1e400", "-0", "0.5", "99999999", "100000000", "4611686018427387904");

    private static Gen<string> Value(int depth) => depth <= 0
        ? Gen.OneOf(Text.Select(Quote), Number, Gen.Elements("true", "false", "null"))
        : Gen.Frequency(
            (4, Text.Select(Quote)),
            (3, Number),
            (1, Gen.Elements("true", "false", "null")),
            (1, Gen.Choose(0, 4).SelectMany(n => Gen.ArrayOf(Value(depth - 1), n)).Select(items => "[" + string.Join(",", items) + "]")),
            (2, Object(depth - 1)));

    private static Gen<string> Object(int depth) =>
        from count in Gen.Choose(0, 6)
        from keys in Gen.ArrayOf(Gen.Elements(Fields), count)
        from values in Gen.ArrayOf(Value(depth), count)
        select "{" + string.Join(",", keys.Zip(values, (k, v) => $"\"{k}\":{v}")) + "}";

    private static readonly Gen<string> BodyGen = Gen.Frequency(
        (6, Object(3)),
        (1, Gen.Elements("", "{", "[]", "null", "\"x\"", "{\"a\":", "{\"name\":\"\\ud800\"}", "{\"seat_ids\":[1e400]}")),
        (1, Gen.Choose(1, 3).Select(n => "[" + string.Join(",", Enumerable.Repeat("{\"name\":\"x\"}", n * 10_000)) + "]")));

    private static readonly Gen<string> QueryGen =
        from count in Gen.Choose(0, 4)
        from keys in Gen.ArrayOf(Gen.Elements(Fields), count)
        from values in Gen.ArrayOf(Gen.OneOf(Text, Number), count)
        select count == 0 ? "" : "?" + string.Join("&", keys.Zip(values, (k, v) => $"{k}={Escape(v)}"));

    /// <summary>Cases for <paramref name="endpoints"/> endpoints, ids from <paramref name="ids"/> or random.</summary>
    public static Gen<FuzzCase> Generator(int endpoints, string[] ids) =>
        from endpoint in Gen.Choose(0, endpoints - 1)
        from id in Gen.Frequency((3, Gen.Elements(ids)), (1, Gen.Constant(0).Select(_ => Guid.NewGuid().ToString())), (1, Gen.Elements("x", "%00", "0", "-1")))
        from query in QueryGen
        from body in Gen.Frequency((1, Gen.Constant<string?>(null)), (4, BodyGen.Select(b => (string?)b)))
        from odd in Gen.Elements(true, false)
        from anonymous in Gen.Frequency((1, Gen.Constant(true)), (3, Gen.Constant(false)))
        select new FuzzCase(endpoint, id, query, body, odd, anonymous);

    /// <summary>A JSON string literal of <paramref name="text"/>, whose backslash escapes (<c>\u0000</c>) are kept as such.</summary>
    private static string Quote(string text) => "\"" + text.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    /// <summary>A query value: JSON-style escapes become the characters they name, then percent-encoded (UTF-8).</summary>
    private static string Escape(string text)
    {
        var decoded = System.Text.RegularExpressions.Regex.Replace(text, @"\\u([0-9a-fA-F]{4})",
            m => ((char)Convert.ToInt32(m.Groups[1].Value, 16)).ToString());
        var bytes = new UTF8Encoding(false, false).GetBytes(decoded);
        var sb = new StringBuilder();
        foreach (var b in bytes)
        {
            sb.Append(b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9' ? ((char)b).ToString() : $"%{b:X2}");
        }

        return sb.ToString();
    }
}
