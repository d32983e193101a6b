using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TicketAspire.Payments.Simulator.Infrastructure;

/// <summary>Healthy when the SQLite file answers a query.</summary>
public sealed class DatabaseHealthCheck(PspDatabase db) : IHealthCheck
{
    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await db.ReadAsync(c => Sql.QueryAsync(c, null, "SELECT count(*) FROM payment_intents WHERE 0", r => r.GetInt64(0)));
            return HealthCheckResult.Healthy();
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex)
        {
            return HealthCheckResult.Unhealthy("The SQLite database does not answer.", ex);
        }
    }
}
