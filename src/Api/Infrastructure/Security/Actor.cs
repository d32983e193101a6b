using System.Security.Claims;
using TicketAspire.Tenancy.Security;

namespace TicketAspire.Api.Infrastructure.Security;

/// <summary>
/// Who is calling, read from the validated access token (claim names as issued; no inbound mapping): a reseller's
/// integrator (client credentials), one of its end users (authorization code), platform staff, or nobody (public browsing).
/// </summary>
public sealed record Actor(ActorKind Kind, string? Subject, string? ClientId, IReadOnlySet<string> Scopes, string? Email = null)
{
    /// <summary>Nobody signed in.</summary>
    public static Actor Anonymous { get; } = new(ActorKind.Anonymous, null, null, new HashSet<string>());

    /// <summary>The customer reference of an end user's holds and orders (<c>user:&lt;id&gt;</c>).</summary>
    public string? CustomerRef => Kind == ActorKind.Customer ? CustomerRefFor(Subject!) : null;

    /// <summary>True for an end user: limited to their own holds and orders.</summary>
    public bool IsCustomer => Kind == ActorKind.Customer;

    /// <summary>True for platform staff (every action audited synchronously).</summary>
    public bool IsStaff => Kind == ActorKind.Staff;

    /// <summary>True when the token carries <paramref name="scope"/>.</summary>
    public bool Has(string scope) => Scopes.Contains(scope);

    /// <summary>The customer reference of end user <paramref name="subject"/>.</summary>
    public static string CustomerRefFor(string subject) => "user:" + subject;

    /// <summary>The actor of <paramref name="user"/>.</summary>
    public static Actor From(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.Identity?.IsAuthenticated != true)
        {
            return Anonymous;
        }

        var kind = user.FindFirst(TokenClaims.Kind)?.Value switch
        {
            TokenClaims.Integrator => ActorKind.Integrator,
            TokenClaims.Customer => ActorKind.Customer,
            TokenClaims.Staff => ActorKind.Staff,
            _ => ActorKind.Anonymous,
        };
        var scopes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var claim in user.FindAll("scope"))
        {
            scopes.UnionWith(claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }

        return new Actor(kind, user.FindFirst("sub")?.Value, user.FindFirst("client_id")?.Value ?? user.FindFirst("azp")?.Value, scopes,
            user.FindFirst("email")?.Value);
    }
}

/// <summary>Kinds of callers.</summary>
public enum ActorKind
{
    /// <summary>No (valid) token.</summary>
    Anonymous = 0,

    /// <summary>A reseller's back end.</summary>
    Integrator = 1,

    /// <summary>An end user of a reseller.</summary>
    Customer = 2,

    /// <summary>Platform staff (support, operator).</summary>
    Staff = 3,
}
