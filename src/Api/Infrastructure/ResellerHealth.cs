using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using TicketAspire.Api.Infrastructure.Security;
using TicketAspire.Tenancy;
using TicketAspire.Tenancy.Data;

namespace TicketAspire.Api.Infrastructure;

/// <summary>
/// Checks each reseller's own storage and issuer for the operators, for real and briefly: its Postgres database
/// (<c>SELECT 1</c> as the reseller's role), its Redis-protocol server (<c>PING</c>) and its issuer at the identity
/// service (the discovery document). Each check has <see cref="Timeout"/>; the checks of all resellers run at once, so
/// one reseller whose server hangs costs the answer at most that long.
/// </summary>
public sealed class ResellerHealth(
    ResellerDataSources databases, ResellerRedisConnections redis, IHttpClientFactory http, IOptions<IdentityServiceOptions> identity,
    TimeProvider time)
{
    /// <summary>How long one check may take before its component counts as down.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    /// <summary>The health of <paramref name="resellers"/>, in their order.</summary>
    public async Task<ResellerHealthReport> CheckAsync(IReadOnlyList<ResellerTenantInfo> resellers, CancellationToken ct)
    {
        var checkedAt = time.GetUtcNow();
        var results = await Task.WhenAll(resellers.Select(r => CheckAsync(r, ct)));
        return new ResellerHealthReport(checkedAt, results);
    }

    private async Task<ResellerHealthLine> CheckAsync(ResellerTenantInfo tenant, CancellationToken ct)
    {
        var components = await Task.WhenAll(
            ProbeAsync("database", async token =>
            {
                var db = await databases.GetAsync(tenant);
                await using var conn = await db.OpenConnectionAsync(token);
                await using var cmd = conn.CreateCommand();
                cmd.CommandText = "SELECT 1";
                _ = await cmd.ExecuteScalarAsync(token);
            }, ct),
            ProbeAsync("redis", async token =>
            {
                var multiplexer = await redis.GetAsync(tenant).AsTask().WaitAsync(token);
                _ = await multiplexer.GetDatabase().PingAsync().WaitAsync(token);
            }, ct),
            ProbeAsync("identity", async token =>
            {
                using var client = http.CreateClient("identity-metadata");
                var url = $"{identity.Value.MetadataService.TrimEnd('/')}/{Uri.EscapeDataString(tenant.Id)}/.well-known/openid-configuration";
                using var response = await client.GetAsync(url, token);
                if (!response.IsSuccessStatusCode)
                {
                    throw new HealthProbeException($"the discovery document answered {(int)response.StatusCode}");
                }

                using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(token), cancellationToken: token);
                if (!document.RootElement.TryGetProperty("issuer", out var issuer) || issuer.ValueKind != JsonValueKind.String)
                {
                    throw new HealthProbeException("the discovery document names no issuer");
                }
            }, ct));
        var status = components.All(c => c.Status == HealthStates.Ok) ? HealthStates.Ok
            : components.All(c => c.Status == HealthStates.Down) ? HealthStates.Down : HealthStates.Degraded;
        return new ResellerHealthLine(tenant.Id, tenant.Name, tenant.Hosts, status, components);
    }

    private static async Task<ComponentHealth> ProbeAsync(string name, Func<CancellationToken, Task> probe, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Timeout);
        var started = Stopwatch.GetTimestamp();
        try
        {
            // a driver may hold on past the token (Npgsql's connect to a server that accepts and never answers waits its
            // own connect timeout): the check ends at the timeout regardless, and the abandoned attempt's fault is observed
            var attempt = probe(timeout.Token);
            _ = attempt.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            await attempt.WaitAsync(timeout.Token);
            return new ComponentHealth(name, HealthStates.Ok, Elapsed(started), null);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && ex is not OutOfMemoryException)
        {
            // the reason in a few words for the operator; never the connection string or the server's full message
            var error = ex switch
            {
                OperationCanceledException or TimeoutException or RedisTimeoutException => $"no answer within {Timeout.TotalSeconds:0} s",
                HealthProbeException probeFailure => probeFailure.Message,
                RedisConnectionException => "the server cannot be reached",
                HttpRequestException => "the identity service cannot be reached",
                Npgsql.PostgresException pg => $"the database refused: {pg.SqlState}",
                Npgsql.NpgsqlException => "the database cannot be reached",
                JsonException => "the discovery document is not JSON",
                _ => ex.GetType().Name,
            };
            return new ComponentHealth(name, HealthStates.Down, Elapsed(started), error);
        }
    }

    private static double Elapsed(long started) => Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 1);

    private sealed class HealthProbeException(string message) : Exception(message);
}

/// <summary>The states of a component and of a reseller.</summary>
public static class HealthStates
{
    public const string Ok = "ok";
    public const string Degraded = "degraded";
    public const string Down = "down";
}

/// <summary>The health of the cell's resellers when checked.</summary>
public sealed record ResellerHealthReport(DateTimeOffset CheckedAt, IReadOnlyList<ResellerHealthLine> Resellers);

/// <summary>A reseller: <c>ok</c> (every component), <c>down</c> (none) or <c>degraded</c>, and its components.</summary>
public sealed record ResellerHealthLine(string Id, string Name, IReadOnlyList<string> Hosts, string Status, IReadOnlyList<ComponentHealth> Components);

/// <summary>One check: <c>database</c>, <c>redis</c> or <c>identity</c>; <c>ok</c> or <c>down</c>, how long it took, why down.</summary>
public sealed record ComponentHealth(string Name, string Status, double LatencyMs, string? Error);
