namespace TicketAspire.Tenancy.Provisioning;

/// <summary>
/// What an operator (or a prospective reseller's self-registration) submits to onboard a reseller in a cell: its id,
/// display name, hosts and billing information. Every member is nullable so that a missing field is reported as such
/// (<see cref="RegistrationValidator"/>) rather than failing deserialization.
/// </summary>
/// <param name="Id">Reseller id: lower-case letters, digits and dashes (<c>fabrikam</c>); names its database and issuer.</param>
/// <param name="Name">Display name.</param>
/// <param name="Hosts">Host names its storefront and public browsing answer on (<c>fabrikam.eu.localhost</c>).</param>
/// <param name="Billing">Legal and payout details.</param>
/// <param name="ContactEmail">Where the platform writes to the reseller (required for self-registrations).</param>
/// <param name="StorefrontRedirectUris">Where its storefront receives authorization codes (default <c>http://&lt;host&gt;/signin-oidc</c>).</param>
public sealed record ResellerRegistration(
    string? Id,
    string? Name,
    IReadOnlyList<string>? Hosts,
    BillingDetails? Billing,
    string? ContactEmail = null,
    IReadOnlyList<string>? StorefrontRedirectUris = null);

/// <summary>A reseller's billing information.</summary>
/// <param name="LegalName">Registered legal name of the company.</param>
/// <param name="Address">Registered address.</param>
/// <param name="TaxId">VAT id (EU member states, <c>DE123456789</c>), UK VAT number (<c>GB123456789</c>), US EIN (<c>12-3456789</c>) or another country's tax id.</param>
/// <param name="Payout">Where payouts go.</param>
public sealed record BillingDetails(string? LegalName, PostalAddress? Address, string? TaxId, PayoutAccount? Payout);

/// <summary>A postal address.</summary>
/// <param name="Line1">Street and number.</param>
/// <param name="Line2">Optional second line.</param>
/// <param name="City">City.</param>
/// <param name="PostalCode">Postal code.</param>
/// <param name="Region">Optional state, county or province.</param>
/// <param name="Country">ISO 3166-1 alpha-2 country code (<c>DE</c>).</param>
public sealed record PostalAddress(string? Line1, string? Line2, string? City, string? PostalCode, string? Region, string? Country);

/// <summary>
/// A payout bank account: an IBAN (checked with ISO 13616's mod-97 and the country's length), or a US account (ABA
/// routing number with its checksum, and an account number).
/// </summary>
/// <param name="AccountHolder">Name of the account holder.</param>
/// <param name="Iban">IBAN, spaces allowed.</param>
/// <param name="Bic">Optional BIC/SWIFT code.</param>
/// <param name="RoutingNumber">US ABA routing number (9 digits), with <paramref name="AccountNumber"/>, instead of an IBAN.</param>
/// <param name="AccountNumber">US account number (4–17 digits).</param>
public sealed record PayoutAccount(string? AccountHolder, string? Iban = null, string? Bic = null, string? RoutingNumber = null, string? AccountNumber = null);
