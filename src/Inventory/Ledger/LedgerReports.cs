using Npgsql;
using NpgsqlTypes;
using TicketAspire.Inventory.Fees;

namespace TicketAspire.Inventory.Ledger;

/// <summary>
/// The reseller's reports, all queries over the ledger (names of events and classes joined for labels). Periods are
/// half-open on the entries' occurrence time: <c>from</c> ≤ occurred_at &lt; <c>to</c>, either bound optional.
/// </summary>
public sealed class LedgerReports(NpgsqlDataSource db)
{
    // aggregates over l (journal_lines) joined to e (journal_entries); reseller = payable + reserve
    private const string Totals = """
        coalesce(sum(CASE e.kind WHEN 'sale' THEN l.quantity ELSE -l.quantity END)
            FILTER (WHERE l.class_id IS NOT NULL AND l.account IN ('reseller_payable', 'reseller_reserve')), 0)::bigint AS tickets,
        coalesce(sum(l.credit_minor) FILTER (WHERE e.kind = 'sale' AND l.account = 'reseller_payable'), 0)::bigint AS gross,
        coalesce(sum(l.credit_minor - l.debit_minor) FILTER (WHERE l.account = 'platform_fees'), 0)::bigint AS platform,
        coalesce(sum(l.credit_minor - l.debit_minor) FILTER (WHERE l.account = 'processing_fees_payable'), 0)::bigint AS processing,
        coalesce(sum(l.credit_minor - l.debit_minor) FILTER (WHERE l.account = 'tax_payable'), 0)::bigint AS tax,
        coalesce(sum(l.debit_minor - l.credit_minor) FILTER (WHERE e.kind = 'refund' AND l.account IN ('reseller_payable', 'reseller_reserve')), 0)::bigint AS refunds,
        coalesce(sum(l.debit_minor - l.credit_minor) FILTER (WHERE e.kind = 'chargeback' AND l.account IN ('reseller_payable', 'reseller_reserve')), 0)::bigint AS chargebacks
        """;

    // the vouchers' discounts on sales (debit lines of reseller_payable that name a voucher)
    private const string Discounts = """
        coalesce(sum(l.debit_minor) FILTER (WHERE e.kind = 'sale' AND l.account = 'reseller_payable' AND l.voucher_id IS NOT NULL), 0)::bigint AS discounts
        """;

    private const string Period = "e.currency = $1 AND ($2::timestamptz IS NULL OR e.occurred_at >= $2) AND ($3::timestamptz IS NULL OR e.occurred_at < $3)";

