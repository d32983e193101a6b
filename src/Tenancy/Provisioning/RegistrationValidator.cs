using System.Collections.Frozen;
using System.Text.RegularExpressions;

namespace TicketAspire.Tenancy.Provisioning;

/// <summary>
/// Checks a <see cref="ResellerRegistration"/> and returns it normalized (host names lower-case, IBAN and tax id without
/// separators, country upper-case): the reseller id (its database, Redis and issuer are named after it), display name,
/// host names, legal name, address, tax id (by the address's country, <see cref="TaxIdChecks"/>), payout account
/// (<see cref="PayoutChecks"/>) and contact e-mail.
/// </summary>
public static partial class RegistrationValidator
{
    /// <summary>Longest reseller id: <c>reseller_</c> + id must fit Postgres' 63-byte identifiers.</summary>
    public const int MaxIdLength = 40;

    /// <summary>Most hosts per reseller.</summary>
    public const int MaxHosts = 10;

    // ids that would collide with a path the router or the identity service gives another meaning (/platform/…, /v1/…)
    private static readonly FrozenSet<string> ReservedIds = FrozenSet.ToFrozenSet(
        ["platform", "admin", "api", "internal", "health", "alive", "openapi", "scalar", "account", "connect", "static", "www",
         "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9"], StringComparer.Ordinal);

    /// <summary>
    /// The errors of <paramref name="registration"/> (empty when it is acceptable) and its normalized form.
    /// </summary>
    /// <param name="registration">The submitted registration.</param>
    /// <param name="requireContactEmail">True for self-registrations, which must say where to answer.</param>
    public static (RegistrationErrors Errors, ResellerRegistration Normalized) Validate(ResellerRegistration? registration, bool requireContactEmail = false)
    {
        var errors = new RegistrationErrors();
        if (registration is null)
        {
            errors.Require("body", "A registration is required.");
            return (errors, new ResellerRegistration(null, null, null, null));
        }

        var id = registration.Id?.Trim();
        if (string.IsNullOrEmpty(id))
        {
            errors.Require("id", "Required.");
        }
        else if (id.Length > MaxIdLength)
        {
            errors.Require("id", $"At most {MaxIdLength} characters.");
        }
        else if (!IdPattern().IsMatch(id))
        {
            errors.Reject("id", "Lower-case letters, digits and dashes, starting with a letter or digit, at least 2 characters.");
        }
        else if (ReservedIds.Contains(id))
        {
            errors.Reject("id", $"'{id}' is reserved.");
        }

        var name = Text(errors, "name", registration.Name, 2, 100);
        var hosts = Hosts(errors, registration.Hosts);
        var billing = Billing(errors, registration.Billing);

        var email = registration.ContactEmail?.Trim();
        if (string.IsNullOrEmpty(email))
        {
            email = null;
            if (requireContactEmail)
            {
                errors.Require("contact_email", "Required.");
            }
        }
        else if (email.Length > 254)
        {
            errors.Require("contact_email", "At most 254 characters.");
        }
        else if (!EmailPattern().IsMatch(email))
        {
            errors.Reject("contact_email", "Not an e-mail address.");
        }

        var redirects = new List<string>();
        foreach (var (uri, i) in (registration.StorefrontRedirectUris ?? []).Select((u, i) => (u, i)))
        {
            if (redirects.Count >= MaxHosts * 2)
            {
                errors.Require("storefront_redirect_uris", $"At most {MaxHosts * 2}.");
                break;
            }

            if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("https" or "http") || !string.IsNullOrEmpty(parsed.Fragment))
            {
                errors.Reject($"storefront_redirect_uris[{i}]", "An absolute http(s) URI without fragment.");
            }
            else
            {
                redirects.Add(parsed.ToString());
            }
        }

