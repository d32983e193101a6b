using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TicketAspire.Tenancy.Data;

namespace TicketAspire.Tenancy.AspNetCore;

/// <summary>
/// Maps every failure to reach Postgres (<see cref="DatabaseFailures.IsUnavailable"/>: a connection refused, broken or
/// timed out, a server shutting down or starting) to <c>503 database_unavailable</c> with <c>Retry-After</c>, never a
/// 500. A refused or broken connection also trips the request's reseller circuit, so the next requests fail fast
/// (<see cref="DatabaseGate"/>); a timeout does not (an overloaded server times out too).
/// </summary>
public sealed partial class DatabaseUnavailableExceptionHandler(IOptions<ResellerStorageOptions> options, ILogger<DatabaseUnavailableExceptionHandler> logger)
    : IExceptionHandler
{
    /// <inheritdoc />
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (!DatabaseFailures.IsUnavailable(exception))
        {
            return false;
        }

        LogUnavailable(logger, httpContext.Request.Method, httpContext.Request.Path, exception.Message);
        if (!DatabaseFailures.IsTimeout(exception))
        {
            DatabaseGate.Trip(httpContext, exception);
        }

        await DatabaseGate.WriteUnavailableAsync(httpContext, options.Value.RetryAfter);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Path}: the database is out of reach ({Error}), answered 503")]
    private static partial void LogUnavailable(ILogger logger, string method, string path, string error);
}
