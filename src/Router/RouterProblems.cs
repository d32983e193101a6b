using Microsoft.AspNetCore.Http.HttpResults;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace TicketAspire.Router;

/// <summary>The router's own answers, RFC 9457 problem details with a stable <c>code</c>.</summary>
public static class RouterProblems
{
    private const string TypeBase = "https://ticketaspire.dev/problems/";

    /// <summary>A host of no cell: <c>404 tenancy.unresolved</c>, as the API answers an unknown host (never a default cell).</summary>
    public static ProblemHttpResult UnknownHost(HttpContext context) => Problem(
        StatusCodes.Status404NotFound, "tenancy.unresolved", "Unknown reseller",
        $"No reseller is served at '{context.Request.Host.Host}'.");

    /// <summary>
    /// Proxy pipeline step: when the cell could not be reached (refused, reset, timed out, no destination), answers
    /// <c>503 cell.unavailable</c> with <c>Retry-After</c> instead of YARP's empty 502/503, unless the answer has started.
    /// </summary>
    public static async Task CellUnavailableAsync(HttpContext context, Func<Task> next, int retryAfterSeconds)
    {
        await next();
        var error = context.Features.Get<IForwarderErrorFeature>();
        if (error is null || context.Response.HasStarted || error.Error is ForwarderError.RequestCanceled)
        {
            return;
        }

        var cell = context.Features.Get<IReverseProxyFeature>()?.Route.Config.Metadata?.GetValueOrDefault(RouteTable.CellKey) ?? "?";
        context.Response.Clear();
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Problem(StatusCodes.Status503ServiceUnavailable, "cell.unavailable", "The reseller's cell is unavailable",
            $"Cell '{cell}' could not be reached ({error.Error}); try again later.", ("cell", cell)).ExecuteAsync(context);
    }

    private static ProblemHttpResult Problem(int status, string code, string title, string detail, params (string Key, object? Value)[] extensions)
    {
        var ext = new Dictionary<string, object?>(StringComparer.Ordinal) { ["code"] = code };
        foreach (var (key, value) in extensions)
        {
            ext[key] = value;
        }

        return TypedResults.Problem(detail, statusCode: status, title: title, type: TypeBase + code, extensions: ext);
    }
}
