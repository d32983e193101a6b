using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using TicketAspire.Api.Infrastructure.RateLimiting;

namespace TicketAspire.Api.Tests;

public sealed class ApiPartitionerShould
{
    [Theory]
    [InlineData("integrator", "pos", "GET", PartitionKind.Integrator, "ta:rl:client:pos")]
    [InlineData("integrator", "pos", "POST", PartitionKind.Integrator, "ta:rl:client:pos")]
    [InlineData("customer", null, "GET", PartitionKind.Customer, "ta:rl:user:u-1")]
    [InlineData("customer", null, "PATCH", PartitionKind.CustomerWrite, "ta:rl:write:user:u-1")]
    [InlineData("guest", null, "GET", PartitionKind.Customer, "ta:rl:user:guest:u-1")]
    [InlineData("guest", null, "POST", PartitionKind.CustomerWrite, "ta:rl:write:user:guest:u-1")]
    [InlineData("staff", null, "DELETE", PartitionKind.Staff, "ta:rl:staff:u-1")]
    [InlineData("robot", null, "GET", PartitionKind.Anonymous, "ta:rl:ip:203.0.113.7")]
    [InlineData(null, null, "PUT", PartitionKind.AnonymousWrite, "ta:rl:write:ip:203.0.113.7")]
    public void KeyTheCallerByKindAndId(string? kind, string? clientId, string method, PartitionKind expectedKind, string expectedKey)
    {
        var claims = new List<Claim> { new("sub", "u-1") };
        if (kind is not null)
        {
            claims.Add(new Claim("kind", kind));
        }

        if (clientId is not null)
        {
            claims.Add(new Claim("client_id", clientId));
        }

        var context = Request(method, IPAddress.Parse("203.0.113.7"), new ClaimsPrincipal(new ClaimsIdentity(claims, "Bearer")));

        Assert.Equal(new ApiPartition(expectedKind, expectedKey), ApiPartitioner.Resolve(context));
    }

    [Fact]
    public void TrustClaimsOnlyOfAnAuthenticatedPrincipal()
    {
        var unauthenticated = new ClaimsPrincipal(new ClaimsIdentity([new Claim("kind", "integrator"), new Claim("client_id", "pos")]));

        var partition = ApiPartitioner.Resolve(Request("GET", IPAddress.Parse("198.51.100.1"), unauthenticated));

        Assert.Equal(new ApiPartition(PartitionKind.Anonymous, "ta:rl:ip:198.51.100.1"), partition);
    }

    [Theory]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "ta:rl:ip:2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "ta:rl:ip:2001:db8:1:2::/64")]
    [InlineData("::ffff:192.0.2.9", "ta:rl:ip:192.0.2.9")]
    public void CountIPv6AddressesPerSlash64(string address, string expectedKey)
    {
        var partition = ApiPartitioner.Resolve(Request("GET", IPAddress.Parse(address), new ClaimsPrincipal(new ClaimsIdentity())));

        Assert.Equal(expectedKey, partition.Key);
    }

    [Fact]
    public void ExemptHealthProbes()
    {
        Assert.True(ApiPartitioner.IsExempt(Request("GET", null, new ClaimsPrincipal(), "/health")));
        Assert.True(ApiPartitioner.IsExempt(Request("GET", null, new ClaimsPrincipal(), "/alive")));
        Assert.False(ApiPartitioner.IsExempt(Request("GET", null, new ClaimsPrincipal(), "/v1/events")));
    }

    [Theory]
    [InlineData("/V1/events")]
    [InlineData("/v1/EVENTS")]
    [InlineData("/V2/holds")]
    public void LimitApiPathsInAnyLetterCase(string path) =>
        Assert.False(ApiPartitioner.IsExempt(Request("GET", null, new ClaimsPrincipal(), path)));

    [Theory]
    [InlineData("/HEALTH")]
    [InlineData("/openapi/v1.json")]
    [InlineData("/scalar/v1")]
    public void ExemptWhatIsNotTheApi(string path) =>
        Assert.True(ApiPartitioner.IsExempt(Request("GET", null, new ClaimsPrincipal(), path)));

    private static DefaultHttpContext Request(string method, IPAddress? address, ClaimsPrincipal user, string path = "/v1/holds") =>
        new()
        {
            Request = { Method = method, Path = path },
            Connection = { RemoteIpAddress = address },
            User = user,
        };
}
