using Microsoft.AspNetCore.Mvc;
using TicketAspire.Tenancy;
using TicketAspire.Tenancy.AspNetCore;
using TicketAspire.Tenancy.Stores;

namespace TicketAspire.Identity.Infrastructure;

/// <summary>
/// One issuer per reseller, by path: <c>/acme/connect/token</c> resolves reseller <c>acme</c> from the cell catalog,
/// makes it current and moves the segment into <c>Request.PathBase</c> (Finbuckle's base-path strategy with
/// <c>RebaseAspNetCorePathBase</c>). OpenIddict then derives issuer, discovery and endpoint URIs from scheme, host and
/// PathBase (<c>http://host/acme</c>), so nothing in its singleton options is per reseller. Runs before routing; a
/// missing or unknown reseller is answered 404 problem details here, so OpenIddict never runs without a reseller.
/// </summary>
public sealed class ResellerPathBaseMiddleware(
    RequestDelegate next,
    IMultiTenantStore<ResellerTenantInfo> store,
    IMultiTenantContextSetter<ResellerTenantInfo> setter)
{
    /// <summary>Handles one request.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        var end = path.IndexOf('/', 1);
        var segment = path.Length <= 1 ? "" : end < 0 ? path[1..] : path[1..end];
        var reseller = segment.Length == 0 ? null : await store.GetByIdentifierAsync(segment);
        if (reseller is null)
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
                    Detail = "Identity endpoints live under /{reseller}/, e.g. /acme/.well-known/openid-configuration.",
                },
            });
            return;
        }

        var (originalBase, originalPath) = (context.Request.PathBase, context.Request.Path);
        context.Request.PathBase = originalBase.Add("/" + segment);
        context.Request.Path = end < 0 ? PathString.Empty : new PathString(path[end..]);
        setter.SetContext(new MultiTenantContext<ResellerTenantInfo>(reseller, "base-path"));
        try
        {
            await next(context);
        }
        finally
        {
            setter.SetContext(MultiTenantContext<ResellerTenantInfo>.Unresolved);
            (context.Request.PathBase, context.Request.Path) = (originalBase, originalPath);
        }
    }
}
