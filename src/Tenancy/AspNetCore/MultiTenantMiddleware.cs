using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace TicketAspire.Tenancy.AspNetCore;

/// <summary>Marks an endpoint that runs without a tenant (health, discovery, OpenAPI).</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false)]
public sealed class ExcludeFromMultiTenantResolutionAttribute : Attribute;

/// <summary>
/// Resolves the tenant of each request and makes it current. Deliberate deviation from Finbuckle: a request to a
/// tenant-aware endpoint that resolves no tenant is answered here with 404 problem details (<c>tenancy.unresolved</c>),
/// or 403 (<c>tenancy.mismatch</c>) when a token and the host name different tenants; never passed on with an empty
/// context and never given a default tenant.
/// </summary>
public sealed class MultiTenantMiddleware<T>(RequestDelegate next) where T : class, ITenantInfo
{
    /// <summary>Problem type of the 404 answer.</summary>
    public const string UnresolvedType = "https://ticketaspire.dev/problems/tenancy.unresolved";

    /// <summary>Problem type of the 403 answer: the token's reseller is not the host's.</summary>
    public const string MismatchType = "https://ticketaspire.dev/problems/tenancy.mismatch";

    /// <summary>Handles one request.</summary>
    public async Task InvokeAsync(HttpContext context, TenantResolver<T> resolver, IMultiTenantContextSetter<T> setter)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint is null || endpoint.Metadata.GetMetadata<ExcludeFromMultiTenantResolutionAttribute>() is not null)
        {
            await next(context);
            return;
        }

        var resolution = await resolver.ResolveAsync(context);
        if (!resolution.Context.IsResolved)
        {
            var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
            var conflict = resolution.Failure == TenantResolutionFailure.Conflict;
            context.Response.StatusCode = conflict ? StatusCodes.Status403Forbidden : StatusCodes.Status404NotFound;
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new ProblemDetails
                {
                    Type = conflict ? MismatchType : UnresolvedType,
                    Title = conflict ? "Token of another reseller" : "Unknown reseller",
                    Status = context.Response.StatusCode,
                    Detail = conflict
                        ? "The token was issued for another reseller than the one this host serves."
                        : $"No reseller of this cell serves host '{context.Request.Host.Host}'.",
                    Extensions = { ["code"] = conflict ? "tenancy.mismatch" : "tenancy.unresolved" },
                },
            });
            return;
        }

        setter.SetContext(resolution.Context);
        try
        {
            await next(context);
        }
        finally
        {
            setter.SetContext(MultiTenantContext<T>.Unresolved);
        }
    }
}

/// <summary>Pipeline and endpoint extensions.</summary>
public static class MultiTenantApplicationBuilderExtensions
{
    /// <summary>Adds tenant resolution; place it after <c>UseRouting</c> so endpoint metadata is known.</summary>
    public static IApplicationBuilder UseMultiTenant<T>(this IApplicationBuilder app) where T : class, ITenantInfo =>
        app.UseMiddleware<MultiTenantMiddleware<T>>();

    /// <summary>Lets the endpoint run without a tenant.</summary>
    public static TBuilder ExcludeFromMultiTenantResolution<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(b => b.Metadata.Add(new ExcludeFromMultiTenantResolutionAttribute()));
        return builder;
    }
}