        return (errors, new ResellerRegistration(id, name, hosts, billing, email, redirects.Count == 0 ? null : redirects));
    }

    private static List<string> Hosts(RegistrationErrors errors, IReadOnlyList<string>? hosts)
    {
        var result = new List<string>();
        if (hosts is null || hosts.Count == 0)
        {
            errors.Require("hosts", "At least one host name.");
            return result;
        }

        if (hosts.Count > MaxHosts)
        {
            errors.Require("hosts", $"At most {MaxHosts} host names.");
            return result;
        }

        for (var i = 0; i < hosts.Count; i++)
        {
            var host = hosts[i]?.Trim().TrimEnd('.').ToLowerInvariant() ?? "";
            if (host.Length is 0 or > 253 || !HostPattern().IsMatch(host))
            {
                errors.Reject($"hosts[{i}]", "A host name (labels of letters, digits and dashes, at least two labels, no port).");
            }
            else if (result.Contains(host, StringComparer.Ordinal))
            {
                errors.Reject($"hosts[{i}]", "Listed twice.");
            }
            else
            {
                result.Add(host);
            }
        }

        return result;
    }

    private static BillingDetails? Billing(RegistrationErrors errors, BillingDetails? billing)
    {
        if (billing is null)
        {
            errors.Require("billing", "Required: legal_name, address, tax_id, payout.");
            return null;
        }

        var legalName = Text(errors, "billing.legal_name", billing.LegalName, 2, 200);
        var address = Address(errors, billing.Address);
        string? taxId = null;
        if (string.IsNullOrWhiteSpace(billing.TaxId))
        {
            errors.Require("billing.tax_id", "Required.");
        }
        else if (billing.TaxId.Length > 40)
        {
            errors.Require("billing.tax_id", "At most 40 characters.");
        }
        else
        {
            taxId = TaxIdChecks.Normalize(billing.TaxId);
            if (address?.Country is { } country && CountryCodes.IsAssigned(country) && TaxIdChecks.Check(taxId, country) is { } why)
            {
                errors.Reject("billing.tax_id", why);
            }
        }

        var payout = Payout(errors, billing.Payout, address?.Country);
        return new BillingDetails(legalName, address, taxId, payout);
    }

    private static PostalAddress? Address(RegistrationErrors errors, PostalAddress? address)
    {
        if (address is null)
        {
            errors.Require("billing.address", "Required: line1, city, postal_code, country.");
            return null;
        }

        var line1 = Text(errors, "billing.address.line1", address.Line1, 2, 200);
        var line2 = string.IsNullOrWhiteSpace(address.Line2) ? null : Text(errors, "billing.address.line2", address.Line2, 1, 200);
        var city = Text(errors, "billing.address.city", address.City, 1, 100);
        var region = string.IsNullOrWhiteSpace(address.Region) ? null : Text(errors, "billing.address.region", address.Region, 1, 100);
        var postal = Text(errors, "billing.address.postal_code", address.PostalCode, 2, 12)?.ToUpperInvariant();
        if (postal is not null && !PostalPattern().IsMatch(postal))
        {
            errors.Reject("billing.address.postal_code", "Letters, digits, spaces and dashes.");
        }

        var country = address.Country?.Trim().ToUpperInvariant();
        if (string.IsNullOrEmpty(country))
        {
            errors.Require("billing.address.country", "Required (ISO 3166-1 alpha-2, e.g. DE).");
        }
        else if (!CountryCodes.IsAssigned(country))
        {
            errors.Reject("billing.address.country", "Not an ISO 3166-1 alpha-2 country code.");
        }

        return new PostalAddress(line1, line2, city, postal, region, country);
    }

    private static PayoutAccount? Payout(RegistrationErrors errors, PayoutAccount? payout, string? country)
    {
        if (payout is null)
        {
            errors.Require("billing.payout", "Required: account_holder and an iban (or a US routing_number and account_number).");
            return null;
        }

        var holder = Text(errors, "billing.payout.account_holder", payout.AccountHolder, 2, 200);
        if (!string.IsNullOrWhiteSpace(payout.Iban))
        {
            var iban = PayoutChecks.NormalizeIban(payout.Iban);
            if (iban.Length > 34)
            {
                errors.Require("billing.payout.iban", "At most 34 characters.");
            }
            else if (PayoutChecks.CheckIban(iban) is { } why)
            {
                errors.Reject("billing.payout.iban", why);
            }

            string? bic = null;
            if (!string.IsNullOrWhiteSpace(payout.Bic))
            {
                bic = payout.Bic.Trim().ToUpperInvariant();
                if (PayoutChecks.CheckBic(bic) is { } bicWhy)
                {
                    errors.Reject("billing.payout.bic", bicWhy);
                }
            }

            return new PayoutAccount(holder, iban, bic);
        }

        if (!string.IsNullOrWhiteSpace(payout.RoutingNumber) || !string.IsNullOrWhiteSpace(payout.AccountNumber))
        {
            var routing = payout.RoutingNumber?.Trim() ?? "";
            var account = payout.AccountNumber?.Trim() ?? "";
            if (country is not null and not "US")
            {
                errors.Reject("billing.payout.routing_number", "Routing and account numbers are for US accounts; give an IBAN.");
            }
            else if (PayoutChecks.CheckAbaRouting(routing) is { } why)
            {
                errors.Reject("billing.payout.routing_number", why);
            }

            if (account.Length is < 4 or > 17 || !account.All(char.IsAsciiDigit))
            {
                errors.Reject("billing.payout.account_number", "4 to 17 digits.");
            }

            return new PayoutAccount(holder, RoutingNumber: routing, AccountNumber: account);
        }

        errors.Require("billing.payout.iban", "Required (or, for a US account, routing_number and account_number).");
        return new PayoutAccount(holder);
    }

    private static string? Text(RegistrationErrors errors, string field, string? value, int min, int max)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            errors.Require(field, "Required.");
            return null;
        }

        if (text.Length < min || text.Length > max)
        {
            errors.Require(field, $"{min} to {max} characters.");
            return null;
        }

        if (text.Any(char.IsControl))
        {
            errors.Reject(field, "No control characters.");
        }

        return text;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*[a-z0-9]$")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$")]
    private static partial Regex HostPattern();

    [GeneratedRegex(@"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();

    [GeneratedRegex("^[A-Z0-9][A-Z0-9 -]*[A-Z0-9]$")]
    private static partial Regex PostalPattern();
}
