using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using TicketAspire.Tenancy;
using TicketAspire.Tenancy.AspNetCore;
using TicketAspire.Tenancy.Data;
using TicketAspire.Tenancy.Stores;

namespace TicketAspire.Identity.Infrastructure;

/// <summary>
/// One issuer per reseller, by path: <c>/acme/connect/token</c> resolves reseller <c>acme</c> from the cell catalog,
/// makes it current and moves the segment into <c>Request.PathBase</c> (Finbuckle's base-path strategy with
/// <c>RebaseAspNetCorePathBase</c>); <c>/platform/…</c> is the cell's staff issuer. OpenIddict derives issuer, discovery
/// and endpoint URIs from scheme, host and PathBase (<c>http://host/acme</c>), so nothing in its singleton options is per
/// reseller; with <see cref="IssuerOptions.PublicOrigin"/> set, scheme and host are the public ones. Runs before routing; a
/// missing or unknown issuer is answered 404 problem details here, so OpenIddict never runs without one. While the
/// reseller's database is out of reach its issuer answers <c>503 database_unavailable</c> here (<see cref="DatabaseGate"/>).
/// </summary>
public sealed class IssuerPathBaseMiddleware(
    RequestDelegate next,
    IMultiTenantStore<ResellerTenantInfo> store,
    IMultiTenantContextSetter<ResellerTenantInfo> setter,
    IOptions<IssuerOptions> options)
{
    private readonly Uri? _origin = string.IsNullOrWhiteSpace(options.Value.PublicOrigin) ? null : new Uri(options.Value.PublicOrigin);

    /// <summary>Handles one request.</summary>
    public async Task InvokeAsync(HttpContext context, Issuer issuer, ResellerDataSources dataSources)
    {
        var path = context.Request.Path.Value ?? "/";
        var end = path.IndexOf('/', 1);
        var segment = path.Length <= 1 ? "" : end < 0 ? path[1..] : path[1..end];
        var reseller = segment.Length == 0 || segment == Issuer.PlatformId ? null : await store.GetByIdentifierAsync(segment);
        if (reseller is null && segment != Issuer.PlatformId)
        {
            await WriteNotFoundAsync(context);
            return;
        }

        if (reseller is null)
        {
            issuer.SetPlatform();
        }
        else
        {
            issuer.SetReseller(reseller);
            setter.SetContext(new MultiTenantContext<ResellerTenantInfo>(reseller, "base-path"));
        }

        var request = context.Request;
        var original = (request.Scheme, request.Host, request.PathBase, request.Path);
        if (_origin is not null)
        {
            request.Scheme = _origin.Scheme;
            request.Host = HostString.FromUriComponent(_origin);
        }

        request.PathBase = request.PathBase.Add("/" + segment);
        request.Path = end < 0 ? PathString.Empty : new PathString(path[end..]);
        try
        {
            // a reseller issuer whose database is known to be out of reach answers 503 database_unavailable at once;
            // discovery and keys need no database and keep answering
            if (reseller is null || request.Path.StartsWithSegments("/.well-known", StringComparison.OrdinalIgnoreCase))
            {
                await next(context);
            }
            else if (await DatabaseGate.TryEnterAsync(context, dataSources, reseller))
            {
                await DatabaseGate.RunAsync(context, next, dataSources.RetryAfter);
            }
        }
        finally
        {
            setter.SetContext(MultiTenantContext<ResellerTenantInfo>.Unresolved);
            (request.Scheme, request.Host, request.PathBase, request.Path) = original;
        }
    }

    private static async Task WriteNotFoundAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Type = MultiTenantMiddleware<ResellerTenantInfo>.UnresolvedType,
                Title = "Unknown reseller",
                Status = StatusCodes.Status404NotFound,
                Detail = "Identity endpoints live under /{reseller}/, e.g. /acme/.well-known/openid-configuration, or /platform/ for staff.",
            },
        });
    }
}
