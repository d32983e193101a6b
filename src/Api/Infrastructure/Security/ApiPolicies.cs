using Microsoft.AspNetCore.Authorization;
using TicketAspire.Tenancy.Security;

namespace TicketAspire.Api.Infrastructure.Security;

/// <summary>
/// Who may call what (function-level authorization). Each policy lists grants: a kind of caller and the scopes, any of
/// which suffices. Object-level checks (an end user sees only their own holds and orders; a token works only for its own
/// reseller) are made by the tenancy module and by the endpoints.
/// </summary>
public static class ApiPolicies
{
    /// <summary>Create and change events: a reseller's integrator with <c>inventory:write</c>.</summary>
    public const string InventoryWrite = "inventory-write";

    /// <summary>
    /// The organizer's view of an event (its vouchers and their uses, its change history): integrators (<c>inventory:read</c>
    /// or <c>inventory:write</c>), support.
    /// </summary>
    public const string InventoryRead = "inventory-read";

    /// <summary>Hold, confirm, cancel: integrators (<c>orders:write</c>), end users (<c>customer</c>, their own), support.</summary>
    public const string OrdersWrite = "orders-write";

    /// <summary>Read holds and orders: integrators (<c>orders:read</c> or <c>orders:write</c>), end users (their own), support.</summary>
    public const string OrdersRead = "orders-read";

    /// <summary>An end user's self-service (<c>customer</c>).</summary>
    public const string Customer = "customer";

    /// <summary>
    /// Hold, pay, confirm, cancel and join a queue: <see cref="OrdersWrite"/>'s callers and a storefront's guest buyer
    /// (<c>guest</c>, their own).
    /// </summary>
    public const string Checkout = "checkout";

    /// <summary>Read a hold, an order or a ticket: <see cref="OrdersRead"/>'s callers and a guest buyer (their own).</summary>
    public const string CheckoutRead = "checkout-read";

    /// <summary>
    /// A buyer's own orders, tickets, refunds and place in a queue: an end user (<c>customer</c>) or a guest (<c>guest</c>,
    /// what they bought in their checkout session). What needs an account (personal data, transfers, resale, passes,
    /// lotteries, waitlists, presales) stays <see cref="Customer"/>.
    /// </summary>
    public const string Buyer = "buyer";

    /// <summary>Read the audit log: integrators (<c>audit:read</c>), support.</summary>
    public const string AuditRead = "audit-read";

    /// <summary>Read the reseller's ledger reports: integrators (<c>inventory:read</c>), support.</summary>
    public const string ReportsRead = "reports-read";
    /// <summary>Webhook endpoints, deliveries and replays: integrators (<c>webhooks:manage</c>), support.</summary>
    public const string WebhooksManage = "webhooks-manage";

    /// <summary>Read the end-user e-mails sent (the mailbox): integrators (<c>orders:read</c> or <c>orders:write</c>), support.</summary>
    public const string MailboxRead = "mailbox-read";

    /// <summary>An event's waiting room: integrators (<c>inventory:write</c>), support.</summary>
    public const string WaitingRoomManage = "waiting-room-manage";

    /// <summary>Check tickets in and download an event's scanner bundle: integrators (<c>checkin</c> or <c>inventory:write</c>), support.</summary>
    public const string CheckIn = "check-in";

    /// <summary>
    /// Open, answer, resolve and close support tickets: the reseller's integrators (<c>inventory:write</c>, as its own
    /// administration), support. Reading them is <see cref="InventoryRead"/>.
    /// </summary>
    public const string SupportTicketsWrite = "support-tickets-write";

    /// <summary>Support's own actions on a reseller's data (send tickets again, end an account's block): staff with <c>support</c>.</summary>
    public const string Support = "support";

    /// <summary>Cell-level administration: platform operators.</summary>
    public const string Operator = "operator";

