using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Npgsql;
using TicketAspire.Identity.Infrastructure;
using TicketAspire.Identity.Infrastructure.Users;
using TicketAspire.Inventory.Infrastructure;
using TicketAspire.Migrator;
using TicketAspire.Tenancy;
using TicketAspire.Tenancy.Data;
using TicketAspire.Tenancy.Provisioning;
using TicketAspire.Webhooks.Mail;

namespace TicketAspire.Provisioner;

/// <summary>
/// Onboards one reseller without restarting anything: its database (created, migrated, its own login role with the
/// password derived from the cell's onboarding key), its own Redis server, its identity clients (integrator and
/// storefront), its catalog entry (hosts, billing, Redis endpoint), then waits until the cell's API serves its host, and
/// invites the contact address of its application to administer its console.
/// The services learn about it from the catalog, which they re-read within 2 s of a change. Every step can be repeated.
/// </summary>
public sealed class Onboarding(
    CellDatabases cell,
    RedisServers redis,
    StepRunner steps,
    IOptions<CellOptions> cellOptions,
    IOptions<ResellerStorageOptions> storage,
    IOptions<ProvisionerOptions> options,
    IHttpClientFactory http,
    IConfiguration configuration,
    TimeProvider time,
    ILogger<Onboarding> logger)
{
    /// <summary>Runs the job's steps.</summary>
    /// <summary>How long the services take at most to see a catalog change (their catalog check is every 2 s), with a margin.</summary>
    private static readonly TimeSpan CatalogCheck = TimeSpan.FromSeconds(2.5);

    public async Task RunAsync(ProvisioningJob job, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(job);
        var registration = job.Request.Deserialize<ResellerRegistration>(ProvisioningJson.Options)
            ?? throw new InvalidOperationException("The job has no registration.");
        var id = registration.Id!;
        var hosts = registration.Hosts ?? [];
        var database = ResellerTenantInfo.DatabaseNameFor(id);
        var connection = ResellerDatabase.WithDatabase(cell.Server, database);
        var key = storage.Value.OnboardingKey;
        if (string.IsNullOrEmpty(key))
        {
            throw new InvalidOperationException("ResellerStorageOptions:OnboardingKey is not configured.");
        }

        await steps.RunAsync(job, "database", async t =>
            await SqlMigrator.EnsureDatabaseAsync(cell.ServerDb, database, t) ? $"{database} created" : $"{database} exists", ct);

        await steps.RunAsync(job, "migrations", async t =>
        {
            var (_, applied) = await ResellerDatabase.CreateAndMigrateAsync(cell.ServerDb, cell.Server, database, t);
            return applied.Count == 0 ? "up to date" : $"{applied.Count} scripts: {applied[0]} … {applied[^1]}";
        }, ct);

        await steps.RunAsync(job, "login_role", async t =>
        {
            await using var db = NpgsqlDataSource.Create(connection);
            await DatabaseRoles.EnsureAsync(cell.ServerDb, db, database, ResellerSecrets.DatabasePassword(key, database), t);
            return $"role {database} may open {database} only";
        }, ct);

        string endpoint = "";
        await steps.RunAsync(job, "redis", async t =>
        {
            endpoint = await redis.StartAsync(id, null, t);
            return $"{options.Value.RedisKind} on {endpoint}";
        }, ct);

        // the reseller console beside each storefront address the application registered (its sign-in callback's base)
        var origins = hosts.SelectMany(h => options.Value.StorefrontPort is > 0 and not 80 and var port ? new[] { $"http://{h}", $"http://{h}:{port}" } : [$"http://{h}"]).ToList();
        var redirects = registration.StorefrontRedirectUris is { Count: > 0 } uris ? uris : [.. origins.Select(o => $"{o}/signin-oidc")];
        var consoleUrls = redirects.Where(u => u.EndsWith("/signin-oidc", StringComparison.Ordinal))
            .Select(u => new Uri(u[..^"/signin-oidc".Length] + "/console")).ToList();

        await steps.RunAsync(job, "identity_clients", async t =>
        {
            await using var clients = new ClientProvisioner();
            var detail = new List<string>();
            if (job.SealedSecret is { } sealedSecret)
            {
                var secret = ResellerSecrets.Open(key, sealedSecret, ResellerSecrets.IntegratorSecretContext(id));
                var outcome = await clients.EnsureIntegratorAsync(connection, $"{id}-backend", $"{registration.Name} back end", secret, null, t);
                detail.Add($"{id}-backend {outcome.ToString().ToLowerInvariant()}");
            }
            else
            {
                detail.Add($"{id}-backend registered before");
            }

            var storefront = await clients.EnsureStorefrontAsync(connection, $"{id}-storefront", $"{registration.Name} storefront",
                redirects.Select(u => new Uri(u)), origins.Select(o => new Uri($"{o}/")).Concat(origins.Select(o => new Uri($"{o}/signout-callback-oidc"))), t);
            detail.Add($"{id}-storefront {storefront.ToString().ToLowerInvariant()}");
            var console = await clients.EnsureConsoleAsync(connection, ConsoleClaims.ConsoleClientOf(id), $"{registration.Name} console", IdentityScopes.Integrator,
                consoleUrls.Select(u => new Uri(u + "/signin-oidc")), consoleUrls.Concat(consoleUrls.Select(u => new Uri(u + "/signout-callback-oidc"))), t);
            detail.Add($"{ConsoleClaims.ConsoleClientOf(id)} {console.ToString().ToLowerInvariant()}");
            return string.Join(", ", detail);
        }, ct);

        await steps.RunAsync(job, "catalog", async t =>
        {
            await RegisterAsync(job, registration, database, endpoint, t);
            job.SealedSecret = null;
            return $"{hosts.Count} host(s), redis {endpoint}";
        }, ct);

        if (!string.IsNullOrWhiteSpace(options.Value.ApiUrl) && hosts.Count > 0)
        {
            await steps.RunAsync(job, "serving", t => WaitUntilServedAsync(hosts[0], id, t), ct);
        }

        // the reseller's first administrator: an invitation to the contact address of its application
        if (registration.ContactEmail is { Length: > 0 } contact && consoleUrls.LastOrDefault() is { } consoleUrl)
        {
            await steps.RunAsync(job, "console_invitation", t => InviteAdministratorAsync(connection, registration, contact, consoleUrl, t), ct);
        }
    }

    /// <summary>
    /// Invites <paramref name="contact"/> to administer the new reseller's console (its e-mail, in the reseller's mailbox),
    /// unless the reseller has an administrator already or the address has an open invitation (a repeated step sends none).
    /// </summary>
    private async Task<string?> InviteAdministratorAsync(string connection, ResellerRegistration registration, string contact, Uri consoleUrl, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(options.Value.IdentityPublicOrigin))
        {
            return "no identity origin configured (Provisioner:IdentityPublicOrigin): no invitation sent";
        }

        await using var db = NpgsqlDataSource.Create(connection);
        var invitations = new ConsoleInvitations(db, time);
        if (await invitations.HasAdministratorAsync(ct))
        {
            return "the reseller has an administrator";
        }

        if (await invitations.IsPendingAsync(contact, ct))
        {
            return $"{contact} is invited already";
        }

        var id = registration.Id!;
        var token = await invitations.CreateAsync(contact, "platform:onboarding", consoleUrl, ct);
        var link = new Uri($"{options.Value.IdentityPublicOrigin.TrimEnd('/')}/{id}/account/invitation?token={Uri.EscapeDataString(token)}");
        var mail = new AccountMail(new MailboxEmailSender((_, _) => ValueTask.FromResult(db), time), configuration);
        await mail.SendInvitationAsync(id, registration.Name ?? id, contact, link, consoleUrl, ct);
        return $"{contact} invited (link valid {ConsoleInvitations.LinkLifetime.TotalDays:0} days)";
    }

    /// <summary>The catalog entry: reseller, hosts, billing; the job's reserved hosts freed and its sealed secret erased.</summary>
    private async Task RegisterAsync(ProvisioningJob job, ResellerRegistration registration, string database, string endpoint, CancellationToken ct)
    {
        var id = registration.Id!;
        var billing = registration.Billing!;
        await using var conn = await cell.Catalog.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using var batch = new NpgsqlBatch(conn, tx)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("""
                    INSERT INTO resellers (id, name, cell, database_name, redis_name, origin, redis_endpoint) VALUES ($1, $2, $3, $4, $5, 'onboarded', $6)
                    ON CONFLICT (id) DO UPDATE SET name = excluded.name, redis_endpoint = excluded.redis_endpoint, updated_at = now()
                    """)
                {
                    Parameters =
                    {
                        new() { Value = id }, new() { Value = registration.Name! }, new() { Value = cellOptions.Value.Id }, new() { Value = database },
                        new() { Value = ResellerTenantInfo.RedisConnectionNameFor(id) }, new() { Value = endpoint },
                    },
                },
                new NpgsqlBatchCommand("DELETE FROM reserved_hosts WHERE job_id = $1") { Parameters = { new() { Value = job.Id } } },
                new NpgsqlBatchCommand("DELETE FROM reseller_hosts WHERE reseller_id = $1") { Parameters = { new() { Value = id } } },
                new NpgsqlBatchCommand("INSERT INTO reseller_hosts (host, reseller_id) SELECT h, $1 FROM unnest($2::text[]) AS h")
                {
                    Parameters = { new() { Value = id }, new() { Value = (registration.Hosts ?? []).ToArray() } },
                },
                new NpgsqlBatchCommand("""
                    INSERT INTO reseller_billing (reseller_id, legal_name, address, tax_id, payout_iban, payout_bic, account_holder, contact_email)
                    VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7, $8)
                    ON CONFLICT (reseller_id) DO UPDATE SET legal_name = excluded.legal_name, address = excluded.address, tax_id = excluded.tax_id,
                        payout_iban = excluded.payout_iban, payout_bic = excluded.payout_bic, account_holder = excluded.account_holder,
                        contact_email = excluded.contact_email, updated_at = now()
                    """)
                {
                    Parameters =
                    {
                        new() { Value = id }, new() { Value = billing.LegalName! },
                        new() { Value = JsonSerializer.Serialize(billing.Address, ProvisioningJson.Options) }, new() { Value = billing.TaxId! },
                        // an IBAN, or a US account as routing/account
                        new() { Value = billing.Payout!.Iban ?? $"US-ABA:{billing.Payout.RoutingNumber}/{billing.Payout.AccountNumber}" },
                        new() { Value = (object?)billing.Payout.Bic ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
                        new() { Value = billing.Payout.AccountHolder! },
                        new() { Value = (object?)registration.ContactEmail ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
                    },
                },
                new NpgsqlBatchCommand("UPDATE provisioning_jobs SET secret_ciphertext = NULL WHERE id = $1") { Parameters = { new() { Value = job.Id } } },
            },
        };
        await batch.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>
    /// Waits until the cell's API answers the reseller's host and the identity service serves its issuer (three answers
    /// in a row each: every replica re-read the catalog), so the integrator's first token and first call both work.
    /// </summary>
    private async Task<string?> WaitUntilServedAsync(string host, string id, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        await ProbeAsync("API", options.Value.ApiUrl, "/v1/event-types", host, sw, ct);
        var detail = $"the API serves {host} after {sw.ElapsedMilliseconds} ms";
        if (!string.IsNullOrWhiteSpace(options.Value.IdentityUrl))
        {
            await ProbeAsync("identity service", options.Value.IdentityUrl, $"/{Uri.EscapeDataString(id)}/.well-known/openid-configuration", null, sw, ct);
            detail += $", the identity service its issuer after {sw.ElapsedMilliseconds} ms";
        }

        return detail;
    }

    private async Task ProbeAsync(string service, string baseUrl, string path, string? host, Stopwatch sw, CancellationToken ct)
    {
        using var client = http.CreateClient("api");
        client.BaseAddress = new Uri(baseUrl);
        // served once every replica answers: each re-reads the catalog within CatalogCheck, so the probe (a new connection
        // each time, spread over the replicas) must succeed without a miss for longer than that, not only three times
        var inARow = 0;
        var since = TimeSpan.Zero;
        while (inARow < 3 || sw.Elapsed - since < CatalogCheck)
        {
            if (sw.Elapsed > options.Value.ServingTimeout)
            {
                throw new TimeoutException($"The {service} did not serve {path} (host {host ?? "any"}) within {options.Value.ServingTimeout.TotalSeconds:F0} s.");
            }

            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.ConnectionClose = true;
            if (host is not null)
            {
                request.Headers.Host = host;
            }

            try
            {
                using var response = await client.SendAsync(request, ct);
                if (!response.IsSuccessStatusCode)
                {
                    inARow = 0;
                }
                else if (inARow++ == 0)
                {
                    since = sw.Elapsed;
                }
            }
            catch (HttpRequestException ex)
            {
                logger.LogDebug("serving probe of {Service} {Path}: {Error}", service, path, ex.Message);
                inARow = 0;
            }

            await Task.Delay(200, ct);
        }
    }
}
