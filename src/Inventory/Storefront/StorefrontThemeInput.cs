using System.Globalization;

namespace TicketAspire.Inventory.Storefront;

/// <summary>
/// The rules of a storefront theme, checked before anything is stored: a name of one line, 1 to <see cref="MaxName"/>
/// characters; colours <c>#rrggbb</c>; a tagline of one line up to <see cref="MaxTagline"/>; footer text up to
/// <see cref="MaxFooter"/> (tab and line breaks are its only control characters). Text is trimmed, and an empty field
/// means the default. The primary colour carries white text (the header, the buttons), so white on it must reach the
/// WCAG AA contrast ratio for normal text, <see cref="MinPrimaryContrast"/>.
/// </summary>
public static class StorefrontThemeInput
{
    /// <summary>The longest name.</summary>
    public const int MaxName = 80;

    /// <summary>The longest tagline.</summary>
    public const int MaxTagline = 160;

    /// <summary>The longest footer text.</summary>
    public const int MaxFooter = 500;

    /// <summary>The lowest contrast ratio of white text on the primary colour (WCAG 2 AA, normal text).</summary>
    public const double MinPrimaryContrast = 4.5;

    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    /// <summary>
    /// The settings trimmed and with lower-case colours, or the field errors (by field: <c>name</c>, <c>primary</c>,
    /// <c>secondary</c>, <c>tagline</c>, <c>footer_text</c>). The contrast rule is <see cref="ContrastWithWhite"/>'s.
    /// </summary>
    public static (StorefrontThemeSettings? Value, IReadOnlyDictionary<string, string[]> Errors) Normalize(StorefrontThemeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var name = Text(settings.Name, MaxName, multiline: false, "name", "A name of one line", errors);
        var primary = Colour(settings.Primary, "primary", errors);
        var secondary = Colour(settings.Secondary, "secondary", errors);
        var tagline = Text(settings.Tagline, MaxTagline, multiline: false, "tagline", "A tagline of one line", errors);
        var footer = Text(settings.FooterText, MaxFooter, multiline: true, "footer_text", "Footer text (tab and line breaks allowed)", errors);
        return errors.Count > 0 ? (null, errors) : (new StorefrontThemeSettings(name, primary, secondary, tagline, footer), errors);
    }

    /// <summary>True for a colour written <c>#rrggbb</c>.</summary>
    public static bool IsColour(string? value) =>
        value is { Length: 7 } && value[0] == '#' && !value.AsSpan(1).ContainsAnyExcept(HexDigits);

    /// <summary>
    /// The contrast ratio of white text on <paramref name="colour"/> (<c>#rrggbb</c>), from 1 to 21: (1 + 0.05) / (L + 0.05)
    /// with L the colour's relative luminance as WCAG 2 defines it.
    /// </summary>
    public static double ContrastWithWhite(string colour)
    {
        if (!IsColour(colour))
        {
            throw new ArgumentException("A colour #rrggbb.", nameof(colour));
        }

        var rgb = int.Parse(colour.AsSpan(1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        var luminance = 0.2126 * Linear(rgb >> 16) + 0.7152 * Linear((rgb >> 8) & 0xff) + 0.0722 * Linear(rgb & 0xff);
        return 1.05 / (luminance + 0.05);
    }

    private static double Linear(int channel)
    {
        var c = channel / 255.0;
        return c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
    }

    private static string? Colour(string? value, string field, Dictionary<string, string[]> errors)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return null;
        }

        if (!IsColour(trimmed))
        {
            errors[field] = ["A colour written #rrggbb (six hexadecimal digits), e.g. #1d4ed8."];
            return null;
        }

        return trimmed.ToLowerInvariant();
    }

    private static string? Text(string? value, int max, bool multiline, string field, string what, Dictionary<string, string[]> errors)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return null;
        }

        if (trimmed.Length > max || trimmed.Any(c => char.IsControl(c) && !(multiline && c is '\t' or '\n' or '\r')))
        {
            errors[field] = [$"{what}, at most {max} characters, without other control characters."];
            return null;
        }

        return trimmed;
    }
}
