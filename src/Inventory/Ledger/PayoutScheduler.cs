using System.Text.Json;
using Npgsql;
using TicketAspire.Inventory.Fees;

namespace TicketAspire.Inventory.Ledger;

/// <summary>
/// Pays out events whose payout date (start + <see cref="FeePlan.PayoutDelayDays"/>) has passed: for each such event
/// with a positive <c>reseller_payable</c> balance, one transaction records a payout (at most one per event and UTC day,
/// table <c>payouts</c>), posts its journal entry for the whole balance and writes <c>payout.scheduled</c> to the outbox.
/// Running it again the same day pays nothing twice.
/// </summary>
public sealed class PayoutScheduler(NpgsqlDataSource db, TimeProvider time)
{
    /// <summary>Outbox topic of a new payout (payload: payout_id, event_id, amount, currency).</summary>
    public const string Topic = "payout.scheduled";

    /// <summary>Posts the payouts due now; returns how many were posted.</summary>
    public async Task<int> RunDueAsync(FeePlan plan, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var now = time.GetUtcNow();
        var due = new List<Guid>();
        await using (var cmd = db.CreateCommand("""
            SELECT l.event_id
            FROM journal_lines l JOIN events ev ON ev.id = l.event_id
            WHERE l.account = 'reseller_payable' AND ev.starts_at + make_interval(days => $1) <= $2
            GROUP BY l.event_id
            HAVING sum(l.credit_minor - l.debit_minor) > 0
            """))
        {
            cmd.Parameters.Add(new() { Value = plan.PayoutDelayDays });
            cmd.Parameters.Add(new() { Value = now });
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                due.Add(reader.GetGuid(0));
            }
        }

        var posted = 0;
        foreach (var eventId in due)
        {
            posted += await PayAsync(eventId, now, ct) ? 1 : 0;
        }

        return posted;
    }

    private async Task<bool> PayAsync(Guid eventId, DateTimeOffset now, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        // serialize payouts of one event, so the balance read below is not paid twice by concurrent runs
        await using (var lockCmd = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended('payout:' || $1::text, 0))", conn, tx))
        {
            lockCmd.Parameters.Add(new() { Value = eventId });
            await lockCmd.ExecuteNonQueryAsync(ct);
        }

        long amount;
        string currency;
        await using (var balance = new NpgsqlCommand("""
            SELECT coalesce(sum(l.credit_minor - l.debit_minor), 0)::bigint, ev.currency
            FROM events ev LEFT JOIN journal_lines l ON l.event_id = ev.id AND l.account = 'reseller_payable'
            WHERE ev.id = $1 GROUP BY ev.currency
            """, conn, tx))
        {
            balance.Parameters.Add(new() { Value = eventId });
            await using var reader = await balance.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                return false;
            }

            (amount, currency) = (reader.GetInt64(0), reader.GetString(1));
        }

        if (amount <= 0)
        {
            return false;
        }

        var payoutId = Guid.CreateVersion7(now);
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO payouts (id, event_id, run_date, amount_minor, currency, created_at) VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (event_id, run_date) DO NOTHING
            """, conn, tx))
        {
            insert.Parameters.Add(new() { Value = payoutId });
            insert.Parameters.Add(new() { Value = eventId });
            insert.Parameters.Add(new() { Value = DateOnly.FromDateTime(now.UtcDateTime) });
            insert.Parameters.Add(new() { Value = amount });
            insert.Parameters.Add(new() { Value = currency });
            insert.Parameters.Add(new() { Value = now });
            if (await insert.ExecuteNonQueryAsync(ct) == 0)
            {
                return false;   // this event was paid out today already
            }
        }

        await Ledger.PostAsync(conn, tx, Postings.Payout(payoutId, eventId, amount, currency, now), ct);
        await using (var outbox = new NpgsqlCommand(
            "INSERT INTO outbox (topic, aggregate_id, event_id, payload, created_at) VALUES ($1, $2, $3, $4::jsonb, $5)", conn, tx))
        {
            outbox.Parameters.Add(new() { Value = Topic });
            outbox.Parameters.Add(new() { Value = payoutId });
            outbox.Parameters.Add(new() { Value = eventId });
            outbox.Parameters.Add(new()
            {
                Value = JsonSerializer.Serialize(new { payout_id = payoutId, event_id = eventId, amount, currency }),
            });
            outbox.Parameters.Add(new() { Value = now });
            await outbox.ExecuteNonQueryAsync(ct);
        }

        await tx.CommitAsync(ct);
        return true;
    }
}
