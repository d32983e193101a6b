using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using TicketAspire.Web.Infrastructure;

namespace TicketAspire.Web.Extensions;

/// <summary>
/// The reseller console's CSV downloads (<c>/console/exports/sales.csv</c>, <c>statement.csv</c>, <c>payouts.csv</c>): the
/// API's own CSV reports, streamed on for the signed-in administrator of the host's reseller with their token. A request
/// without that session is sent to the console's sign-in and back.
/// </summary>
public static class ConsoleExportEndpoints
{
    private static readonly string[] Reports = ["sales", "statement", "payouts"];
    private static readonly string[] Groupings = ["event", "class", "day"];

    public static IEndpointRouteBuilder MapConsoleExports(this IEndpointRouteBuilder app)
    {
        app.MapGet("/console/exports/{file}", ExportAsync).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> ExportAsync(string file, HttpContext context, ResellerResolver resellers, ConsoleApi api,
        IAuthenticationSchemeProvider schemes, CancellationToken ct)
    {
        var report = file.EndsWith(".csv", StringComparison.Ordinal) ? file[..^4] : "";
        if (resellers.ByHost(context.Request.Host.Host) is not { } site || !Reports.Contains(report))
        {
            return Results.NotFound();
        }

        if (await AdministratorAsync(context, site, schemes) is not { } user)
        {
            var back = context.Request.Path + context.Request.QueryString;
            return Results.Redirect("/console/login?returnUrl=" + Uri.EscapeDataString(back));
        }

        // only the parameters the reports take, checked again by the API (its 400 comes back as the problem)
        var query = new List<string>();
        foreach (var key in new[] { "from", "to" })
        {
            if (context.Request.Query[key].ToString() is { Length: > 0 and <= 40 } value)
            {
                query.Add($"{key}={Uri.EscapeDataString(value)}");
            }
        }

        var groupBy = context.Request.Query["group_by"].ToString();
        if (report == "sales" && Groupings.Contains(groupBy))
        {
            query.Add("group_by=" + groupBy);
        }

        using var csv = await api.CsvAsync(new ConsoleCaller(site, user), report, string.Join('&', query), ct);
        if (csv.Problem is { } problem)
        {
            return Results.Problem(detail: problem.Detail, statusCode: problem.Status, title: problem.Title,
                extensions: new Dictionary<string, object?> { ["code"] = problem.Code });
        }

        var name = string.Join('-', new[] { site.Id, report, report == "sales" && groupBy.Length > 0 ? "by-" + groupBy : null }.OfType<string>());
        context.Response.ContentType = "text/csv; charset=utf-8";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"{name}.csv\"";
        context.Response.Headers.CacheControl = "no-store";
        await using var body = await csv.Response!.Content.ReadAsStreamAsync(ct);
        await body.CopyToAsync(context.Response.Body, ct);
        return Results.Empty;
    }

    /// <summary>The signed-in administrator of <paramref name="site"/> (the console session's identity), or null.</summary>
    private static async Task<ConsoleUser?> AdministratorAsync(HttpContext context, ResellerSite site, IAuthenticationSchemeProvider schemes)
    {
        var identity = context.User.Identities.FirstOrDefault(i => i.IsAuthenticated && i.AuthenticationType == ConsoleAuthentication.Scheme);
        if (identity is null && await schemes.GetSchemeAsync(ConsoleAuthentication.Scheme) is not null)
        {
            var result = await context.AuthenticateAsync(ConsoleAuthentication.Scheme);
            identity = result.Principal?.Identities.FirstOrDefault(i => i.IsAuthenticated) as ClaimsIdentity;
        }

        if (identity is null || identity.FindFirst(ConsoleAuthentication.RoleClaim)?.Value != ConsoleAuthentication.ResellerAdmin
            || identity.FindFirst(AuthenticationExtensions.ResellerClaim)?.Value != site.Id
            || string.IsNullOrEmpty(identity.FindFirst(AuthenticationExtensions.AccessTokenClaim)?.Value))
        {
            return null;
        }

        return ConsoleUser.Of(identity, site.Id);
    }

    /// <summary>The export's address for a period (what the sales page links to).</summary>
    public static string Url(string report, DateTimeOffset? from, DateTimeOffset? to, string? groupBy = null)
    {
        var query = new List<string>();
        if (from is { } f)
        {
            query.Add("from=" + Uri.EscapeDataString(f.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        }

        if (to is { } t)
        {
            query.Add("to=" + Uri.EscapeDataString(t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        }

        if (groupBy is not null)
        {
            query.Add("group_by=" + groupBy);
        }

        return $"/console/exports/{report}.csv" + (query.Count > 0 ? "?" + string.Join('&', query) : "");
    }
}
