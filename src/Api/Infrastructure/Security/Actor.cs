using System.Security.Claims;
using TicketAspire.Tenancy.Security;

namespace TicketAspire.Api.Infrastructure.Security;

/// <summary>
/// Who is calling, read from the validated access token (claim names as issued; no inbound mapping): a reseller's
/// integrator (client credentials), one of its end users (authorization code), a guest buyer of its storefront (the guest
/// grant), platform staff, or nobody (public browsing).
/// </summary>
public sealed record Actor(ActorKind Kind, string? Subject, string? ClientId, IReadOnlySet<string> Scopes, string? Email = null)
{
    /// <summary>Nobody signed in.</summary>
    public static Actor Anonymous { get; } = new(ActorKind.Anonymous, null, null, new HashSet<string>());

    /// <summary>
    /// The customer reference of a buyer's holds and orders: <c>user:&lt;id&gt;</c> of an end user, <c>guest:&lt;id&gt;</c>
    /// of a guest's checkout session.
    /// </summary>
    public string? CustomerRef => Kind switch
    {
        ActorKind.Customer => CustomerRefFor(Subject!),
        ActorKind.Guest => GuestRefPrefix + Subject,
        _ => null,
    };

    /// <summary>
    /// True for a buyer acting for themselves, an end user or a guest: limited to their own holds and orders, and
    /// <see cref="CustomerRef"/> comes from the token, never from the request.
    /// </summary>
    public bool IsCustomer => Kind is ActorKind.Customer or ActorKind.Guest;

    /// <summary>True for a guest buyer (no account: checkout and their own orders of this session only).</summary>
    public bool IsGuest => Kind == ActorKind.Guest;

    /// <summary>True for platform staff (every action audited synchronously).</summary>
    public bool IsStaff => Kind == ActorKind.Staff;

    /// <summary>True when the token carries <paramref name="scope"/>.</summary>
    public bool Has(string scope) => Scopes.Contains(scope);

    /// <summary>Prefix of a guest's customer reference.</summary>
    public const string GuestRefPrefix = "guest:";

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
            TokenClaims.Guest => ActorKind.Guest,
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

    /// <summary>A guest buyer of a reseller's storefront (no account).</summary>
    Guest = 4,
}
