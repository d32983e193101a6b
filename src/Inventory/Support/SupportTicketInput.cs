namespace TicketAspire.Inventory.Support;

/// <summary>
/// The limits of a ticket's text, checked before anything is stored: a subject of one line, at most
/// <see cref="MaxSubject"/> characters; a message body of at most <see cref="MaxBody"/>, where tab and line breaks are
/// the only control characters; no unpaired surrogates anywhere. Both are trimmed and must not be blank.
/// </summary>
public static class SupportTicketInput
{
    /// <summary>The longest subject.</summary>
    public const int MaxSubject = 200;

    /// <summary>The longest message body.</summary>
    public const int MaxBody = 10_000;

    /// <summary>The most messages a thread holds (first message included).</summary>
    public const int MaxMessages = 1_000;

    /// <summary>The subject, trimmed, or an error message for field <c>subject</c>.</summary>
    public static (string? Value, string? Error) Subject(string? subject) =>
        Text(subject, MaxSubject, multiline: false, "A subject of one line");

    /// <summary>The body, trimmed, or an error message for field <c>body</c>.</summary>
    public static (string? Value, string? Error) Body(string? body) =>
        Text(body, MaxBody, multiline: true, "A message (tab and line breaks allowed)");

    private static (string? Value, string? Error) Text(string? text, int max, bool multiline, string what)
    {
        var rule = $"{what}, 1 to {max} characters, without other control characters.";
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > max || !IsClean(trimmed, multiline))
        {
            return (null, rule);
        }

        return (trimmed, null);
    }

    private static bool IsClean(string text, bool multiline)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsControl(c) && !(multiline && c is '\t' or '\n' or '\r'))
            {
                return false;
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return false;
            }
        }

        return true;
    }
}
