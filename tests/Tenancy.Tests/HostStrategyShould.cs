using Microsoft.AspNetCore.Http;
using TicketAspire.Tenancy.Stores;
using TicketAspire.Tenancy.Strategies;

namespace TicketAspire.Tenancy.Tests;

public sealed class HostStrategyShould
{
    private readonly HostStrategy _strategy = new(new SnapshotStore([Resellers.Acme, Resellers.Globex]));

    [Theory]
    [InlineData("acme.tickets.example")]
    [InlineData("ACME.Tickets.Example")]
    [InlineData("acme.tickets.example:8443")]
    [InlineData("Shop.Acme.Example.")]
    public async Task ResolveTheResellerThatListsTheHost(string host)
    {
        var identifier = await _strategy.GetIdentifierAsync(Request(host));

        Assert.Equal("acme", identifier);
    }

    [Fact]
    public async Task ProduceNoIdentifierForAHostNoResellerServes()
    {
        Assert.Null(await _strategy.GetIdentifierAsync(Request("evil.example")));
    }

    [Fact]
    public async Task ProduceNoIdentifierWithoutAHost()
    {
        Assert.Null(await _strategy.GetIdentifierAsync(new DefaultHttpContext()));
    }

    [Fact]
    public async Task IgnoreContextsThatAreNotHttpRequests()
    {
        Assert.Null(await _strategy.GetIdentifierAsync("acme.tickets.example"));
    }

    private static DefaultHttpContext Request(string host) => new() { Request = { Host = new HostString(host) } };
}
