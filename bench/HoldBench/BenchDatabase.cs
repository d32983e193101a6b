using Npgsql;

namespace TicketAspire.Bench.HoldBench;

/// <summary>Straight-to-Postgres reads of the reseller database: verification and server counters.</summary>
public sealed class BenchDatabase(string serverConnectionString, string database) : IAsyncDisposable
{
    private readonly NpgsqlDataSource _db = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(serverConnectionString)
    {
        Database = database,
        ApplicationName = "holdbench",
        Pooling = true,
        MaxPoolSize = 4,
    }.ConnectionString);

    /// <summary>The database name.</summary>
    public string Name => database;

    /// <summary>One scalar.</summary>
    public async Task<T> ScalarAsync<T>(string sql, CancellationToken ct, params object[] args)
    {
        await using var cmd = _db.CreateCommand(sql);
        foreach (var a in args)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = a });
        }

        var value = await cmd.ExecuteScalarAsync(ct);
        return value is T t ? t : (T)Convert.ChangeType(value!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Runs a statement.</summary>
    public async Task ExecuteAsync(string sql, CancellationToken ct)
    {
        await using var cmd = _db.CreateCommand(sql);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Committed transactions of this database (pg_stat_database, flushed by backends at least once a second when busy).</summary>
    public Task<long> CommittedTransactionsAsync(CancellationToken ct) =>
        ScalarAsync<long>("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()", ct);

    /// <summary>Seats of <paramref name="eventId"/> on an unexpired hold, and holds of the event.</summary>
    public async Task<(long HeldSeats, long Holds, long HoldItems)> HeldAsync(Guid eventId, CancellationToken ct) =>
        (await ScalarAsync<long>("SELECT count(*) FROM seats WHERE event_id = $1 AND status = 1 AND hold_expires_at > now()", ct, eventId),
         await ScalarAsync<long>("SELECT count(*) FROM holds WHERE event_id = $1 AND status = 0", ct, eventId),
         await ScalarAsync<long>("SELECT count(*) FROM hold_items i JOIN holds h ON h.id = i.hold_id WHERE h.event_id = $1", ct, eventId));

    /// <summary>Database-wide invariants; each entry is a check and whether it held.</summary>
    public async Task<IReadOnlyList<(string Check, long Violations)>> InvariantsAsync(CancellationToken ct) =>
    [
        ("seats on two or more live holds", await ScalarAsync<long>("""
            SELECT count(*) FROM (SELECT i.seat_id FROM hold_items i JOIN holds h ON h.id = i.hold_id
                                  WHERE h.status = 0 AND h.expires_at > now() GROUP BY i.seat_id HAVING count(*) > 1) d
            """, ct)),
        ("seats with two or more valid tickets", await ScalarAsync<long>(
            "SELECT count(*) FROM (SELECT seat_id FROM tickets WHERE status = 'valid' GROUP BY seat_id HAVING count(*) > 1) d", ct)),
        ("held seats whose hold_id is not a live hold listing that seat", await ScalarAsync<long>("""
            SELECT count(*) FROM seats s WHERE s.status = 1 AND NOT EXISTS (
                SELECT 1 FROM hold_items i JOIN holds h ON h.id = i.hold_id WHERE i.seat_id = s.id AND h.id = s.hold_id AND h.status = 0)
            """, ct)),
        ("live hold items whose seat is not held by that hold", await ScalarAsync<long>("""
            SELECT count(*) FROM hold_items i JOIN holds h ON h.id = i.hold_id JOIN seats s ON s.id = i.seat_id
            WHERE h.status = 0 AND h.expires_at > now() AND (s.status <> 1 OR s.hold_id IS DISTINCT FROM h.id)
            """, ct)),
    ];

    /// <summary>What a general-admission on-sale left in the database for <paramref name="eventId"/>.</summary>
    public async Task<OnSaleCounts> OnSaleAsync(Guid eventId, CancellationToken ct) => new(
        ValidTickets: await ScalarAsync<long>("SELECT count(*) FROM tickets WHERE event_id = $1 AND status = 'valid'", ct, eventId),
        SoldSeats: await ScalarAsync<long>("SELECT count(*) FROM seats WHERE event_id = $1 AND status = 2", ct, eventId),
        HeldSeats: await ScalarAsync<long>("SELECT count(*) FROM seats WHERE event_id = $1 AND status = 1", ct, eventId),
        Orders: await ScalarAsync<long>("SELECT count(*) FROM orders WHERE event_id = $1", ct, eventId),
        SeatsSoldTwice: await ScalarAsync<long>(
            "SELECT count(*) FROM (SELECT seat_id FROM tickets WHERE event_id = $1 AND status = 'valid' GROUP BY seat_id HAVING count(*) > 1) d", ct, eventId),
        SoldSeatsWithoutOneTicket: await ScalarAsync<long>("""
            SELECT count(*) FROM seats s WHERE s.event_id = $1 AND s.status = 2
              AND (SELECT count(*) FROM tickets t WHERE t.seat_id = s.id AND t.status = 'valid') <> 1
            """, ct, eventId),
        CustomersWithTwoOrders: await ScalarAsync<long>(
            "SELECT count(*) FROM (SELECT customer_ref FROM orders WHERE event_id = $1 GROUP BY customer_ref HAVING count(*) > 1) d", ct, eventId),
        QueueEntries: await ScalarAsync<long>("SELECT count(*) FROM queue_entries WHERE event_id = $1", ct, eventId),
        Admitted: await ScalarAsync<long>("SELECT count(*) FROM queue_entries WHERE event_id = $1 AND admitted_at IS NOT NULL", ct, eventId),
        Used: await ScalarAsync<long>("SELECT count(*) FROM queue_entries WHERE event_id = $1 AND used_at IS NOT NULL", ct, eventId),
        AdmissionSpanSeconds: await ScalarAsync<double>(
            "SELECT coalesce(extract(epoch FROM max(admitted_at) - min(admitted_at))::float8, 0) FROM queue_entries WHERE event_id = $1", ct, eventId));

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _db.DisposeAsync();
}

/// <summary>Counts of one on-sale event, straight from Postgres.</summary>
public sealed record OnSaleCounts(
    long ValidTickets, long SoldSeats, long HeldSeats, long Orders, long SeatsSoldTwice, long SoldSeatsWithoutOneTicket,
    long CustomersWithTwoOrders, long QueueEntries, long Admitted, long Used, double AdmissionSpanSeconds);
