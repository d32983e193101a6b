using System.Globalization;
using System.Text;

namespace TicketAspire.Api.Infrastructure;

/// <summary>
/// Writes RFC 4180 CSV: CRLF line ends, fields with a comma, quote or line break quoted (quotes doubled), numbers and
/// dates in the invariant culture (dates as ISO 8601 UTC). Text that a spreadsheet would run as a formula (starting with
/// <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab or CR) is prefixed with <c>'</c>; numbers are written as they are.
/// </summary>
public sealed class CsvWriter
{
    /// <summary>Content type of a CSV response.</summary>
    public const string ContentType = "text/csv; charset=utf-8";

    private readonly StringBuilder _text = new();

    /// <summary>Appends one record.</summary>
    public CsvWriter Row(params object?[] fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0)
            {
                _text.Append(',');
            }

            _text.Append(Field(fields[i]));
        }

        _text.Append("\r\n");
        return this;
    }

    /// <summary>The CSV text written so far.</summary>
    public override string ToString() => _text.ToString();

    /// <summary>One field as it appears in the file.</summary>
    public static string Field(object? value) => value switch
    {
        null => "",
        string s => Quote(s),
        bool b => b ? "true" : "false",
        DateTimeOffset d => d.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.FFFFFFFZ", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        Guid g => g.ToString("D"),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => Quote(value.ToString() ?? ""),
    };

    private static string Quote(string s)
    {
        if (s.Length > 0 && s[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            s = "'" + s;
        }

        return s.AsSpan().IndexOfAny(",\"\r\n") < 0 ? s : "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
