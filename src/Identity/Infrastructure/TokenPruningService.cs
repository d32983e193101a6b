using OpenIddict.Abstractions;
using TicketAspire.Tenancy.Catalog;

namespace TicketAspire.Identity.Infrastructure;

/// <summary>
/// Removes expired and revoked tokens and authorizations from every issuer's database, hourly: each reseller's in its
/// own scope (its own database, with its stale sign-in counts and expired registration links), then the platform issuer's.
/// </summary>
public sealed class TokenPruningService(IServiceProvider services, CatalogStore catalog, TimeProvider time, ILogger<TokenPruningService> logger)
    : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var threshold = time.GetUtcNow().AddDays(-1);
            foreach (var reseller in await catalog.GetAllAsync())
            {
                await PruneAsync(issuer => issuer.SetReseller(reseller), reseller.Id, threshold, stoppingToken);
            }

            await PruneAsync(issuer => issuer.SetPlatform(), Issuer.PlatformId, threshold, stoppingToken);
        }
    }

    private async Task PruneAsync(Action<Issuer> select, string name, DateTimeOffset threshold, CancellationToken ct)
    {
        try
        {
            await using var scope = services.CreateAsyncScope();
            select(scope.ServiceProvider.GetRequiredService<Issuer>());
            var tokens = await scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>().PruneAsync(threshold, ct);
            var authorizations = await scope.ServiceProvider.GetRequiredService<IOpenIddictAuthorizationManager>().PruneAsync(threshold, ct);
            var (counts, registrations) = (0, 0);
            if (name != Issuer.PlatformId)
            {
                // stale sign-in counts and expired registration links of the reseller's end users
                counts = await scope.ServiceProvider.GetRequiredService<Users.UserStore>().PruneAsync(ct);
                registrations = await scope.ServiceProvider.GetRequiredService<Users.AccountRegistrations>().PruneAsync(ct);
            }

            logger.LogInformation("{Issuer}: pruned {Tokens} tokens, {Authorizations} authorizations, {Counts} sign-in counts, {Registrations} registrations",
                name, tokens, authorizations, counts, registrations);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "{Issuer}: token pruning failed; next try in an hour", name);
        }
    }
}
