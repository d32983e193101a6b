using System.Net.Sockets;
using System.Text;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace TicketAspire.AppHost.Extensions;

/// <summary>
/// Protocol-level readiness checks: DCP's proxy accepts TCP before the server behind it is up, so a port check would
/// lie.
/// </summary>
internal static class HealthChecks
{
    public static string AddPostgresCheck(IDistributedApplicationBuilder builder, PostgresExeResource pg)
    {
        var key = $"{pg.Name}-ready";
        builder.Services.AddHealthChecks().AddAsyncCheck(key, async ct =>
        {
            try
            {
                var cs = await pg.ConnectionStringExpression.GetValueAsync(ct);
                await using var conn = new NpgsqlConnection(cs + ";Timeout=3;Pooling=false");
                await conn.OpenAsync(ct);
                await using var cmd = new NpgsqlCommand("SELECT 1", conn);
                await cmd.ExecuteScalarAsync(ct);
                return HealthCheckResult.Healthy();
            }
            catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException or InvalidOperationException)
            {
                return HealthCheckResult.Unhealthy(ex.Message);
            }
        });
        return key;
    }

    /// <summary>Healthy once the database exists and its migrations table has been written.</summary>
    public static string AddDatabaseCheck(IDistributedApplicationBuilder builder, ResellerDatabaseResource db)
    {
        var key = $"{db.Name}-ready";
        builder.Services.AddHealthChecks().AddAsyncCheck(key, async ct =>
        {
            try
            {
                var cs = await db.ConnectionStringExpression.GetValueAsync(ct);
                await using var conn = new NpgsqlConnection(cs + ";Timeout=3;Pooling=false");
                await conn.OpenAsync(ct);
                await using var cmd = new NpgsqlCommand("SELECT max(version) FROM schema_migrations", conn);
                return await cmd.ExecuteScalarAsync(ct) is int version
                    ? HealthCheckResult.Healthy($"schema version {version}")
                    : HealthCheckResult.Unhealthy("not migrated yet");
            }
            catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException or InvalidOperationException)
            {
                return HealthCheckResult.Unhealthy(ex.Message);
            }
        });
        return key;
    }

    public static string AddRedisCheck(IDistributedApplicationBuilder builder, string name, EndpointReference endpoint)
    {
        var key = $"{name}-ready";
        builder.Services.AddHealthChecks().AddAsyncCheck(key, async ct =>
        {
            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync(endpoint.Host, endpoint.Port, ct);
                var stream = tcp.GetStream();
                await stream.WriteAsync(Encoding.ASCII.GetBytes("*1\r\n$4\r\nPING\r\n"), ct);
                var buffer = new byte[16];
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(2000);
                var n = await stream.ReadAsync(buffer, timeout.Token);
                return Encoding.ASCII.GetString(buffer, 0, n).StartsWith("+PONG", StringComparison.Ordinal)
                    ? HealthCheckResult.Healthy()
                    : HealthCheckResult.Unhealthy("no PONG");
            }
            catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException or InvalidOperationException)
            {
                return HealthCheckResult.Unhealthy(ex.Message);
            }
        });
        return key;
    }
}
