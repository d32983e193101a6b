using System.Collections.Frozen;
using System.Text.RegularExpressions;

namespace TicketAspire.Tenancy.Provisioning;

/// <summary>
/// Format checks of tax ids by the address's country: VAT ids of the EU member states (with their country prefix,
/// <c>EL</c> for Greece), UK VAT numbers, Swiss UIDs, US EINs; any other country gets a generic shape (4–20 letters and
/// digits). Formats only: whether the number is registered is for the tax authority's service (VIES, HMRC) to say,
/// which a production onboarding would call.
/// </summary>
public static partial class TaxIdChecks
{
    private static readonly FrozenDictionary<string, Regex> Formats = new Dictionary<string, Regex>(StringComparer.Ordinal)
    {
        ["AT"] = R(@"ATU\d{8}"), ["BE"] = R(@"BE[01]\d{9}"), ["BG"] = R(@"BG\d{9,10}"), ["CY"] = R(@"CY\d{8}[A-Z]"),
        ["CZ"] = R(@"CZ\d{8,10}"), ["DE"] = R(@"DE\d{9}"), ["DK"] = R(@"DK\d{8}"), ["EE"] = R(@"EE\d{9}"), ["GR"] = R(@"EL\d{9}"),
        ["ES"] = R(@"ES[A-Z0-9]\d{7}[A-Z0-9]"), ["FI"] = R(@"FI\d{8}"), ["FR"] = R(@"FR[A-HJ-NP-Z0-9]{2}\d{9}"), ["HR"] = R(@"HR\d{11}"),
        ["HU"] = R(@"HU\d{8}"), ["IE"] = R(@"IE(\d{7}[A-W][A-I]?|\d[A-Z+*]\d{5}[A-W])"), ["IT"] = R(@"IT\d{11}"),
        ["LT"] = R(@"LT(\d{9}|\d{12})"), ["LU"] = R(@"LU\d{8}"), ["LV"] = R(@"LV\d{11}"), ["MT"] = R(@"MT\d{8}"),
        ["NL"] = R(@"NL\d{9}B\d{2}"), ["PL"] = R(@"PL\d{10}"), ["PT"] = R(@"PT\d{9}"), ["RO"] = R(@"RO\d{2,10}"),
        ["SE"] = R(@"SE\d{10}01"), ["SI"] = R(@"SI\d{8}"), ["SK"] = R(@"SK\d{10}"),
        ["GB"] = R(@"GB(\d{9}|\d{12}|GD[0-4]\d{2}|HA[5-9]\d{2})"), ["CH"] = R(@"CHE\d{9}(MWST|TVA|IVA)?"),
        ["US"] = R(@"(?!00)\d{9}"),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>What each known country's tax id looks like, for error messages.</summary>
    private static readonly FrozenDictionary<string, string> Examples = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["DE"] = "DE123456789", ["FR"] = "FRXX123456789", ["GR"] = "EL123456789", ["NL"] = "NL123456789B01", ["AT"] = "ATU12345678",
        ["GB"] = "GB123456789", ["US"] = "an EIN, 12-3456789", ["CH"] = "CHE123456789MWST", ["SE"] = "SE123456789001",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The tax id without spaces, dots and dashes, upper-case.</summary>
    public static string Normalize(string taxId)
    {
        ArgumentNullException.ThrowIfNull(taxId);
        return string.Concat(taxId.Where(c => c is not (' ' or '.' or '-'))).ToUpperInvariant();
    }

    /// <summary>Null when <paramref name="normalized"/> is a tax id of <paramref name="country"/>'s format; else why not.</summary>
    public static string? Check(string normalized, string country)
    {
        ArgumentNullException.ThrowIfNull(normalized);
        if (Formats.TryGetValue(country, out var format))
        {
            return format.IsMatch(normalized)
                ? null
                : $"Not a tax id of {country}" + (Examples.TryGetValue(country, out var example) ? $" (like {example})." : " (its VAT id with the country prefix).");
        }

        return Generic().IsMatch(normalized) ? null : "A tax id has 4 to 20 letters and digits.";
    }

    private static Regex R(string pattern) => new($"^(?:{pattern})$", RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));

    [GeneratedRegex("^[A-Z0-9]{4,20}$")]
    private static partial Regex Generic();
}
