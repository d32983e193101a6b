using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace TicketAspire.AppHost.Tests;

/// <summary>The API's endpoints under /v{version}, from its own endpoint data source (the API built in-process).</summary>
internal static class ApiEndpoints
{
    /// <summary>Method, route pattern, name and whether an authorization policy applies, per endpoint and method.</summary>
    public static async Task<List<(string Method, string Pattern, string? Name, bool HasPolicy)>> ListAsync(PlatformFixture platform)
    {
        var postgres = await platform.App.GetConnectionStringAsync("eu-postgres");
        await using var factory = new WebApplicationFactory<TicketAspire.Api.Infrastructure.ResellerStorage>().WithWebHostBuilder(b => b
            .UseSetting("ConnectionStrings:postgres", postgres)
            .UseSetting("Cell:Id", "eu")
            .UseSetting("Cell:Currency", "EUR")
            .UseSetting("Identity:MetadataService", "http://eu-identity")
            .UseSetting("Identity:PublicOrigin", "http://localhost:1")
            .UseSetting("Payments:BaseUrl", "http://eu-payments")
            .UseSetting("Payments:ApiKey", "unused")
            .UseSetting("Payments:WebhookSecret", "unused")
            .UseSetting("WaitingRoom:SigningKey", "unused-but-long-enough-for-validation")
            .UseSetting("Tickets:SigningSeed", "unused-but-long-enough-for-validation"));
        using var client = factory.CreateClient();
        var source = factory.Services.GetRequiredService<EndpointDataSource>();
        return [.. source.Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/v{version:apiVersion}", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => (
                m,
                e.RoutePattern.RawText!,
                e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName,
                e.Metadata.GetOrderedMetadata<Microsoft.AspNetCore.Authorization.IAuthorizeData>().Any())))];
    }

    /// <summary>
    /// A concrete path of <paramref name="pattern"/>: version 1, every <c>{name}</c> or <c>{name:constraint}</c> from
    /// <paramref name="value"/>.
    /// </summary>
    public static string Fill(string pattern, Func<string, string> value) =>
        System.Text.RegularExpressions.Regex.Replace(pattern.Replace("{version:apiVersion}", "1", StringComparison.Ordinal), @"\{([a-zA-Z_]+)(:[^}]*)?\}",
            m => value(m.Groups[1].Value));
}
