using System.Collections.Frozen;
using System.Numerics;

namespace TicketAspire.Tenancy.Provisioning;

/// <summary>Checks of payout account numbers: IBAN (ISO 13616: country length and mod-97), BIC, US ABA routing numbers.</summary>
public static class PayoutChecks
{
    // IBAN length per country (SWIFT IBAN registry)
    private static readonly FrozenDictionary<string, int> IbanLengths = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["AD"] = 24, ["AE"] = 23, ["AL"] = 28, ["AT"] = 20, ["AZ"] = 28, ["BA"] = 20, ["BE"] = 16, ["BG"] = 22, ["BH"] = 22,
        ["BR"] = 29, ["BY"] = 28, ["CH"] = 21, ["CR"] = 22, ["CY"] = 28, ["CZ"] = 24, ["DE"] = 22, ["DK"] = 18, ["DO"] = 28,
        ["EE"] = 20, ["EG"] = 29, ["ES"] = 24, ["FI"] = 18, ["FO"] = 18, ["FR"] = 27, ["GB"] = 22, ["GE"] = 22, ["GI"] = 23,
        ["GL"] = 18, ["GR"] = 27, ["GT"] = 28, ["HR"] = 21, ["HU"] = 28, ["IE"] = 22, ["IL"] = 23, ["IQ"] = 23, ["IS"] = 26,
        ["IT"] = 27, ["JO"] = 30, ["KW"] = 30, ["KZ"] = 20, ["LB"] = 28, ["LC"] = 32, ["LI"] = 21, ["LT"] = 20, ["LU"] = 20,
        ["LV"] = 21, ["MC"] = 27, ["MD"] = 24, ["ME"] = 22, ["MK"] = 19, ["MR"] = 27, ["MT"] = 31, ["MU"] = 30, ["NL"] = 18,
        ["NO"] = 15, ["PK"] = 24, ["PL"] = 28, ["PS"] = 29, ["PT"] = 25, ["QA"] = 29, ["RO"] = 24, ["RS"] = 22, ["SA"] = 24,
        ["SC"] = 31, ["SE"] = 24, ["SI"] = 19, ["SK"] = 24, ["SM"] = 27, ["ST"] = 25, ["SV"] = 28, ["TL"] = 23, ["TN"] = 24,
        ["TR"] = 26, ["UA"] = 29, ["VA"] = 22, ["VG"] = 24, ["XK"] = 20,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The IBAN without spaces, upper-case.</summary>
    public static string NormalizeIban(string iban)
    {
        ArgumentNullException.ThrowIfNull(iban);
        return string.Concat(iban.Where(c => !char.IsWhiteSpace(c))).ToUpperInvariant();
    }

    /// <summary>Null when <paramref name="iban"/> (normalized) is a valid IBAN; else why not.</summary>
    public static string? CheckIban(string iban)
    {
        ArgumentNullException.ThrowIfNull(iban);
        if (iban.Length < 5 || !iban.All(char.IsAsciiLetterOrDigit) || !char.IsAsciiLetterUpper(iban[0]) || !char.IsAsciiLetterUpper(iban[1])
            || !char.IsAsciiDigit(iban[2]) || !char.IsAsciiDigit(iban[3]))
        {
            return "Not an IBAN: two letters of the country, two check digits, then letters and digits.";
        }

        if (!IbanLengths.TryGetValue(iban[..2], out var length))
        {
            return $"'{iban[..2]}' has no IBAN format.";
        }

        if (iban.Length != length)
        {
            return $"An IBAN of {iban[..2]} has {length} characters, this one {iban.Length}.";
        }

        // ISO 13616: move the first four characters to the end, letters to 10..35, the number mod 97 must be 1
        var rearranged = iban[4..] + iban[..4];
        var digits = string.Concat(rearranged.Select(c => char.IsAsciiDigit(c) ? c.ToString() : (c - 'A' + 10).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return BigInteger.Parse(digits, System.Globalization.CultureInfo.InvariantCulture) % 97 == 1 ? null : "The IBAN's check digits do not match (mod-97).";
    }

    /// <summary>Null when <paramref name="bic"/> (upper-case) is a BIC (8 or 11 characters); else why not.</summary>
    public static string? CheckBic(string bic)
    {
        ArgumentNullException.ThrowIfNull(bic);
        return bic.Length is 8 or 11 && bic[..6].All(char.IsAsciiLetterUpper) && bic[6..].All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c))
            ? null
            : "A BIC has 8 or 11 characters: bank (4 letters), country (2 letters), location (2), optional branch (3).";
    }

    /// <summary>Null when <paramref name="routing"/> is an ABA routing number (9 digits, weights 3-7-1, sum divisible by 10).</summary>
    public static string? CheckAbaRouting(string routing)
    {
        ArgumentNullException.ThrowIfNull(routing);
        if (routing.Length != 9 || !routing.All(char.IsAsciiDigit))
        {
            return "An ABA routing number has 9 digits.";
        }

        int[] weights = [3, 7, 1, 3, 7, 1, 3, 7, 1];
        var sum = routing.Select((c, i) => (c - '0') * weights[i]).Sum();
        return sum % 10 == 0 ? null : "The routing number's checksum does not match.";
    }
}
