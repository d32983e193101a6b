using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace TicketAspire.AppHost.Extensions;

/// <summary>One <c>regions/&lt;cell&gt;.json</c> file: a jurisdiction cell, its rules and its resellers.</summary>
/// <param name="Development">A local development cell: webhook endpoints may be http and on loopback or private addresses.</param>
/// <param name="ForwardedHeaders">The proxies in front of the cell's API and identity service whose X-Forwarded-For is believed.</param>
/// <param name="Kubernetes">How the AppHost's publish mode renders the cell's Kubernetes overlay (optional).</param>
/// <param name="RateLimits">The cell's request budgets (each optional: the API's defaults apply otherwise).</param>
public sealed record CellFile(
    string Id,
    string Jurisdiction,
    string Currency,
    int ApiPort,
    int? IdentityPort,
    int? PaymentsPort,
    string? RedisServer,
    CellRules? Rules,
    IReadOnlyList<ResellerEntry> Resellers,
    FeeSchedule? Fees = null,
    bool Development = false,
    ForwardedHeadersEntry? ForwardedHeaders = null,
    KubernetesSettings? Kubernetes = null,
    RateLimitBudgets? RateLimits = null)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Fixed port of the cell's identity service (default: the API's port + 1).</summary>
    public int IdentityPortOrDefault => IdentityPort ?? ApiPort + 1;

    /// <summary>Fixed port of the cell's payment service (default: the API's port + 2).</summary>
    public int PaymentsPortOrDefault => PaymentsPort ?? ApiPort + 2;

    /// <summary>Redis-protocol server of the cell's resellers: <c>garnet</c> (default) or <c>redis-server</c>.</summary>
    public string RedisKind => RedisServer ?? "garnet";

    /// <summary>Reads and validates every <c>*.json</c> of <paramref name="directory"/>; a bad file stops start-up.</summary>
    public static IReadOnlyList<CellFile> LoadAll(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new CellFileException(directory, "(directory)", "the regions directory does not exist");
        }

        var cells = Directory.GetFiles(directory, "*.json").Order(StringComparer.Ordinal).Select(Load).ToList();
        if (cells.Count == 0)
        {
            throw new CellFileException(directory, "(directory)", "no cell files (*.json) found");
        }

        foreach (var dup in cells.GroupBy(c => c.Id).Where(g => g.Count() > 1))
        {
            throw new CellFileException(directory, "id", $"cell id '{dup.Key}' is used by more than one file");
        }

        foreach (var dup in cells.SelectMany(c => new[] { c.ApiPort, c.IdentityPortOrDefault, c.PaymentsPortOrDefault }).GroupBy(p => p).Where(g => g.Count() > 1))
        {
            throw new CellFileException(directory, "api_port", $"port {dup.Key} is used more than once (api_port, identity_port and payments_port of every cell must differ)");
        }

        // the router maps every reseller host to one cell: a host may belong to one cell only
        var hostCells = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var cell in cells)
        {
            foreach (var host in cell.Resellers.SelectMany(r => r.Hosts))
            {
                if (!hostCells.TryAdd(host, cell.Id))
                {
                    throw new CellFileException(Path.Combine(directory, cell.Id + ".json"), "resellers", $"'{host}' is a host of cell '{hostCells[host]}' too");
                }
            }
        }

        return cells;
    }

    /// <summary>Reads and validates one cell file.</summary>
    public static CellFile Load(string path)
    {
        CellFile? cell;
        try
        {
            cell = JsonSerializer.Deserialize<CellFile>(File.ReadAllText(path), Json);
        }
        catch (JsonException ex)
        {
            throw new CellFileException(path, ex.Path ?? "(json)", ex.Message);
        }

        if (cell is null)
        {
            throw new CellFileException(path, "(root)", "the file is empty");
        }

        cell.Validate(path);
        return cell;
    }

    private void Validate(string path)
    {
        void Fail(string field, string message) => throw new CellFileException(path, field, message);
        var idPattern = new Regex("^[a-z][a-z0-9-]{1,30}$");

        if (Id is null || !idPattern.IsMatch(Id)) { Fail("id", "required: lower-case letters, digits and dashes, 2..31 characters"); }
        if (!string.Equals(Path.GetFileNameWithoutExtension(path), Id, StringComparison.Ordinal)) { Fail("id", $"must equal the file name ('{Path.GetFileNameWithoutExtension(path)}')"); }
        if (string.IsNullOrWhiteSpace(Jurisdiction)) { Fail("jurisdiction", "required"); }
        if (Currency is not { Length: 3 } || !Currency.All(char.IsAsciiLetterUpper)) { Fail("currency", "required: an ISO 4217 code such as EUR"); }
        if (ApiPort is < 1024 or > 65535) { Fail("api_port", "required: a port from 1024 to 65535"); }
        if (IdentityPortOrDefault is < 1024 or > 65535 || IdentityPortOrDefault == ApiPort) { Fail("identity_port", "a port from 1024 to 65535, not the api_port"); }
        if (PaymentsPortOrDefault is < 1024 or > 65535 || PaymentsPortOrDefault == ApiPort || PaymentsPortOrDefault == IdentityPortOrDefault)
        {
            Fail("payments_port", "a port from 1024 to 65535, not the api_port or identity_port");
        }

        if (RedisKind is not ("garnet" or "redis-server")) { Fail("redis_server", "'garnet' or 'redis-server'"); }
        if (Rules is { } rules)
        {
            if (rules.ResalePriceCapPercent is < 0 or > 1000) { Fail("rules.resale_price_cap_percent", "0..1000"); }
            if (rules.DataRetentionDays is < 1 or > 36500) { Fail("rules.data_retention_days", "1..36500"); }
            if (rules.TaxRatePercent is < 0 or > 100) { Fail("rules.tax_rate_percent", "0..100"); }
            if (rules.DynamicPriceMinPercent is < 1 or > 100) { Fail("rules.dynamic_price_min_percent", "1..100"); }
            if (rules.DynamicPriceMaxPercent is < 100 or > 1000) { Fail("rules.dynamic_price_max_percent", "100..1000"); }
        }

        Fees?.Validate("fees", Fail);
        RateLimits?.Validate("rate_limits", Fail);
        ForwardedHeaders?.Validate("forwarded_headers", Fail);
        if (Resellers is null || Resellers.Count == 0) { Fail("resellers", "at least one reseller"); }
        var hosts = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Resellers!.Count; i++)
        {
            var r = Resellers[i];
            if (r.Id is null || !idPattern.IsMatch(r.Id)) { Fail($"resellers[{i}].id", "required: lower-case letters, digits and dashes, 2..31 characters"); }
            if (!ids.Add(r.Id!)) { Fail($"resellers[{i}].id", $"'{r.Id}' is listed twice"); }
            if (r.Id == "platform") { Fail($"resellers[{i}].id", "'platform' is the path of the cell's staff issuer"); }
            if (string.IsNullOrWhiteSpace(r.Name)) { Fail($"resellers[{i}].name", "required"); }
            if (r.Hosts is null || r.Hosts.Count == 0) { Fail($"resellers[{i}].hosts", "at least one host"); }
            if (r.IntegratorClientId is { } clientId && !Regex.IsMatch(clientId, "^[a-z0-9][a-z0-9._-]{1,99}$"))
            {
                Fail($"resellers[{i}].integrator_client_id", "lower-case letters, digits, '.', '_' and '-', 2..100 characters");
            }

            foreach (var (field, uris) in new[] { ("redirect_uris", r.Storefront?.RedirectUris), ("post_logout_redirect_uris", r.Storefront?.PostLogoutRedirectUris) })
            {
                for (var u = 0; u < (uris?.Count ?? 0); u++)
                {
                    if (!Uri.TryCreate(uris![u], UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Fragment.Length > 0)
                    {
                        Fail($"resellers[{i}].storefront.{field}[{u}]", "an absolute http(s) URI without fragment");
                    }
                }
            }

            foreach (var (field, colour) in new[] { ("primary", r.Storefront?.Theme?.Primary), ("secondary", r.Storefront?.Theme?.Secondary) })
            {
                if (colour is not null && !Regex.IsMatch(colour, "^#[0-9a-fA-F]{6}$"))
                {
                    Fail($"resellers[{i}].storefront.theme.{field}", "a CSS hex colour such as #1d4ed8");
                }
            }

            r.Fees?.Validate($"resellers[{i}].fees", Fail);
            r.RateLimits?.Validate($"resellers[{i}].rate_limits", Fail);
            if (r.Holds is { } holds)
            {
                if (holds.MaxSeatsPerHold is < 1 or > 50) { Fail($"resellers[{i}].holds.max_seats_per_hold", "1..50"); }
                if (holds.MaxExpireSeconds is < 1 or > 3600) { Fail($"resellers[{i}].holds.max_expire_seconds", "1..3600"); }
                if (holds.MaxTicketsPerCustomerPerEvent is < 1 or > 1000) { Fail($"resellers[{i}].holds.max_tickets_per_customer_per_event", "1..1000"); }
                if (holds.DefaultExpireSeconds is < 1 || holds.DefaultExpireSeconds > (holds.MaxExpireSeconds ?? 3600))
                {
                    Fail($"resellers[{i}].holds.default_expire_seconds", "1..max_expire_seconds");
                }
            }

            for (var h = 0; h < r.Hosts!.Count; h++)
            {
                if (Uri.CheckHostName(r.Hosts[h]) != UriHostNameType.Dns) { Fail($"resellers[{i}].hosts[{h}]", $"'{r.Hosts[h]}' is not a host name"); }
                if (!hosts.Add(r.Hosts[h])) { Fail($"resellers[{i}].hosts[{h}]", $"'{r.Hosts[h]}' is listed twice"); }
            }
        }
    }
}

