namespace TicketAspire.Web.Infrastructure;

/// <summary>
/// A prospective reseller's application as the form posts it (every field text, as typed): the API validates it and
/// answers field by field, so the form keeps no rules of its own beyond the labels.
/// </summary>
public sealed class ApplicationForm
{
    public string? Id { get; set; }

    public string? Name { get; set; }

    /// <summary>One host name, or several separated by commas.</summary>
    public string? Hosts { get; set; }

    public string? ContactEmail { get; set; }

    public string? LegalName { get; set; }

    public string? Line1 { get; set; }

    public string? Line2 { get; set; }

    public string? City { get; set; }

    public string? PostalCode { get; set; }

    public string? Region { get; set; }

    public string? Country { get; set; }

    public string? TaxId { get; set; }

    public string? AccountHolder { get; set; }

    public string? Iban { get; set; }

    public string? Bic { get; set; }

    public string? RoutingNumber { get; set; }

    public string? AccountNumber { get; set; }

    /// <summary>The form field an API error key names (<c>billing.payout.iban</c> → <c>Iban</c>), or null for the page as a whole.</summary>
    public static string? FieldOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.StartsWith("hosts", StringComparison.Ordinal))
        {
            return nameof(Hosts);
        }

        return key switch
        {
            "id" => nameof(Id),
            "name" => nameof(Name),
            "contact_email" => nameof(ContactEmail),
            "billing.legal_name" => nameof(LegalName),
            "billing.address" or "billing.address.line1" => nameof(Line1),
            "billing.address.line2" => nameof(Line2),
            "billing.address.city" => nameof(City),
            "billing.address.postal_code" => nameof(PostalCode),
            "billing.address.region" => nameof(Region),
            "billing.address.country" => nameof(Country),
            "billing.tax_id" => nameof(TaxId),
            "billing.payout" or "billing.payout.iban" => nameof(Iban),
            "billing.payout.account_holder" => nameof(AccountHolder),
            "billing.payout.bic" => nameof(Bic),
            "billing.payout.routing_number" => nameof(RoutingNumber),
            "billing.payout.account_number" => nameof(AccountNumber),
            _ => null,
        };
    }

    /// <summary>The body of <c>POST /v1/reseller-applications</c> (empty fields left out: the API says what is missing).</summary>
    public object ToRegistration()
    {
        static string? T(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        return new
        {
            id = T(Id),
            name = T(Name),
            hosts = T(Hosts)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            contact_email = T(ContactEmail),
            billing = new
            {
                legal_name = T(LegalName),
                address = new { line1 = T(Line1), line2 = T(Line2), city = T(City), postal_code = T(PostalCode), region = T(Region), country = T(Country) },
                tax_id = T(TaxId),
                payout = new
                {
                    account_holder = T(AccountHolder), iban = T(Iban), bic = T(Bic), routing_number = T(RoutingNumber), account_number = T(AccountNumber),
                },
            },
        };
    }
}
