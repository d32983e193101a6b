using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TicketAspire.Api.Infrastructure.Security;
using TicketAspire.Tenancy.Rules;

namespace TicketAspire.Api.Infrastructure.Rules;

/// <summary>
/// The guest checkout rule at hold time. Where it is off for the reseller, a hold needs a signed-in end user: the caller is
/// the end user (their token), or a back end (integrator, support) names one with <c>customer_ref = user:&lt;id&gt;</c> of an
/// account of the reseller's user base. A customer reference of the reseller's own (an anonymous buyer) and a guest of the
/// storefront (a guest token) are refused.
/// </summary>
public sealed class GuestCheckoutGuard(RuleBook rules, ResellerStorage storage)
{
    /// <summary>Stable problem code of the refusal.</summary>
    public const string Code = "guest_checkout_forbidden";

    /// <summary>Null when <paramref name="actor"/> may hold for <paramref name="customerRef"/>; otherwise the refusal.</summary>
    public async Task<ProblemHttpResult?> CheckAsync(Actor actor, string? customerRef, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.Kind == ActorKind.Customer || await rules.GuestCheckoutAsync(ct))
        {
            return null;
        }

        if (customerRef is { } reference && reference.StartsWith("user:", StringComparison.Ordinal)
            && Guid.TryParse(reference.AsSpan(5), out var userId) && await AccountExistsAsync(userId, ct))
        {
            return null;
        }

        return TypedResults.Problem(new ProblemDetails
        {
            Type = Problems.TypeBase + Code,
            Title = "Guest checkout is not allowed",
            Status = StatusCodes.Status403Forbidden,
            Detail = "This reseller's jurisdiction does not allow guest checkout: hold seats as a signed-in end user, or name one "
                + "with customer_ref 'user:<id>' of an account of this reseller (GET /v1/rules tells what applies).",
            Extensions = { ["code"] = Code, ["rule"] = "guest_checkout" },
        });
    }

    private async Task<bool> AccountExistsAsync(Guid userId, CancellationToken ct)
    {
        await using var cmd = storage.Db.CreateCommand("SELECT EXISTS (SELECT 1 FROM users WHERE id = $1)");
        cmd.Parameters.Add(new() { Value = userId });
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }
}