/// <summary>The rules of a jurisdiction (feature flags and limits).</summary>
/// <param name="DynamicPriceMinPercent">Lowest dynamic price, percent of face value (1..100; default 100).</param>
/// <param name="DynamicPriceMaxPercent">Highest dynamic price, percent of face value (100..1000; default 100).</param>
/// <param name="TransfersAllowed">Tickets may be transferred to another person by e-mail (default true).</param>
public sealed record CellRules(
    bool ResaleAllowed,
    int ResalePriceCapPercent,
    bool DynamicPricingAllowed,
    bool GuestCheckout,
    int DataRetentionDays,
    decimal TaxRatePercent,
    int DynamicPriceMinPercent = 100,
    int DynamicPriceMaxPercent = 100,
    bool TransfersAllowed = true);

/// <summary>A reseller of the cell.</summary>
/// <param name="IntegratorClientId">Client id of the reseller's first integrator client (default <c>&lt;id&gt;-backend</c>).</param>
/// <param name="Storefront">The storefront's OAuth redirect URIs (default <c>http://&lt;host&gt;/signin-oidc</c> per host).</param>
/// <param name="RateLimits">The reseller's own request budgets (each optional: the cell's, then the API's defaults apply).</param>
public sealed record ResellerEntry(
    string Id, string Name, IReadOnlyList<string> Hosts, HoldLimits? Holds = null, string? IntegratorClientId = null, StorefrontEntry? Storefront = null,
    FeeSchedule? Fees = null, RateLimitBudgets? RateLimits = null)
{
    /// <summary>The integrator client id the migrator provisions.</summary>
    public string ClientId => IntegratorClientId ?? $"{Id}-backend";
}

