using Asp.Versioning;
using Asp.Versioning.Builder;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;
using TicketAspire.Tenancy.AspNetCore;

namespace TicketAspire.Api.Extensions;

/// <summary>
/// API versions in the URL (<c>/v1/…</c>, Asp.Versioning), an OpenAPI document per version (<c>/openapi/v1.json</c>)
/// and a Scalar reference page per version (<c>/scalar/v1</c>).
/// </summary>
public static class DocumentationExtensions
{
    public static IHostApplicationBuilder AddApiDocumentation(this IHostApplicationBuilder builder)
    {
        builder.Services.AddApiVersioning(o =>
        {
            o.DefaultApiVersion = new ApiVersion(1);
            o.ApiVersionReader = new UrlSegmentApiVersionReader();
            o.ReportApiVersions = true;
        }).AddApiExplorer(o =>
        {
            o.GroupNameFormat = "'v'V";
            o.SubstituteApiVersionInUrl = true;
        });
        builder.Services.AddOpenApi("v1", o =>
        {
            o.ShouldInclude = d => d.GroupName == "v1";
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "TicketAspire API",
                    Version = "v1",
                    Description = "Events, seats, holds and orders of one reseller. The reseller comes from the access token "
                        + "(client credentials for integrators, authorization code + PKCE for end users) or, for public browsing, "
                        + "from the request's host.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "JWT",
                    Description = "An access token (at+jwt) from the cell's identity service.",
                };
                return Task.CompletedTask;
            });
        });
        return builder;
    }

    /// <summary>The route group of API version <paramref name="major"/>: <c>/v{major}/…</c>.</summary>
    public static RouteGroupBuilder MapApiVersion(this WebApplication app, int major)
    {
        IVersionedEndpointRouteBuilder versioned = app.NewVersionedApi("TicketAspire");
        return versioned.MapGroup("/v{version:apiVersion}").HasApiVersion(new ApiVersion(major));
    }

    public static WebApplication MapApiDocumentation(this WebApplication app)
    {
        app.MapOpenApi().ExcludeFromMultiTenantResolution();
        app.MapScalarApiReference(o => o.WithTitle("TicketAspire API")).ExcludeFromMultiTenantResolution();
        return app;
    }
}
