using TicketAspire.Tenancy.Provisioning;

namespace TicketAspire.Tenancy.Tests;

public sealed class RegistrationValidatorShould
{
    private static ResellerRegistration Valid(
        string id = "fabrikam", string country = "DE", string taxId = "DE 123.456.789", string? iban = "DE89 3704 0044 0532 0130 00",
        string? routing = null, string? account = null, IReadOnlyList<string>? hosts = null, string? email = "billing@fabrikam.example") => new(
        id, "Fabrikam Tickets", hosts ?? ["Fabrikam.EU.localhost"],
        new BillingDetails("Fabrikam Ticketing GmbH", new PostalAddress("Friedrichstraße 1", null, "Berlin", "10117", null, country), taxId,
            new PayoutAccount("Fabrikam Ticketing GmbH", iban, "cobadeffxxx", routing, account)),
        email);

    [Fact]
    public void AcceptAValidRegistrationAndNormalizeIt()
    {
        var (errors, normalized) = RegistrationValidator.Validate(Valid());

        Assert.True(errors.IsEmpty, string.Join("; ", errors.Missing.Concat(errors.Invalid).Select(e => $"{e.Key}: {e.Value[0]}")));
        Assert.Equal(["fabrikam.eu.localhost"], normalized.Hosts);
        Assert.Equal("DE123456789", normalized.Billing!.TaxId);
        Assert.Equal("DE89370400440532013000", normalized.Billing.Payout!.Iban);
        Assert.Equal("COBADEFFXXX", normalized.Billing.Payout.Bic);
    }

    [Fact]
    public void ReportMissingFieldsAsMissing()
    {
        var (errors, _) = RegistrationValidator.Validate(new ResellerRegistration("fabrikam", null, null, null));

        Assert.Equal(["billing", "hosts", "name"], errors.Missing.Keys.Order(StringComparer.Ordinal));
        Assert.Empty(errors.Invalid);
    }

    [Fact]
    public void RequireAContactEmailForSelfRegistrations()
    {
        var (errors, _) = RegistrationValidator.Validate(Valid(email: null), requireContactEmail: true);

        Assert.Contains("contact_email", errors.Missing.Keys);
    }

    [Theory]
    [InlineData("DE89 3704 0044 0532 0130 01")]   // check digits off by one
    [InlineData("DE89 3704 0044 0532 0130")]      // too short for DE
    [InlineData("XX89 3704 0044 0532 0130 00")]   // no such country
    [InlineData("not an iban")]
    public void RejectAnIbanThatFailsItsCheck(string iban)
    {
        var (errors, _) = RegistrationValidator.Validate(Valid(iban: iban));

        Assert.Contains("billing.payout.iban", errors.Invalid.Keys);
    }

    [Theory]
    [InlineData("DE12345678")]          // 8 digits
    [InlineData("FR123456789")]         // another country's prefix
    [InlineData("123456789")]           // no prefix
    public void RejectATaxIdNotOfTheAddresssCountry(string taxId)
    {
        var (errors, _) = RegistrationValidator.Validate(Valid(taxId: taxId));

        Assert.Contains("billing.tax_id", errors.Invalid.Keys);
    }

    [Theory]
    [InlineData("GR", "EL123456789", "GR16 0110 1250 0000 0001 2300 695")]
    [InlineData("GB", "GB123456789", "GB82 WEST 1234 5698 7654 32")]
    [InlineData("FR", "FRXX123456789", "FR14 2004 1010 0505 0001 3M02 606")]
    [InlineData("NL", "NL123456789B01", "NL91 ABNA 0417 1643 00")]
    public void AcceptEachCountrysOwnTaxIdAndIban(string country, string taxId, string iban)
    {
        var (errors, _) = RegistrationValidator.Validate(Valid(country: country, taxId: taxId, iban: iban));

        Assert.True(errors.IsEmpty, string.Join("; ", errors.Invalid.Select(e => $"{e.Key}: {e.Value[0]}")));
    }

    [Fact]
    public void AcceptAUsAccountWithAValidRoutingNumberAndAnEin()
    {
        var (errors, normalized) = RegistrationValidator.Validate(Valid(country: "US", taxId: "12-3456789", iban: null, routing: "021000021", account: "123456789"));

        Assert.True(errors.IsEmpty, string.Join("; ", errors.Missing.Concat(errors.Invalid).Select(e => $"{e.Key}: {e.Value[0]}")));
        Assert.Equal("123456789", normalized.Billing!.TaxId);
    }

    [Fact]
    public void RejectARoutingNumberWithABadChecksum()
    {
        var (errors, _) = RegistrationValidator.Validate(Valid(country: "US", taxId: "12-3456789", iban: null, routing: "021000022", account: "123456789"));

        Assert.Contains("billing.payout.routing_number", errors.Invalid.Keys);
    }

    [Theory]
    [InlineData("Fabrikam")]      // upper case
    [InlineData("-fabrikam")]     // leading dash
    [InlineData("fab_rikam")]     // underscore
    [InlineData("platform")]      // the staff issuer's path
    [InlineData("v1")]            // the API's path
    public void RejectIdsThatCannotNameADatabaseAndAnIssuer(string id)
    {
        var (errors, _) = RegistrationValidator.Validate(Valid(id: id));

        Assert.Contains("id", errors.Invalid.Keys);
    }

    [Theory]
    [InlineData("localhost")]                 // one label
    [InlineData("shop.example:8080")]         // a port
    [InlineData("-shop.example")]
    [InlineData("shop..example")]
    [InlineData("http://shop.example")]
    public void RejectWhatIsNoHostName(string host)
    {
        var (errors, _) = RegistrationValidator.Validate(Valid(hosts: [host]));

        Assert.Contains("hosts[0]", errors.Invalid.Keys);
    }

    [Fact]
    public void RejectAHostListedTwice()
    {
        var (errors, _) = RegistrationValidator.Validate(Valid(hosts: ["shop.example", "SHOP.example"]));

        Assert.Contains("hosts[1]", errors.Invalid.Keys);
    }

    [Fact]
    public void RejectAnUnassignedCountryCode()
    {
        var (errors, _) = RegistrationValidator.Validate(Valid(country: "ZZ"));

        Assert.Contains("billing.address.country", errors.Invalid.Keys);
    }
}