/// <summary>
/// A reseller's hosted storefront: where it (public client, authorization code + PKCE) may receive codes and send users
/// after logout, and its theme.
/// </summary>
public sealed record StorefrontEntry(IReadOnlyList<string>? RedirectUris = null, IReadOnlyList<string>? PostLogoutRedirectUris = null, StorefrontTheme? Theme = null);

/// <summary>
/// The look of a reseller's storefront: <paramref name="Primary"/> (header and buttons, white text on it) and
/// <paramref name="Secondary"/> as CSS hex colours (<c>#1d4ed8</c>), and a line under its name on the home page.
/// </summary>
public sealed record StorefrontTheme(string? Primary = null, string? Secondary = null, string? Tagline = null);

/// <summary>A reseller's own hold limits (each optional; the platform defaults apply otherwise).</summary>
public sealed record HoldLimits(int? DefaultExpireSeconds, int? MaxExpireSeconds, int? MaxSeatsPerHold, int? MaxTicketsPerCustomerPerEvent = null);

/// <summary>
/// A fee plan (docs/payments.md §3), at cell level or a reseller's own; each field optional (the level above, then the
/// platform defaults apply). Basis points are hundredths of a percent; amounts are minor units of the cell's currency.
/// </summary>
public sealed record FeeSchedule(
    int? PlatformFeeBps, long? PlatformFeeFixedMinor, int? ProcessingFeeBps, long? ProcessingFeeFixedMinor, long? ChargebackFeeMinor, int? PayoutDelayDays)
{
    /// <summary>The fields as configuration keys of the services' fee plan (<c>PlatformFeeBps</c>, …), for those set.</summary>
    public IEnumerable<(string Key, string Value)> Settings()
    {
        foreach (var (key, value) in new (string, long?)[]
                 {
                     ("PlatformFeeBps", PlatformFeeBps), ("PlatformFeeFixedMinor", PlatformFeeFixedMinor), ("ProcessingFeeBps", ProcessingFeeBps),
                     ("ProcessingFeeFixedMinor", ProcessingFeeFixedMinor), ("ChargebackFeeMinor", ChargebackFeeMinor), ("PayoutDelayDays", PayoutDelayDays),
                 })
        {
            if (value is { } v)
            {
                yield return (key, v.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }
    }

    internal void Validate(string at, Action<string, string> fail)
    {
        if (PlatformFeeBps is < 0 or > 10_000) { fail($"{at}.platform_fee_bps", "0..10000"); }
        if (ProcessingFeeBps is < 0 or > 10_000) { fail($"{at}.processing_fee_bps", "0..10000"); }
        if (PlatformFeeFixedMinor is < 0) { fail($"{at}.platform_fee_fixed_minor", "not negative"); }
        if (ProcessingFeeFixedMinor is < 0) { fail($"{at}.processing_fee_fixed_minor", "not negative"); }
        if (ChargebackFeeMinor is < 0) { fail($"{at}.chargeback_fee_minor", "not negative"); }
        if (PayoutDelayDays is < 0 or > 3650) { fail($"{at}.payout_delay_days", "0..3650"); }
    }
}

/// <summary>
/// Request budgets per minute (<c>rate_limits</c>), at cell level or a reseller's own; each field optional (the level
/// above, then the API's defaults apply: integrator 120,000, customer 120, customer writes 30, staff 1,200, anonymous
/// 600, anonymous writes 60, see <c>RateLimitOptions</c>). Each budget is per caller: per integrator client, per end
/// user, per staff member, per client address; 1 to 1,000,000 requests a minute.
/// </summary>
/// <param name="IntegratorPerMinute">Per integrator client (a reseller's back end).</param>
/// <param name="CustomerPerMinute">Per end user, reads.</param>
/// <param name="CustomerWritesPerMinute">Per end user, writes (POST, PUT, PATCH, DELETE).</param>
/// <param name="StaffPerMinute">Per staff member.</param>
/// <param name="AnonymousPerMinute">Per client address without a token, reads.</param>
/// <param name="AnonymousWritesPerMinute">Per client address without a token, writes.</param>
public sealed record RateLimitBudgets(
    int? IntegratorPerMinute = null, int? CustomerPerMinute = null, int? CustomerWritesPerMinute = null, int? StaffPerMinute = null,
    int? AnonymousPerMinute = null, int? AnonymousWritesPerMinute = null)
{
    /// <summary>The largest budget a cell file may give (the API's own bound of a rule).</summary>
    public const int MaxPerMinute = 1_000_000;

    /// <summary>
    /// The budgets that are set as the API's configuration keys under <paramref name="prefix"/> (<c>RateLimiting__</c> or
    /// <c>Resellers__&lt;id&gt;__RateLimiting__</c>): <c>&lt;Kind&gt;__PermitLimit</c> and <c>&lt;Kind&gt;__Window</c> (one minute).
    /// </summary>
    public IEnumerable<(string Key, string Value)> Settings(string prefix)
    {
        foreach (var (kind, _, value) in Fields())
        {
            if (value is { } v)
            {
                yield return ($"{prefix}{kind}__PermitLimit", v.ToString(System.Globalization.CultureInfo.InvariantCulture));
                yield return ($"{prefix}{kind}__Window", "00:01:00");
            }
        }
    }

    internal void Validate(string at, Action<string, string> fail)
    {
        foreach (var (_, field, value) in Fields())
        {
            if (value is < 1 or > MaxPerMinute) { fail($"{at}.{field}", "1..1000000 requests a minute"); }
        }
    }

    private (string Kind, string Field, int? Value)[] Fields() =>
    [
        ("Integrator", "integrator_per_minute", IntegratorPerMinute), ("Customer", "customer_per_minute", CustomerPerMinute),
        ("CustomerWrite", "customer_writes_per_minute", CustomerWritesPerMinute), ("Staff", "staff_per_minute", StaffPerMinute),
        ("Anonymous", "anonymous_per_minute", AnonymousPerMinute), ("AnonymousWrite", "anonymous_writes_per_minute", AnonymousWritesPerMinute),
    ];
}

/// <summary>A cell file is invalid; the message names the file and the field.</summary>
public sealed class CellFileException(string file, string field, string message)
    : Exception($"{file}: field '{field}': {message}")
{
    public string File { get; } = file;

    public string Field { get; } = field;
}
