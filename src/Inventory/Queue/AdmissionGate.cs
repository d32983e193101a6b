using Npgsql;
using TicketAspire.Inventory.Model;

namespace TicketAspire.Inventory.Queue;

/// <summary>
/// The hold endpoint's door for events with a waiting room: checks the admission token (signature, expiry, event,
/// customer) and spends it in the transaction the hold is claimed in. Events without a room pass at the cost of a cache
/// lookup.
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
    /// Admits <paramref name="customerRef"/> to hold on <paramref name="eventId"/> with <paramref name="token"/>; the
    /// lease's transaction has the entry marked used (with <paramref name="holdId"/>) until it is completed or disposed.
    /// </summary>
    public async Task<AdmissionLease> EnterAsync(Guid eventId, string customerRef, string? token, Guid holdId, DateTimeOffset now, CancellationToken ct)
    {
        if (!await IsRequiredAsync(eventId, ct))
        {
            return AdmissionLease.NotRequired;
        }

        var check = tokens.Verify(token, reseller, eventId, customerRef, now);
        if (check.Failure is { } failure)
        {
            return AdmissionLease.Refused(Refusal(failure));
        }

        var conn = await db.OpenConnectionAsync(ct);
        try
        {
            var tx = await conn.BeginTransactionAsync(ct);
            // waits for a concurrent hold with the same token; once that one commits, this finds the entry used
            await using var spend = new NpgsqlCommand("""
                UPDATE queue_entries SET used_at = $4, hold_id = $5
                WHERE token_id = $1 AND event_id = $2 AND customer_ref = $3 AND used_at IS NULL AND token_expires_at > $4
                """, conn, tx);
            spend.Parameters.Add(new() { Value = check.Claims!.TokenId });
            spend.Parameters.Add(new() { Value = eventId });
            spend.Parameters.Add(new() { Value = customerRef });
            spend.Parameters.Add(new() { Value = now });
            spend.Parameters.Add(new() { Value = holdId });
            if (await spend.ExecuteNonQueryAsync(ct) == 1)
            {
                return AdmissionLease.Admitted(conn, tx);
            }

            await tx.RollbackAsync(ct);
            await using var why = new NpgsqlCommand("SELECT used_at IS NOT NULL, token_expires_at <= $2 FROM queue_entries WHERE token_id = $1", conn);
            why.Parameters.Add(new() { Value = check.Claims.TokenId });
            why.Parameters.Add(new() { Value = now });
            await using var reader = await why.ExecuteReaderAsync(ct);
            var refusal = !await reader.ReadAsync(ct) ? Refusal(AdmissionFailure.Invalid)
                : reader.GetBoolean(0) ? Refusal(AdmissionFailure.Used)
                : reader.GetBoolean(1) ? Refusal(AdmissionFailure.Expired)
                : Refusal(AdmissionFailure.Invalid);
            await reader.DisposeAsync();
            await conn.DisposeAsync();
            return AdmissionLease.Refused(refusal);
        }
        catch
        {
            await conn.DisposeAsync();
            throw;
        }
    }

    private static InventoryError Refusal(AdmissionFailure failure) => failure switch
    {
        AdmissionFailure.Missing => new(ErrorCodes.AdmissionRequired,
            "This event has a waiting room: join the queue (POST /v1/queue/events/{id}/join) and send the admission token you get when admitted (header Admission-Token)."),
        AdmissionFailure.Used => new(ErrorCodes.AdmissionTokenUsed, "This admission was already used for a hold."),
        AdmissionFailure.Expired => new(ErrorCodes.AdmissionTokenExpired, "This admission token has expired; read your queue entry again for a fresh one while your purchase window lasts."),
        AdmissionFailure.OtherEvent => new(ErrorCodes.AdmissionTokenInvalid, "This admission token is for another event."),
        AdmissionFailure.OtherCustomer => new(ErrorCodes.AdmissionTokenInvalid, "This admission token was issued to another customer."),
        _ => new(ErrorCodes.AdmissionTokenInvalid, "The admission token is not valid."),
    };
}
