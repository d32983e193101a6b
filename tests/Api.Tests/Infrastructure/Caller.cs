using System.Security.Claims;

namespace TicketAspire.Api.Tests.Infrastructure;

/// <summary>
/// Who sends a test request. The test API turns these headers into an authenticated principal with the claims the
/// identity service issues (<c>kind</c>, <c>sub</c>, <c>client_id</c>), standing in for JWT bearer authentication.
/// </summary>
public sealed record Caller(string? Kind, string? Sub, string? ClientId = null)
{
    public const string KindHeader = "X-Test-Kind";
    public const string SubHeader = "X-Test-Sub";
    public const string ClientIdHeader = "X-Test-Client-Id";

    public static Caller Anonymous { get; } = new(null, null);

    public static Caller Customer(string sub) => new("customer", sub);

    public static Caller Staff(string sub) => new("staff", sub);

    public static Caller Integrator(string clientId) => new("integrator", "svc-" + clientId, clientId);

    /// <summary>A fresh end user, so tests sharing a Redis never share a budget by accident.</summary>
    public static Caller NewCustomer() => Customer("user-" + Guid.NewGuid().ToString("N"));

    public void AddTo(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Kind is not null)
        {
            request.Headers.Add(KindHeader, Kind);
        }

        if (Sub is not null)
        {
            request.Headers.Add(SubHeader, Sub);
        }

        if (ClientId is not null)
        {
            request.Headers.Add(ClientIdHeader, ClientId);
        }
    }

    /// <summary>The principal the test authentication builds from a request's headers (anonymous without them).</summary>
    public static ClaimsPrincipal PrincipalFrom(Microsoft.AspNetCore.Http.IHeaderDictionary headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var claims = new List<Claim>();
        foreach (var (header, type) in new[] { (KindHeader, "kind"), (SubHeader, "sub"), (ClientIdHeader, "client_id") })
        {
            if (headers.TryGetValue(header, out var value))
            {
                claims.Add(new Claim(type, value.ToString()));
            }
        }

        return claims.Count == 0 ? new ClaimsPrincipal(new ClaimsIdentity()) : new ClaimsPrincipal(new ClaimsIdentity(claims, "Bearer"));
    }
}