    /// <summary>Registers the policies.</summary>
    public static AuthorizationBuilder AddApiPolicies(this AuthorizationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder
            .AddPolicy(InventoryWrite, Grants(new Grant(ActorKind.Integrator, ApiScopes.InventoryWrite)))
            .AddPolicy(InventoryRead, Grants(
                new Grant(ActorKind.Integrator, ApiScopes.InventoryRead, ApiScopes.InventoryWrite), new Grant(ActorKind.Staff, ApiScopes.Support)))
            .AddPolicy(OrdersWrite, Grants(
                new Grant(ActorKind.Integrator, ApiScopes.OrdersWrite), new Grant(ActorKind.Customer, ApiScopes.Customer), new Grant(ActorKind.Staff, ApiScopes.Support)))
            .AddPolicy(OrdersRead, Grants(
                new Grant(ActorKind.Integrator, ApiScopes.OrdersRead, ApiScopes.OrdersWrite), new Grant(ActorKind.Customer, ApiScopes.Customer),
                new Grant(ActorKind.Staff, ApiScopes.Support)))
            .AddPolicy(Customer, Grants(new Grant(ActorKind.Customer, ApiScopes.Customer)))
            .AddPolicy(Checkout, Grants(
                new Grant(ActorKind.Integrator, ApiScopes.OrdersWrite), new Grant(ActorKind.Customer, ApiScopes.Customer), new Grant(ActorKind.Staff, ApiScopes.Support),
                new Grant(ActorKind.Guest, ApiScopes.Guest)))
            .AddPolicy(CheckoutRead, Grants(
                new Grant(ActorKind.Integrator, ApiScopes.OrdersRead, ApiScopes.OrdersWrite), new Grant(ActorKind.Customer, ApiScopes.Customer),
                new Grant(ActorKind.Staff, ApiScopes.Support), new Grant(ActorKind.Guest, ApiScopes.Guest)))
            .AddPolicy(Buyer, Grants(new Grant(ActorKind.Customer, ApiScopes.Customer), new Grant(ActorKind.Guest, ApiScopes.Guest)))
            .AddPolicy(AuditRead, Grants(new Grant(ActorKind.Integrator, ApiScopes.AuditRead), new Grant(ActorKind.Staff, ApiScopes.Support)))
            .AddPolicy(ReportsRead, Grants(new Grant(ActorKind.Integrator, ApiScopes.InventoryRead), new Grant(ActorKind.Staff, ApiScopes.Support)))
            .AddPolicy(WebhooksManage, Grants(new Grant(ActorKind.Integrator, ApiScopes.WebhooksManage), new Grant(ActorKind.Staff, ApiScopes.Support)))
            .AddPolicy(MailboxRead, Grants(new Grant(ActorKind.Integrator, ApiScopes.OrdersRead, ApiScopes.OrdersWrite), new Grant(ActorKind.Staff, ApiScopes.Support)))
            .AddPolicy(WaitingRoomManage, Grants(new Grant(ActorKind.Integrator, ApiScopes.InventoryWrite), new Grant(ActorKind.Staff, ApiScopes.Support)))
            .AddPolicy(CheckIn, Grants(new Grant(ActorKind.Integrator, ApiScopes.CheckIn, ApiScopes.InventoryWrite), new Grant(ActorKind.Staff, ApiScopes.Support)))
            .AddPolicy(SupportTicketsWrite, Grants(new Grant(ActorKind.Integrator, ApiScopes.InventoryWrite), new Grant(ActorKind.Staff, ApiScopes.Support)))
            .AddPolicy(Support, Grants(new Grant(ActorKind.Staff, ApiScopes.Support)))
            .AddPolicy(Operator, Grants(new Grant(ActorKind.Staff, ApiScopes.Operator)));
    }

    private static Action<AuthorizationPolicyBuilder> Grants(params Grant[] grants) =>
        policy => policy.RequireAuthenticatedUser().AddRequirements(new GrantRequirement(grants));
}

/// <summary>A kind of caller and the scopes (any one) that let it through.</summary>
public sealed record Grant(ActorKind Kind, params string[] AnyScope)
{
    /// <summary>Readable form for error messages: <c>integrator with orders:write</c>.</summary>
    public override string ToString() => $"{Kind.ToString().ToLowerInvariant()} with {string.Join(" or ", AnyScope)}";
}

/// <summary>Satisfied when the caller matches one of the grants.</summary>
public sealed class GrantRequirement(IReadOnlyList<Grant> grants) : IAuthorizationRequirement
{
    /// <summary>The grants.</summary>
    public IReadOnlyList<Grant> Grants { get; } = grants;
}

/// <summary>Checks <see cref="GrantRequirement"/> against the request's <see cref="Actor"/>.</summary>
public sealed class GrantRequirementHandler : AuthorizationHandler<GrantRequirement>
{
    /// <inheritdoc />
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, GrantRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(requirement);
        var actor = context.Resource is HttpContext http ? http.GetActor() : Actor.From(context.User);
        if (requirement.Grants.Any(g => g.Kind == actor.Kind && g.AnyScope.Any(actor.Has)))
        {
            context.Succeed(requirement);
        }
        else
        {
            context.Fail(new AuthorizationFailureReason(this, $"Requires {string.Join("; or ", requirement.Grants)}."));
        }

        return Task.CompletedTask;
    }
}
