using Npgsql;

namespace TicketAspire.Tenancy.Data;

/// <summary>Tells a database that cannot be reached from a statement that failed.</summary>
public static class DatabaseFailures
{
    /// <summary>
    /// True when <paramref name="exception"/> (or one it wraps, as EF Core does) says the server is out of reach: a
    /// connection that could not be opened in time, broke, or found the pool exhausted (an <see cref="NpgsqlException"/>
    /// that is not a server error: Npgsql's wrapper of socket errors and timeouts), or
    /// a server error of a connection being refused or ended (class 08 connection exception, 57P01–57P03 shutdown or not
    /// yet accepting connections, 53300 too many connections). Statement errors (constraints, deadlocks, syntax) are not.
    /// </summary>
    public static bool IsUnavailable(Exception? exception)
    {
        for (var ex = exception; ex is not null; ex = ex.InnerException)
        {
            switch (ex)
            {
                case PostgresException pg:
                    return IsConnectionState(pg.SqlState);
                case NpgsqlException:
                    // Npgsql wraps what broke underneath: a SocketException, an IOException, a TimeoutException
                    return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True when the failure is a timeout (no connection within the connect timeout, none free in the pool, no answer
    /// within the statement timeout): a server that is slow or overloaded looks the same, so a timeout is answered 503
    /// but does not declare the server down (<see cref="DatabaseCircuit"/>); a refused or broken connection does.
    /// </summary>
    public static bool IsTimeout(Exception? exception)
    {
        for (var ex = exception; ex is not null; ex = ex.InnerException)
        {
            if (ex is TimeoutException)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True for the SQL states of a connection refused or ended by the server.</summary>
    public static bool IsConnectionState(string sqlState) =>
        sqlState.StartsWith("08", StringComparison.Ordinal)
        || sqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
            or PostgresErrorCodes.TooManyConnections;
}
