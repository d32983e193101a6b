using Npgsql;
using TicketAspire.Inventory.Model;

namespace TicketAspire.Inventory.Queue;

/// <summary>
/// The hold endpoint's door for events with a waiting room: checks the admission token (signature, expiry, event,
/// customer) before the claim, which spends it in the hold's own statement. Events without a room pass at the cost of a
/// cache lookup.
/// </summary>
public sealed class AdmissionGate(NpgsqlDataSource db, AdmissionTokens tokens, string reseller, WaitingRoomCache cache)
{
    /// <summary>True when <paramref name="eventId"/> has an enabled waiting room (cached for a few seconds).</summary>
    public async Task<bool> IsRequiredAsync(Guid eventId, CancellationToken ct)
    {
        if (cache.Get(db.ConnectionString, eventId) is { } known)
        {
            return known;
        }

        await using var cmd = db.CreateCommand("SELECT enabled FROM waiting_rooms WHERE event_id = $1");
        cmd.Parameters.Add(new() { Value = eventId });
        var enabled = await cmd.ExecuteScalarAsync(ct) is true;
        cache.Set(db.ConnectionString, eventId, enabled);
        return enabled;
    }

    /// <summary>
    /// Checks <paramref name="token"/> for <paramref name="customerRef"/> on <paramref name="eventId"/> (signature, expiry,
    /// event, customer): no token id when the event has no waiting room, a refusal when the token does not fit. The token
    /// is spent by the claim statement itself (<see cref="Holds.HoldService"/>), in the transaction that makes the hold.
    /// </summary>
    public async Task<AdmissionCheckResult> CheckAsync(Guid eventId, string customerRef, string? token, DateTimeOffset now, CancellationToken ct)
    {
        if (!await IsRequiredAsync(eventId, ct))
        {
            return AdmissionCheckResult.NotRequired;
        }

        var check = tokens.Verify(token, reseller, eventId, customerRef, now);
        return check.Failure is { } failure ? new(null, Refusal(failure)) : new(check.Claims!.TokenId, null);
    }

    /// <summary>Why a claim found the queue entry of <paramref name="tokenId"/> unusable: used, expired or unknown.</summary>
    public async Task<InventoryError> RefusalAsync(Guid tokenId, DateTimeOffset now, CancellationToken ct)
    {
        await using var why = db.CreateCommand("SELECT used_at IS NOT NULL, token_expires_at <= $2 FROM queue_entries WHERE token_id = $1");
        why.Parameters.Add(new() { Value = tokenId });
        why.Parameters.Add(new() { Value = now });
        await using var reader = await why.ExecuteReaderAsync(ct);
        return !await reader.ReadAsync(ct) ? Refusal(AdmissionFailure.Invalid)
            : reader.GetBoolean(0) ? Refusal(AdmissionFailure.Used)
            : reader.GetBoolean(1) ? Refusal(AdmissionFailure.Expired)
            : Refusal(AdmissionFailure.Invalid);
    }

    private static InventoryError Refusal(AdmissionFailure failure) => failure switch
    {
        AdmissionFailure.Missing => new(ErrorCodes.AdmissionRequired,
            "This event has a waiting room: join its queue and present the admission token you get when admitted."),
        AdmissionFailure.Used => new(ErrorCodes.AdmissionTokenUsed, "This admission was already used for a hold."),
        AdmissionFailure.Expired => new(ErrorCodes.AdmissionTokenExpired, "This admission token has expired; read your queue entry again for a fresh one while your purchase window lasts."),
        AdmissionFailure.OtherEvent => new(ErrorCodes.AdmissionTokenInvalid, "This admission token is for another event."),
        AdmissionFailure.OtherCustomer => new(ErrorCodes.AdmissionTokenInvalid, "This admission token was issued to another customer."),
        _ => new(ErrorCodes.AdmissionTokenInvalid, "The admission token is not valid."),
    };
}

/// <summary>
/// The admission check before a claim: <see cref="TokenId"/> is the queue entry the claim must spend (null: no waiting
/// room), or <see cref="Error"/> says why the hold is refused.
/// </summary>
public sealed record AdmissionCheckResult(Guid? TokenId, InventoryError? Error)
{
    /// <summary>The event has no waiting room.</summary>
    public static AdmissionCheckResult NotRequired { get; } = new(null, null);
}
