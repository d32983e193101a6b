using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using TicketAspire.Tenancy.Stores;
using TicketAspire.Tenancy.Strategies;

namespace TicketAspire.Tenancy.Tests;

public sealed class TenantResolverShould
{
    private static readonly SnapshotStore Store = new([Resellers.Acme, Resellers.Globex]);

    private readonly TenantResolver<ResellerTenantInfo> _resolver = new([new HostStrategy(Store), new ClaimStrategy()], Store);

    [Fact]
    public async Task ResolveFromTheHostCaseInsensitivelyIgnoringThePort()
    {
        var resolution = await _resolver.ResolveAsync(Request("ACME.tickets.EXAMPLE:443"));

        Assert.Equal(TenantResolutionFailure.None, resolution.Failure);
        Assert.True(resolution.Context.IsResolved);
        Assert.Equal((Resellers.Acme, "host"), (resolution.Context.TenantInfo, resolution.Context.StrategyName));
    }

    [Fact]
    public async Task ResolveNothingForAHostNoResellerServes()
    {
        // The host strategy looks hosts up, so an unknown host yields no identifier at all (rather than an unknown one).
        var resolution = await _resolver.ResolveAsync(Request("evil.example"));

        Assert.False(resolution.Context.IsResolved);
        Assert.Null(resolution.Context.TenantInfo);
        Assert.Equal(TenantResolutionFailure.NoIdentifier, resolution.Failure);
    }

    [Fact]
    public async Task ReportNoIdentifierWithoutHostOrClaim()
    {
        var resolution = await _resolver.ResolveAsync(new DefaultHttpContext());

        Assert.Equal(TenantResolutionFailure.NoIdentifier, resolution.Failure);
        Assert.False(resolution.Context.IsResolved);
    }

    [Fact]
    public async Task ReportAnUnknownTenantForAnIdentifierTheStoreLacks()
    {
        var resolution = await _resolver.ResolveAsync(Request("api.eu.example", claim: "initech"));

        Assert.Equal(TenantResolutionFailure.UnknownTenant, resolution.Failure);
        Assert.False(resolution.Context.IsResolved);
    }

    [Fact]
    public async Task FailClosedWhenTheTokenAndTheHostNameDifferentResellers()
    {
        var resolution = await _resolver.ResolveAsync(Request("acme.tickets.example", claim: "globex-events"));

        Assert.Equal(TenantResolutionFailure.Conflict, resolution.Failure);
        Assert.False(resolution.Context.IsResolved);
    }

    [Fact]
    public async Task ResolveFromTheClaimWhenTheHostAgrees()
    {
        var resolution = await _resolver.ResolveAsync(Request("globex.tickets.example", claim: "globex-events"));

        Assert.Equal(TenantResolutionFailure.None, resolution.Failure);
        Assert.Equal((Resellers.Globex, "claim"), (resolution.Context.TenantInfo, resolution.Context.StrategyName));
    }

    [Fact]
    public async Task ResolveFromTheClaimOnAHostNoResellerOwns()
    {
        var resolution = await _resolver.ResolveAsync(Request("api.eu.example", claim: "acme"));

        Assert.Equal((Resellers.Acme, "claim"), (resolution.Context.TenantInfo, resolution.Context.StrategyName));
    }

    [Fact]
    public async Task IgnoreTheClaimOfAnUnauthenticatedUser()
    {
        var context = Request("acme.tickets.example");
        context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimStrategy.DefaultClaimType, "globex-events")]));

        var resolution = await _resolver.ResolveAsync(context);

        Assert.Equal((Resellers.Acme, "host"), (resolution.Context.TenantInfo, resolution.Context.StrategyName));
    }

    [Fact]
    public async Task ResolveTheStaticTenantOutsideRequests()
    {
        var resolver = new TenantResolver<ResellerTenantInfo>([new StaticStrategy("globex-events")], Store);

        var resolution = await resolver.ResolveAsync(new object());

        Assert.Equal((Resellers.Globex, "static"), (resolution.Context.TenantInfo, resolution.Context.StrategyName));
    }

    private static DefaultHttpContext Request(string host, string? claim = null)
    {
        var context = new DefaultHttpContext { Request = { Host = new HostString(host) } };
        if (claim is not null)
        {
            context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimStrategy.DefaultClaimType, claim)], "Bearer"));
        }

        return context;
    }
}
