using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Events;
using TicketAspire.Inventory.Infrastructure;
using TicketAspire.Inventory.Orders;
using TicketAspire.Inventory.Pricing;
using TicketAspire.Inventory.Vouchers;

namespace TicketAspire.Inventory.Holds;

/// <summary>
/// One hold's claim as the statements <see cref="ClaimSql"/> runs: the customer lock, then the all-or-nothing claim (with
/// the admission token spent in it when the event has a waiting room); with a <paramref name="VoucherCode"/>, the voucher's
/// row lock between them and its redemption inside the claim.
/// </summary>
internal sealed record SeatClaim(
    SeatingKind Seating, Guid EventId, Guid[] Ids, int[] Quantities, int[] Starts, DateTimeOffset Now, Guid HoldId, DateTimeOffset ExpiresAt,
    string CustomerRef, string? CustomerEmail, string Currency, int Limit, Guid? AdmissionTokenId, PriceRange? Pricing = null,
    string? VoucherCode = null)
{
    /// <summary>The advisory lock key's text; claims in one transaction take their locks in this order.</summary>
    public string LockKey => CustomerRef + ":" + EventId.ToString();

    /// <summary>The lock(s) and the claim, appended to <paramref name="batch"/> (two result sets, three with a voucher).</summary>
    public void AddTo(NpgsqlBatch batch)
    {
        batch.BatchCommands.Add(ClaimSql.CustomerLock.Command([Named("customer_ref", CustomerRef), Named("event_id", EventId)]));
        if (VoucherCode is { } code)
        {
            batch.BatchCommands.Add(ClaimSql.VoucherLock.Command([Named("event_id", EventId), Named("voucher_code", code)]));
        }

        List<NpgsqlParameter> parameters =
        [
            Named("event_id", EventId),
            Named("now", Now),
            Named("hold_id", HoldId),
            Named("expires_at", ExpiresAt),
            Named("customer_ref", CustomerRef),
            Named("customer_email", (object?)CustomerEmail ?? DBNull.Value, NpgsqlDbType.Text),
            Named("currency", Currency),
            Named("limit", Limit),
            Named("dynamic_pricing", Pricing is not null),
            Named("min_bp", (Pricing?.MinPercent ?? 100) * 100),
            Named("max_bp", (Pricing?.MaxPercent ?? 100) * 100),
            Named("outbox_payload", JsonSerializer.Serialize(new { hold_id = HoldId, event_id = EventId, customer_ref = CustomerRef, expires_at = ExpiresAt })),
        ];
        if (Seating == SeatingKind.Reserved)
        {
            parameters.Add(Named("seat_ids", Ids));
        }
        else
        {
            parameters.Add(Named("class_ids", Ids));
            parameters.Add(Named("quantities", Quantities));
            parameters.Add(Named("starts", Starts));
        }

        if (AdmissionTokenId is { } token)
        {
            parameters.Add(Named("admission_token_id", token));
        }

        if (VoucherCode is { } voucher)
        {
            parameters.Add(Named("voucher_code", voucher));
        }

        batch.BatchCommands.Add(ClaimSql.For(Seating, AdmissionTokenId is not null, VoucherCode is not null).Command(parameters));
    }

    /// <summary>Reads this claim's result sets; the reader is on the customer lock's and ends on the next one (if any).</summary>
    public async Task<ClaimOutcome> ReadAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        await reader.NextResultAsync(ct);
        if (VoucherCode is not null)
        {
            await reader.NextResultAsync(ct);
        }

        var seats = new List<HeldSeat>();
        var free = new HashSet<Guid>();
        int? already = null;
        var admissionRefused = false;
        VoucherRefusal? voucherRefused = null;
        var multiplier = DemandPricing.FaceValue;
        var withDiscount = VoucherCode is not null;
        while (await reader.ReadAsync(ct))
        {
            if (reader.IsDBNull(0))
            {
                var n = reader.GetInt64(3);
                if (n == ClaimSql.VoucherRefused)
                {
                    voucherRefused = (VoucherRefusal)reader.GetInt64(9);
                    continue;
                }

                admissionRefused |= n == ClaimSql.AdmissionRefused;
                already = n == ClaimSql.AdmissionRefused ? already : (int)n;
            }
            else if (reader.GetBoolean(0))
            {
                seats.Add(new HeldSeat(reader.GetGuid(1), reader.GetGuid(2), NullableString(reader, 4), NullableString(reader, 5),
                    NullableString(reader, 6), new Money(reader.GetInt64(3), Currency), new Money(reader.GetInt64(7), Currency),
                    withDiscount ? new Money(reader.GetInt64(9), Currency) : null));
                multiplier = reader.GetInt32(8);
            }
            else
            {
                free.Add(reader.GetGuid(1));
            }
        }

        await reader.NextResultAsync(ct);
        return new ClaimOutcome(seats, free, already, admissionRefused, multiplier, voucherRefused);
    }

    /// <summary>
    /// Runs <paramref name="claims"/> as one batch: one round trip and one implicit transaction (Npgsql sends a single
    /// Sync), so each customer lock is held until every claim of the batch commits, and a failing statement rolls back all.
    /// </summary>
    public static async Task<ClaimOutcome[]> RunAsync(NpgsqlDataSource db, IReadOnlyList<SeatClaim> claims, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await RunAsync(conn, null, claims, ct);
    }

    /// <summary>
    /// As <see cref="RunAsync(NpgsqlDataSource, IReadOnlyList{SeatClaim}, CancellationToken)"/>, on <paramref name="conn"/>
    /// inside <paramref name="tx"/> when there is one: the claims commit (and their customer locks are released) with it.
    /// </summary>
    public static async Task<ClaimOutcome[]> RunAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, IReadOnlyList<SeatClaim> claims, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(conn, tx);
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

    private static NpgsqlParameter Named(string name, object value, NpgsqlDbType? type = null)
    {
        var p = new NpgsqlParameter { ParameterName = name, Value = value };
        if (type is { } t)
        {
            p.NpgsqlDbType = t;
        }

        return p;
    }

    private static string? NullableString(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
}

/// <summary>
/// What a claim did: the seats it holds (all requested, or none), the requested seats that were free when it could not
/// complete, the customer's count when the purchase limit refused it, whether the admission entry was unusable, the
/// price multiplier the claim applied (basis points of face value), and why the voucher was refused, if it was.
/// </summary>
internal sealed record ClaimOutcome(
    List<HeldSeat> Seats, HashSet<Guid> Free, int? Already, bool AdmissionRefused, int Multiplier = DemandPricing.FaceValue, VoucherRefusal? VoucherRefused = null);
