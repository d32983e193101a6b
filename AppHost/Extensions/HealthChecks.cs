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
    /// <summary>Healthy once the server answers a query.</summary>
    public static string AddPostgresCheck(IDistributedApplicationBuilder builder, PostgresExeResource pg) =>
        AddSqlCheck(builder, pg.Name, pg, "SELECT 1", _ => HealthCheckResult.Healthy());

    /// <summary>Healthy once the database exists and its migrations table has been written.</summary>
    public static string AddDatabaseCheck(IDistributedApplicationBuilder builder, ResellerDatabaseResource db) =>
        AddSqlCheck(builder, db.Name, db, "SELECT max(version) FROM schema_migrations", result => result is int version
            ? HealthCheckResult.Healthy($"schema version {version}")
            : HealthCheckResult.Unhealthy("not migrated yet"));

    private static string AddSqlCheck(
        IDistributedApplicationBuilder builder, string name, IResourceWithConnectionString target, string sql, Func<object?, HealthCheckResult> judge)
    {
        var key = $"{name}-ready";
        builder.Services.AddHealthChecks().AddAsyncCheck(key, async ct =>
        {
            try
            {
                var cs = await target.ConnectionStringExpression.GetValueAsync(ct);
                await using var conn = new NpgsqlConnection(cs + ";Timeout=3;Pooling=false");
                await conn.OpenAsync(ct);
                await using var cmd = new NpgsqlCommand(sql, conn);
                return judge(await cmd.ExecuteScalarAsync(ct));
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
