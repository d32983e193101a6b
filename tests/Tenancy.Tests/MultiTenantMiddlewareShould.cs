using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using TicketAspire.Tenancy.AspNetCore;
using TicketAspire.Tenancy.Stores;
using TicketAspire.Tenancy.Strategies;

namespace TicketAspire.Tenancy.Tests;

public sealed class MultiTenantMiddlewareShould : IDisposable
{
    private static readonly SnapshotStore Store = new([Resellers.Acme, Resellers.Globex]);
    private readonly ServiceProvider _services = new ServiceCollection().AddOptions().AddProblemDetails().BuildServiceProvider();
    private readonly TenantResolver<ResellerTenantInfo> _resolver = new([new HostStrategy(Store), new ClaimStrategy()], Store);
    private readonly AsyncLocalMultiTenantContextAccessor<ResellerTenantInfo> _accessor = new();
    private IMultiTenantContext<ResellerTenantInfo>? _seenByNext;
    private bool _nextCalled;

    [Fact]
    public async Task AnswerNotFoundProblemDetailsForAnUnknownHost()
    {
        var context = Request("evil.example");

        await InvokeAsync(context);

        Assert.False(_nextCalled);
        Assert.Equal(StatusCodes.Status404NotFound, context.Response.StatusCode);
        Assert.StartsWith("application/problem+json", context.Response.ContentType, StringComparison.Ordinal);
        var problem = ReadBody(context);
        Assert.Equal(MultiTenantMiddleware<ResellerTenantInfo>.UnresolvedType, problem.GetProperty("type").GetString());
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
        Assert.Contains("evil.example", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnswerForbiddenWhenTokenAndHostNameDifferentResellers()
    {
        var context = Request("acme.tickets.example");
        context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimStrategy.DefaultClaimType, "globex-events")], "Bearer"));

        await InvokeAsync(context);

        Assert.False(_nextCalled);
        Assert.Equal(StatusCodes.Status403Forbidden, context.Response.StatusCode);
        var problem = ReadBody(context);
        Assert.Equal(MultiTenantMiddleware<ResellerTenantInfo>.MismatchType, problem.GetProperty("type").GetString());
        Assert.Equal("tenancy.mismatch", problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task MakeTheResolvedResellerCurrentForTheRestOfThePipelineOnly()
    {
        var context = Request("Shop.Acme.Example:8443");

        await InvokeAsync(context);

        Assert.True(_nextCalled);
        Assert.Equal(Resellers.Acme, _seenByNext?.TenantInfo);
        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        Assert.False(_accessor.MultiTenantContext.IsResolved);
    }

    [Fact]
    public async Task LetExcludedEndpointsRunWithoutATenant()
    {
        var context = Request("evil.example", new ExcludeFromMultiTenantResolutionAttribute());

        await InvokeAsync(context);

        Assert.True(_nextCalled);
        Assert.False(_seenByNext!.IsResolved);
        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
    }

    public void Dispose() => _services.Dispose();

    private DefaultHttpContext Request(string host, params object[] endpointMetadata)
    {
        var context = new DefaultHttpContext
        {
            RequestServices = _services,
            Request = { Host = new HostString(host), Path = "/api/events" },
            Response = { Body = new MemoryStream() },
        };
        context.SetEndpoint(new Endpoint(_ => Task.CompletedTask, new EndpointMetadataCollection(endpointMetadata), "events"));
        return context;
    }

    private Task InvokeAsync(HttpContext context)
    {
        var middleware = new MultiTenantMiddleware<ResellerTenantInfo>(_ =>
        {
            _nextCalled = true;
            _seenByNext = _accessor.MultiTenantContext;
            return Task.CompletedTask;
        });
        return middleware.InvokeAsync(context, _resolver, _accessor);
    }

    private static JsonElement ReadBody(HttpContext context)
    {
        context.Response.Body.Position = 0;
        using var doc = JsonDocument.Parse(context.Response.Body);
        return doc.RootElement.Clone();
    }
}
