namespace TicketAspire.Api.Infrastructure.Idempotency;

/// <summary>
/// The <c>Idempotency-Key</c> request header (draft-ietf-httpapi-idempotency-key-header): a structured-field string
/// (<c>"8e03978e-40d5-43e8-bc93-6894a57f9324"</c>); a bare token is accepted too. 1 to 255 printable ASCII characters.
/// </summary>
public static class IdempotencyKey
{
    /// <summary>The header name.</summary>
    public const string HeaderName = "Idempotency-Key";

    /// <summary>The response header that marks a replayed answer.</summary>
    public const string ReplayedHeaderName = "Idempotent-Replayed";

    /// <summary>Longest key accepted.</summary>
    public const int MaxLength = 255;

    /// <summary>Reads the key from the header value; false when it is malformed.</summary>
    public static bool TryParse(string? header, out string key)
    {
        key = "";
        if (header is null)
        {
            return false;
        }

        var value = header.Trim();
        if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
        {
            value = value[1..^1];
            if (value.Contains('"', StringComparison.Ordinal) || value.Contains('\\', StringComparison.Ordinal))
            {
                return false;
            }
        }

        if (value.Length is < 1 or > MaxLength || value.Any(c => c is < '\x20' or > '\x7e'))
        {
            return false;
        }

        key = value;
        return true;
    }
}
