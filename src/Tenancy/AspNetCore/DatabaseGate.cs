using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using TicketAspire.Tenancy.Data;

namespace TicketAspire.Tenancy.AspNetCore;

/// <summary>
/// The door of a request to a reseller's database: while the database's circuit is open the request is answered
/// <c>503 database_unavailable</c> with <c>Retry-After</c> at once (no connection attempt, no queueing behind a dead
/// server); otherwise the reseller is remembered so a failure later in the request trips its circuit
/// (<see cref="DatabaseUnavailableExceptionHandler"/>).
/// </summary>
public static class DatabaseGate
{
    /// <summary>Stable problem code of the answer.</summary>
    public const string Code = "database_unavailable";

    /// <summary>True when the request may use <paramref name="tenant"/>'s database; false when the 503 was written.</summary>
    public static async Task<bool> TryEnterAsync(HttpContext context, ResellerDataSources dataSources, ResellerTenantInfo tenant)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(dataSources);
        var circuit = dataSources.CircuitFor(tenant);
        context.Features.Set(new ResellerDatabaseFeature(circuit));
        if (!circuit.IsOpen)
        {
            return true;
        }

        await WriteUnavailableAsync(context, dataSources.RetryAfter);
        return false;
    }

    /// <summary>
    /// Runs <paramref name="next"/> for a request that entered (<see cref="TryEnterAsync"/>) with its
    /// <see cref="HttpContext.RequestAborted"/> also cancelled when the reseller's circuit opens: a request waiting for a
    /// pooled connection or a connect when the database goes away is answered <c>503 database_unavailable</c> as soon as
    /// the outage is known, not after the connect timeout.
    /// </summary>
    public static async Task RunAsync(HttpContext context, RequestDelegate next, TimeSpan retryAfter)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (context.Features.Get<ResellerDatabaseFeature>() is not { } feature)
        {
            await next(context);
            return;
        }

        var aborted = context.RequestAborted;
        var outage = feature.Circuit.OutageToken;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(aborted, outage);
        context.RequestAborted = linked.Token;
        try
        {
            await next(context);
        }
        catch (OperationCanceledException) when (outage.IsCancellationRequested && !aborted.IsCancellationRequested && !context.Response.HasStarted)
        {
            context.Response.Clear();
            await WriteUnavailableAsync(context, retryAfter);
        }
        finally
        {
            context.RequestAborted = aborted;
        }
    }

    /// <summary>Trips the circuit of the request's reseller database, if the request entered one.</summary>
    public static void Trip(HttpContext context, Exception failure)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Features.Get<ResellerDatabaseFeature>()?.Circuit.Trip(failure);
    }

    /// <summary>Writes the <c>503 database_unavailable</c> problem with <c>Retry-After</c>.</summary>
    public static async Task WriteUnavailableAsync(HttpContext context, TimeSpan retryAfter)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = ResellerStorageOptions.Seconds(retryAfter).ToString(CultureInfo.InvariantCulture);
        var problem = Problem();
        if (!await context.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = problem,
            }))
        {
            // a client that accepts only what the endpoint would have sent (text/event-stream, text/html) still gets JSON
            context.Response.ContentType = "application/problem+json";
            await System.Text.Json.JsonSerializer.SerializeAsync(context.Response.Body, problem, System.Text.Json.JsonSerializerOptions.Web, context.RequestAborted);
        }
    }

    /// <summary>The problem details of the answer.</summary>
    public static ProblemDetails Problem() => new()
    {
        Type = "https://ticketaspire.dev/problems/" + Code,
        Title = "Database unavailable",
        Status = StatusCodes.Status503ServiceUnavailable,
        Detail = "The reseller's database cannot be reached right now; try again after the time in Retry-After.",
        Extensions = { ["code"] = Code },
    };

    /// <summary>The circuit of the reseller database a request entered.</summary>
    /// <summary>True when the request's reseller database is known to be out of reach now (its circuit is open).</summary>
    public static bool IsOutage(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Features.Get<ResellerDatabaseFeature>()?.Circuit.IsOpen == true;
    }

    private sealed record ResellerDatabaseFeature(DatabaseCircuit Circuit);
}