    /// <summary>Sales, fees, refunds and chargebacks of the period in <paramref name="currency"/>, grouped by event, class or day (see <see cref="SalesRow"/>).</summary>
    public async Task<IReadOnlyList<SalesRow>> SalesAsync(string currency, DateTimeOffset? from, DateTimeOffset? to, SalesGrouping groupBy, CancellationToken ct)
    {
        var (key, join, label, order) = groupBy switch
        {
            SalesGrouping.Event => ("l.event_id", "LEFT JOIN events ev ON ev.id = g.key", "coalesce(ev.name, g.key::text, '')", "ev.starts_at, g.key"),
            SalesGrouping.Class => ("l.class_id",
                "LEFT JOIN ticket_classes tc ON tc.id = g.key LEFT JOIN events ev ON ev.id = tc.event_id",
                "CASE WHEN g.key IS NULL THEN 'Order fees and adjustments' ELSE coalesce(ev.name || ' / ' || tc.name, g.key::text) END",
                "g.key IS NULL, ev.starts_at, tc.name, g.key"),
            SalesGrouping.Day => ("(e.occurred_at AT TIME ZONE 'UTC')::date", "", "to_char(g.key, 'YYYY-MM-DD')", "g.key"),
            _ => throw new ArgumentOutOfRangeException(nameof(groupBy), groupBy, null),
        };
        var keyText = groupBy == SalesGrouping.Day ? "to_char(g.key, 'YYYY-MM-DD')" : "g.key::text";
        await using var cmd = db.CreateCommand($"""
            WITH g AS (
                SELECT {key} AS key, {Totals}, {Discounts}
                FROM journal_lines l JOIN journal_entries e ON e.id = l.entry_id
                WHERE e.kind IN ('sale', 'refund', 'chargeback', 'resale') AND {Period}
                GROUP BY 1)
            SELECT {keyText}, {label}, g.tickets, g.gross, g.platform, g.processing, g.tax, g.refunds, g.chargebacks, g.discounts
            FROM g {join}
            ORDER BY {order}
            """);
        AddPeriod(cmd, currency, from, to);
        var rows = new List<SalesRow>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var (gross, refunds, chargebacks, discounts) = (reader.GetInt64(3), reader.GetInt64(7), reader.GetInt64(8), reader.GetInt64(9));
            rows.Add(new SalesRow(reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetString(1), reader.GetInt64(2), gross,
                reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6), refunds, chargebacks, checked(gross - discounts - refunds - chargebacks), currency,
                discounts));
        }

        return rows;
    }

    /// <summary>The statement of the period in <paramref name="currency"/>, with every account's balance as of <paramref name="to"/> (see <see cref="LedgerStatement"/>).</summary>
    public async Task<LedgerStatement> StatementAsync(string currency, DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var batch = new NpgsqlBatch(conn)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand($"""
                    SELECT {Totals},
                        coalesce(sum(l.credit_minor) FILTER (WHERE e.kind = 'chargeback' AND l.account = 'processing_fees_payable'
                            AND NOT EXISTS (SELECT 1 FROM journal_entries r WHERE r.order_id = e.order_id AND r.kind = 'resale')), 0)::bigint,
                        coalesce(sum(l.credit_minor - l.debit_minor) FILTER (WHERE e.kind = 'fraud_reserve' AND l.account = 'reseller_reserve'), 0)::bigint,
                        coalesce(sum(l.debit_minor - l.credit_minor) FILTER (WHERE e.kind = 'payout' AND l.account = 'reseller_payable'), 0)::bigint,
                        {Discounts}
                    FROM journal_lines l JOIN journal_entries e ON e.id = l.entry_id
                    WHERE {Period}
                    """),
                new NpgsqlBatchCommand("""
                    SELECT l.account, coalesce(sum(l.debit_minor), 0)::bigint, coalesce(sum(l.credit_minor), 0)::bigint
                    FROM journal_lines l JOIN journal_entries e ON e.id = l.entry_id
                    WHERE e.currency = $1 AND ($2::timestamptz IS NULL OR e.occurred_at < $2)
                    GROUP BY l.account
                    """),
            },
        };
        AddPeriod(batch.BatchCommands[0], currency, from, to);
        batch.BatchCommands[1].Parameters.Add(new() { Value = currency });
        batch.BatchCommands[1].Parameters.Add(Timestamp(to));
        await using var reader = await batch.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var t = Enumerable.Range(0, 11).Select(reader.GetInt64).ToArray();
        await reader.NextResultAsync(ct);
        var sums = new Dictionary<LedgerAccount, (long Debits, long Credits)>();
        while (await reader.ReadAsync(ct))
        {
            sums[LedgerAccounts.Parse(reader.GetString(0))] = (reader.GetInt64(1), reader.GetInt64(2));
        }

        var balances = LedgerAccounts.All.Select(a =>
        {
            var (d, c) = sums.GetValueOrDefault(a);
            return new AccountBalance(a, d, c, LedgerAccounts.IsDebitNormal(a) ? checked(d - c) : checked(c - d));
        }).ToList();
        var (debits, credits) = (balances.Sum(b => b.Debits), balances.Sum(b => b.Credits));
        return new LedgerStatement(from, to, currency, t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], t[8], t[9], checked(t[1] - t[10] - t[5] - t[6]),
            balances, balances.Single(b => b.Account == LedgerAccount.ResellerPayable).Balance,
            balances.Single(b => b.Account == LedgerAccount.ResellerReserve).Balance, debits, credits, debits == credits, t[10]);
    }

    /// <summary>
    /// For every event with a nonzero <c>reseller_payable</c> balance, when and how much it will pay out (its start plus
    /// <see cref="FeePlan.PayoutDelayDays"/>, or <paramref name="now"/> once that has passed); and the payouts made.
    /// </summary>
    public async Task<PayoutForecast> PayoutForecastAsync(FeePlan plan, string currency, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(plan);
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var batch = new NpgsqlBatch(conn)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("""
                    SELECT ev.id, ev.name, ev.starts_at, sum(l.credit_minor - l.debit_minor)::bigint
                    FROM journal_lines l JOIN journal_entries e ON e.id = l.entry_id JOIN events ev ON ev.id = l.event_id
                    WHERE l.account = 'reseller_payable' AND e.currency = $1
                    GROUP BY ev.id, ev.name, ev.starts_at
                    HAVING sum(l.credit_minor - l.debit_minor) <> 0
                    ORDER BY ev.starts_at, ev.id
                    """) { Parameters = { new() { Value = currency } } },
                new NpgsqlBatchCommand("""
                    SELECT e.source_id, e.event_id, ev.name, e.occurred_at, sum(l.debit_minor)::bigint
                    FROM journal_entries e JOIN journal_lines l ON l.entry_id = e.id AND l.account = 'reseller_payable'
                    LEFT JOIN events ev ON ev.id = e.event_id
                    WHERE e.kind = 'payout' AND e.currency = $1
                    GROUP BY e.id, e.source_id, e.event_id, ev.name, e.occurred_at
                    ORDER BY e.occurred_at DESC, e.id DESC
                    """) { Parameters = { new() { Value = currency } } },
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(ct);
        var upcoming = new List<UpcomingPayout>();
        while (await reader.ReadAsync(ct))
        {
            var (startsAt, amount) = (reader.GetFieldValue<DateTimeOffset>(2), reader.GetInt64(3));
            var date = startsAt.AddDays(plan.PayoutDelayDays);
            upcoming.Add(amount < 0
                ? new UpcomingPayout(reader.GetGuid(0), reader.GetString(1), startsAt, null, amount, "owed")
                : new UpcomingPayout(reader.GetGuid(0), reader.GetString(1), startsAt, date > now ? date : now, amount, date > now ? "scheduled" : "due"));
        }

        await reader.NextResultAsync(ct);
        var paid = new List<PastPayout>();
        while (await reader.ReadAsync(ct))
        {
            paid.Add(new PastPayout(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetGuid(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetFieldValue<DateTimeOffset>(3), reader.GetInt64(4)));
        }

        var ordered = upcoming.OrderBy(u => u.PayoutOn ?? DateTimeOffset.MaxValue).ThenBy(u => u.EventId).ToList();
        return new PayoutForecast(now, currency, ordered.Where(u => u.AmountMinor > 0).Sum(u => u.AmountMinor), ordered, paid);
    }

    /// <summary>The raw entries with their lines, oldest first, optionally of one order (for auditors).</summary>
    public async Task<JournalPage> JournalAsync(int page, int size, Guid? orderId, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(page, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        const string Filter = "($1::uuid IS NULL OR order_id = $1)";
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var batch = new NpgsqlBatch(conn)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand($"""
                    SELECT id, kind, source_id, order_id, event_id, currency, occurred_at, memo
                    FROM journal_entries WHERE {Filter} ORDER BY occurred_at, id LIMIT $2 OFFSET $3
                    """),
                new NpgsqlBatchCommand($"""
                    SELECT entry_id, account, debit_minor, credit_minor, class_id, quantity, voucher_id FROM journal_lines
                    WHERE entry_id IN (SELECT id FROM journal_entries WHERE {Filter} ORDER BY occurred_at, id LIMIT $2 OFFSET $3)
                    ORDER BY entry_id, line_no
                    """),
            },
        };
        foreach (var command in batch.BatchCommands)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)orderId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
            command.Parameters.Add(new NpgsqlParameter { Value = size });
            command.Parameters.Add(new NpgsqlParameter { Value = checked((page - 1) * size) });
        }

        await using var reader = await batch.ExecuteReaderAsync(ct);
        var entries = new List<JournalEntry>();
        while (await reader.ReadAsync(ct))
        {
            entries.Add(new JournalEntry(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetGuid(3),
                reader.IsDBNull(4) ? null : reader.GetGuid(4), reader.GetString(5), reader.GetFieldValue<DateTimeOffset>(6), reader.GetString(7), []));
        }

        await reader.NextResultAsync(ct);
        var lines = new Dictionary<Guid, List<JournalLine>>();
        while (await reader.ReadAsync(ct))
        {
            var entryId = reader.GetGuid(0);
            if (!lines.TryGetValue(entryId, out var list))
            {
                lines[entryId] = list = [];
            }

            list.Add(new JournalLine(LedgerAccounts.Parse(reader.GetString(1)), reader.GetInt64(2), reader.GetInt64(3),
                reader.IsDBNull(4) ? null : reader.GetGuid(4), reader.GetInt32(5), reader.IsDBNull(6) ? null : reader.GetGuid(6)));
        }

        return new JournalPage([.. entries.Select(e => e with { Lines = lines.GetValueOrDefault(e.Id) ?? [] })], page, size);
    }

    private static void AddPeriod(NpgsqlCommand cmd, string currency, DateTimeOffset? from, DateTimeOffset? to)
    {
        cmd.Parameters.Add(new() { Value = currency });
        cmd.Parameters.Add(Timestamp(from));
        cmd.Parameters.Add(Timestamp(to));
    }

    private static void AddPeriod(NpgsqlBatchCommand cmd, string currency, DateTimeOffset? from, DateTimeOffset? to)
    {
        cmd.Parameters.Add(new() { Value = currency });
        cmd.Parameters.Add(Timestamp(from));
        cmd.Parameters.Add(Timestamp(to));
    }

    private static NpgsqlParameter Timestamp(DateTimeOffset? value) =>
        new() { Value = value is { } v ? v.ToUniversalTime() : DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz };
}
