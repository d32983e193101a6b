using System.Text.Json;
using Npgsql;
using TicketAspire.Inventory.Model;

namespace TicketAspire.Inventory.Services;

/// <summary>
/// One hold's claim as the statements <see cref="HoldSql"/> runs: the customer lock, then the all-or-nothing claim (with
/// the admission token spent in it when the event has a waiting room).
/// </summary>
internal sealed record SeatClaim(
    SeatingKind Seating, Guid EventId, Guid[] Ids, int[] Quantities, int[] Starts, DateTimeOffset Now, Guid HoldId, DateTimeOffset ExpiresAt,
    string CustomerRef, string? CustomerEmail, string Currency, int Limit, Guid? AdmissionTokenId)
{
    /// <summary>The advisory lock key's text; claims in one transaction take their locks in this order.</summary>
    public string LockKey => CustomerRef + ":" + EventId.ToString();

    /// <summary>The lock and the claim, appended to <paramref name="batch"/> (two result sets).</summary>
    public void AddTo(NpgsqlBatch batch)
    {
        batch.BatchCommands.Add(EventCatalog.Command(HoldSql.CustomerLock, CustomerRef, EventId));
        var sql = (Seating, AdmissionTokenId) switch
        {
            (SeatingKind.Reserved, null) => HoldSql.Reserved,
            (SeatingKind.Reserved, _) => HoldSql.ReservedAdmitted,
            (_, null) => HoldSql.GeneralAdmission,
            _ => HoldSql.GeneralAdmissionAdmitted,
        };
        var claim = new NpgsqlBatchCommand(sql);
        claim.Parameters.Add(new() { Value = EventId });
        claim.Parameters.Add(new() { Value = Ids });
        claim.Parameters.Add(new() { Value = Now });
        claim.Parameters.Add(new() { Value = HoldId });
        claim.Parameters.Add(new() { Value = ExpiresAt });
        claim.Parameters.Add(new() { Value = CustomerRef });
        claim.Parameters.Add(new() { Value = Currency });
        claim.Parameters.Add(new() { Value = JsonSerializer.Serialize(new { hold_id = HoldId, event_id = EventId, customer_ref = CustomerRef, expires_at = ExpiresAt }) });
        claim.Parameters.Add(new() { Value = (object?)CustomerEmail ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        // $10, the general-admission quantities, is typed (int[]) so the reserved statement may leave it unused
        claim.Parameters.Add(new() { Value = Quantities });
        claim.Parameters.Add(new() { Value = Limit });
        if (AdmissionTokenId is not null || Seating == SeatingKind.GeneralAdmission)
        {
            // $12 typed even when unused, so the general-admission statement may use $13
            claim.Parameters.Add(new() { Value = (object?)AdmissionTokenId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid });
        }

        if (Seating == SeatingKind.GeneralAdmission)
        {
            claim.Parameters.Add(new() { Value = Starts });
        }

        batch.BatchCommands.Add(claim);
    }

    /// <summary>Reads this claim's two result sets; the reader is on the lock's and ends on the next one (if any).</summary>
    public async Task<ClaimOutcome> ReadAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        await reader.NextResultAsync(ct);
        var seats = new List<HeldSeat>();
        var free = new HashSet<Guid>();
        int? already = null;
        var admissionRefused = false;
        while (await reader.ReadAsync(ct))
        {
            if (reader.IsDBNull(0))
            {
                var n = reader.GetInt64(3);
                admissionRefused |= n == HoldSql.AdmissionRefused;
                already = n == HoldSql.AdmissionRefused ? already : (int)n;
            }
            else if (reader.GetBoolean(0))
            {
                seats.Add(new HeldSeat(reader.GetGuid(1), reader.GetGuid(2), NullableString(reader, 4), NullableString(reader, 5),
                    NullableString(reader, 6), new Money(reader.GetInt64(3), Currency)));
            }
            else
            {
                free.Add(reader.GetGuid(1));
            }
        }

        await reader.NextResultAsync(ct);
        return new ClaimOutcome(seats, free, already, admissionRefused);
    }

    /// <summary>
    /// Runs <paramref name="claims"/> as one batch: one round trip and one implicit transaction (Npgsql sends a single
    /// Sync), so each customer lock is held until every claim of the batch commits, and a failing statement rolls back all.
    /// </summary>
    public static async Task<ClaimOutcome[]> RunAsync(NpgsqlDataSource db, IReadOnlyList<SeatClaim> claims, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var batch = new NpgsqlBatch(conn);
        // Reserved claims each lock their seats in id order, but a batch would lock claim after claim: two batches with
        // crossing seats could deadlock. The batch first locks all its reserved seats in one ordered statement, so
        // batches (and lone claims) always lock seats in one global order.
        var reserved = claims.Where(c => c.Seating == SeatingKind.Reserved).SelectMany(c => c.Ids).Distinct().Order().ToArray();
        var preLock = claims.Count > 1 && reserved.Length > 0;
        if (preLock)
        {
            batch.BatchCommands.Add(EventCatalog.Command(LockSeats, reserved));
        }

        foreach (var claim in claims)
        {
            claim.AddTo(batch);
        }

        var outcomes = new ClaimOutcome[claims.Count];
        await using var reader = await batch.ExecuteReaderAsync(ct);
        if (preLock)
        {
            await reader.NextResultAsync(ct);
        }

        for (var i = 0; i < claims.Count; i++)
        {
            outcomes[i] = await claims[i].ReadAsync(reader, ct);
        }

        return outcomes;
    }

    /// <summary>$1 seat ids: row locks on all of them, taken in id order.</summary>
    private const string LockSeats = "SELECT count(*) FROM (SELECT 1 FROM seats WHERE id = ANY($1) ORDER BY id FOR UPDATE) locked";

    private static string? NullableString(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
}

/// <summary>
/// What a claim did: the seats it holds (all requested, or none), the requested seats that were free when it could not
/// complete, the customer's count when the purchase limit refused it, and whether the admission entry was unusable.
/// </summary>
internal sealed record ClaimOutcome(List<HeldSeat> Seats, HashSet<Guid> Free, int? Already, bool AdmissionRefused);
