namespace TicketAspire.Api.Infrastructure.Input;

/// <summary>
/// What text the API accepts, from anywhere (path, query, JSON body): no control characters (C0 U+0000–U+001F, DEL,
/// C1 U+0080–U+009F) and no unpaired UTF-16 surrogates. Postgres refuses U+0000 in text and Npgsql refuses unpaired
/// surrogates, so without this rule such input surfaced as a 500 deep inside a query; refused at the edge it is a 400.
/// Multi-line text (JSON strings: descriptions, reasons) may contain tab, line feed and carriage return.
/// </summary>
public static class TextInput
{
    /// <summary>Stable problem code of a refusal.</summary>
    public const string ProblemCode = "invalid_characters";

    /// <summary>What a refusal says.</summary>
    public const string Rule = "Control characters (U+0000–U+001F, U+007F–U+009F) and unpaired surrogates are not accepted.";

    /// <summary>True when <paramref name="text"/> has nothing the rule refuses.</summary>
    public static bool IsClean(ReadOnlySpan<char> text, bool multiline = false)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsControl(c))
            {
                if (multiline && c is '\t' or '\n' or '\r')
                {
                    continue;
                }

                return false;
            }

            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                {
                    return false;
                }

                i++;
            }
            else if (char.IsLowSurrogate(c))
            {
                return false;
            }
        }

        return true;
    }
}
