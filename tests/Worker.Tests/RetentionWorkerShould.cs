using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using TicketAspire.Inventory.Privacy;
using TicketAspire.Inventory.Tests.Infrastructure;
using TicketAspire.Tenancy;
using TicketAspire.Tenancy.Stores;
using TicketAspire.Worker.Tests.Infrastructure;

namespace TicketAspire.Worker.Tests;

/// <summary>
/// The data retention pass over real reseller databases (<see cref="PersonalDataSeed"/>: old and recent personal data
/// in each), and an end user's own export and erasure (<see cref="PersonalData"/>).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class RetentionWorkerShould(PostgresServer postgres)
{
    private static RetentionWorker Worker(TwoResellers cell, IMultiTenantStore<ResellerTenantInfo> store, int days, int batchSize = 2) => new(
        new ResellerLoopContext(store, cell.Accessor, cell.Accessor, TimeProvider.System), cell.DataSources,
        Microsoft.Extensions.Options.Options.Create(new RetentionOptions { Days = days, BatchSize = batchSize }), NullLogger<RetentionWorker>.Instance);

    private static async Task<(TwoResellers Cell, PersonalDataSeed Acme, PersonalDataSeed Globex)> SeededAsync(PostgresServer postgres, string name)
    {
        var cell = await TwoResellers.CreateAsync(postgres, name);
        var (acme, globex) = (new PersonalDataSeed(), new PersonalDataSeed());
        await acme.WriteAsync(cell.Acme);
        await globex.WriteAsync(cell.Globex);
        return (cell, acme, globex);
    }

    [Fact]
    public async Task EraseTheContactOfAClosedGroupQuoteAndKeepItsInvoice()
    {
        var cell = await TwoResellers.CreateAsync(postgres, nameof(EraseTheContactOfAClosedGroupQuoteAndKeepItsInvoice));
        await using var _ = cell;
        // the identity service's tables too: the pass goes through every table of a reseller database
        await Inventory.Infrastructure.SqlMigrator.MigrateAsync(cell.Acme, Inventory.Infrastructure.SqlMigrator.Load(typeof(PersonalDataSeed).Assembly), default);
        var cache = Inventory.Infrastructure.InventoryCache.None(NullLogger.Instance);
        var startsAt = DateTimeOffset.UtcNow.AddDays(30);
        var created = await new Inventory.Events.EventCatalog(cell.Acme, cache, TimeProvider.System).CreateAsync(new Inventory.Model.CreateEventCommand(
            "Club night", "concert", null, null, startsAt, new Inventory.Model.VenueInput("Hall", "Berlin", "DE", null), "general_admission", "EUR",
            [new Inventory.Model.TicketClassInput("GA", 3000, 20)], null), "EUR", default);
        var eventId = created.Value!.Id;
        var classId = created.Value.TicketClasses[0].Id;
        var holds = new Inventory.Holds.HoldService(cell.Acme, cache, TimeProvider.System, new Inventory.Holds.HoldOptions());
        var quotes = new Inventory.Groups.GroupQuoteService(cell.Acme, cache, holds, new Inventory.Sales.SaleService(cell.Acme, cache, TimeProvider.System),
            new Inventory.Fees.FeePlan(), new Inventory.Groups.GroupQuoteOptions(), TimeProvider.System);
        async Task<Inventory.Groups.GroupQuoteView> QuoteAsync() => (await quotes.CreateAsync(eventId, new Inventory.Groups.CreateGroupQuoteCommand("Rowing club", "treasurer@rowing.example",
            DateTimeOffset.UtcNow.AddDays(7), null, [new Inventory.Model.TicketRequest(classId, 5)], "Bus at 6"), "integrator:acme", default)).Value!;
        var open = await QuoteAsync();
        var paid = await QuoteAsync();
        Assert.Equal("paid", (await quotes.RecordPaymentAsync(eventId, paid.Id, new("BANK-9", paid.Price.TotalMinor, null), default)).Value!.Status);
        // the open quote lapses at its due date (the sweep marks it released then); two years on the event is long over
        await new Inventory.Holds.HoldSweeper(cell.Acme, new FixedTime(DateTimeOffset.UtcNow.AddDays(8))).SweepAsync(100, default);
        var later = new FixedTime(startsAt.AddDays(760));
        await using (var processed = cell.Acme.CreateCommand("UPDATE outbox SET processed_at = created_at"))
        {
            await processed.ExecuteNonQueryAsync();
        }

        var counts = await new RetentionSweeper(cell.Acme, later).RunAsync(730, 100, default);

        Assert.Equal(2, counts["group_quotes"]);
        Assert.Equal($"erased||{paid.Number}|{paid.Price.TotalMinor}|BANK-9|paid", await TextAsync(cell.Acme,
            $"SELECT concat_ws('|', contact_email, coalesce(note, ''), number, total_minor, payment_reference, status) FROM group_quotes WHERE id = '{paid.Id}'"));
        Assert.Equal("erased|released", await TextAsync(cell.Acme, $"SELECT concat_ws('|', contact_email, status) FROM group_quotes WHERE id = '{open.Id}'"));
        Assert.Equal(0, await CountAsync(cell.Acme, "SELECT count(*) FROM outbox WHERE payload ? 'contact_email'"));
    }

    /// <summary>A clock that stands still at <paramref name="now"/>.</summary>
    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static async Task<SnapshotStore> OnlyAsync(TwoResellers cell, string reseller) => new([(await cell.Store.GetAsync(reseller))!]);

    [Fact]
    public async Task AnonymiseOldPersonalDataKeepRecentDataAndAccountingAndLeaveAnotherResellersDatabaseAlone()
    {
        var (cell, acme, globex) = await SeededAsync(postgres, nameof(AnonymiseOldPersonalDataKeepRecentDataAndAccountingAndLeaveAnotherResellersDatabaseAlone));
        await using var _ = cell;
        var globexBefore = await SnapshotAsync(cell.Globex);

        // batches of 2 rows: the three old e-mails take two statements
        var pass = await Worker(cell, await OnlyAsync(cell, "acme"), days: 730).RunPassAsync(default);

        Assert.Equal(
            "holds 2, orders 1, refunds 1, tickets 1, resale_listings 1, ticket_transfers 1, waitlist_entries 1, queue_entries 0, lottery_entries 0, group_quotes 0, pass_purchases 0, account_blocks 1, outbox 1, webhook_messages 1, "
            + "mail_jobs 1, mailbox 3, audit_log 2, login_throttle 1, pending_registrations 0, users 1",
            string.Join(", ", pass["acme"].Select(c => $"{c.Key} {c.Value}")));
        Assert.False(pass.ContainsKey("globex"));

        var db = cell.Acme;
        // the old order: no personal data left, everything accounting needs intact
        Assert.Equal(
            "erased||refunded|5000|4000|500|100|400|EUR|pi_old",
            await TextAsync(db, $"SELECT concat_ws('|', customer_ref, coalesce(customer_email, ''), status, total_minor, subtotal_minor, platform_fee_minor, processing_fee_minor, tax_minor, currency, payment_reference) FROM orders WHERE id = '{acme.OldOrder}'"));
        Assert.Equal($"void|CODE-OLD-{acme.OldTicket:N}|5000|erased|", await TextAsync(db,
            $"SELECT concat_ws('|', status, code, price_minor, owner_ref, coalesce(owner_email, '')) FROM tickets WHERE id = '{acme.OldTicket}'"));
        Assert.Equal("erased|withdrawn|5000", await TextAsync(db, $"SELECT concat_ws('|', seller_ref, status, asking_minor) FROM resale_listings WHERE ticket_id = '{acme.OldTicket}'"));
        Assert.Equal("erased|erased||expired", await TextAsync(db,
            $"SELECT concat_ws('|', from_ref, to_email, coalesce(message, ''), status) FROM ticket_transfers WHERE ticket_id = '{acme.OldTicket}'"));
        Assert.Equal("customer|(erased)|5000|succeeded", await TextAsync(db, $"SELECT concat_ws('|', initiated_by, reason, amount_minor, status) FROM refunds WHERE order_id = '{acme.OldOrder}'"));
        Assert.Equal(0, await CountAsync(db, "SELECT count(*) FROM holds WHERE event_id IN (SELECT event_id FROM orders WHERE id = $1) AND (customer_email IS NOT NULL OR customer_ref <> 'erased')", acme.OldOrder));
        Assert.Equal(0, await CountAsync(db, "SELECT count(*) FROM users WHERE id = $1", acme.Ann));
        Assert.Equal(0, await CountAsync(db, "SELECT count(*) FROM \"OpenIddictTokens\" WHERE \"Subject\" = $1::text", acme.Ann));
        Assert.Equal(0, await CountAsync(db, "SELECT count(*) FROM outbox WHERE payload ? 'customer_email' AND aggregate_id = $1", acme.OldOrder));
        Assert.Equal(1, await CountAsync(db, "SELECT count(*) FROM outbox WHERE payload ? 'total_minor' AND aggregate_id = $1", acme.OldOrder));
        Assert.Equal(0, await CountAsync(db, "SELECT count(*) FROM audit_log WHERE at < now() - interval '730 days' AND (client_ip IS NOT NULL OR (actor_kind = 'customer' AND subject IS NOT NULL))"));
        Assert.Equal(1, await CountAsync(db, "SELECT count(*) FROM audit_log WHERE subject = 'shop-backend'"));

        // the recent records are untouched
        Assert.Equal($"{acme.BobRef}|bob@example.com|pi_recent", await TextAsync(db, $"SELECT concat_ws('|', customer_ref, customer_email, payment_reference) FROM orders WHERE id = '{acme.RecentOrder}'"));
        Assert.Equal(1, await CountAsync(db, "SELECT count(*) FROM users WHERE id = $1 AND display_name = 'Bob Example'", acme.Bob));
        Assert.Equal(1, await CountAsync(db, "SELECT count(*) FROM tickets WHERE id = $1 AND owner_ref = $2 AND owner_email = 'bob@example.com'", acme.RecentTicket, acme.BobRef));
        Assert.Equal(1, await CountAsync(db, "SELECT count(*) FROM resale_listings WHERE id = $1 AND seller_ref = $2", acme.RecentListing, acme.BobRef));
        Assert.Equal(1, await CountAsync(db, "SELECT count(*) FROM ticket_transfers WHERE from_ref = $1 AND to_email = 'carl@example.com' AND status = 'pending'", acme.BobRef));
        Assert.Equal(["bob@example.com"], await TextsAsync(db, "SELECT to_address FROM mailbox"));
        Assert.Equal(["bob@example.com"], await TextsAsync(db, "SELECT to_address FROM mail_jobs"));
        Assert.Equal(["bob@example.com"], await TextsAsync(db, "SELECT customer_email FROM waitlist_entries WHERE customer_email IS NOT NULL"));
        Assert.Equal(1, await CountAsync(db, "SELECT count(*) FROM audit_log WHERE client_ip = '203.0.113.9' AND subject = $1::text", acme.Bob));

        // globex's database, with the same old data, is not acme's pass's business
        Assert.Equal(globexBefore, await SnapshotAsync(cell.Globex));
        Assert.Equal("user:" + globex.Ann, await TextAsync(cell.Globex, $"SELECT customer_ref FROM orders WHERE id = '{globex.OldOrder}'"));
    }

    [Fact]
    public async Task ChangeNothingTheSecondTime()
    {
        var (cell, _, _) = await SeededAsync(postgres, nameof(ChangeNothingTheSecondTime));
        await using var _cell = cell;
        var worker = Worker(cell, cell.Store, days: 730, batchSize: 1_000);

        var first = await worker.RunPassAsync(default);
        var after = (await SnapshotAsync(cell.Acme), await SnapshotAsync(cell.Globex));
        var second = await worker.RunPassAsync(default);

        Assert.Equal(19, first["acme"].Values.Sum());
        Assert.Equal(19, first["globex"].Values.Sum());
        Assert.All(second.Values.SelectMany(c => c.Values), n => Assert.Equal(0, n));
        Assert.Equal(after, (await SnapshotAsync(cell.Acme), await SnapshotAsync(cell.Globex)));
        Assert.NotNull(worker.LastSuccess);
    }

    [Fact]
    public async Task KeepEverythingWhenTheRetentionIsZero()
    {
        var (cell, _, _) = await SeededAsync(postgres, nameof(KeepEverythingWhenTheRetentionIsZero));
        await using var _cell = cell;
        var before = await SnapshotAsync(cell.Acme);

        var counts = await new RetentionSweeper(cell.Acme, TimeProvider.System).RunAsync(0, 1_000, default);

        Assert.All(counts.Values, n => Assert.Equal(0, n));
        Assert.Equal(RetentionSweeper.Tables, counts.Keys);
        Assert.Equal(before, await SnapshotAsync(cell.Acme));
    }

    [Fact]
    public async Task ExportAndEraseOneEndUsersDataOnly()
    {
        var (cell, acme, _) = await SeededAsync(postgres, nameof(ExportAndEraseOneEndUsersDataOnly));
        await using var _cell = cell;
        var data = new PersonalData(cell.Acme, TimeProvider.System);

        var export = await data.ExportAsync(acme.Bob, default);
        Assert.Equal("bob@example.com", export.GetProperty("account").GetProperty("email").GetString());
        Assert.Equal(acme.RecentOrder, export.GetProperty("orders")[0].GetProperty("id").GetGuid());
        Assert.Equal(1, export.GetProperty("orders")[0].GetProperty("tickets").GetArrayLength());
        Assert.Equal(1, export.GetProperty("holds").GetArrayLength());
        Assert.Equal(1, export.GetProperty("mailbox").GetArrayLength());
        Assert.Equal(1, export.GetProperty("waitlist_entries").GetArrayLength());
        Assert.Equal(acme.RecentTicket, export.GetProperty("tickets_owned")[0].GetProperty("id").GetGuid());
        Assert.Equal(acme.RecentListing, export.GetProperty("resale_listings")[0].GetProperty("id").GetGuid());
        Assert.Equal("carl@example.com", export.GetProperty("transfers_sent")[0].GetProperty("to_email").GetString());
        Assert.DoesNotContain("token", export.GetProperty("transfers_sent")[0].GetRawText(), StringComparison.Ordinal);
        Assert.Equal(0, export.GetProperty("transfers_received").GetArrayLength());

        Assert.Null(await data.EraseAsync(acme.Bob, default));
        Assert.Null(await data.EraseAsync(acme.Bob, default));   // again: nothing left to do, no error

        Assert.Equal("erased||confirmed|7000|pi_recent", await TextAsync(cell.Acme,
            $"SELECT concat_ws('|', customer_ref, coalesce(customer_email, ''), status, total_minor, payment_reference) FROM orders WHERE id = '{acme.RecentOrder}'"));
        Assert.Equal(1, await CountAsync(cell.Acme, "SELECT count(*) FROM tickets WHERE order_id = $1 AND status = 'valid'", acme.RecentOrder));
        Assert.Equal(0, await CountAsync(cell.Acme, "SELECT count(*) FROM users WHERE id = $1", acme.Bob));
        Assert.Equal(0, await CountAsync(cell.Acme, "SELECT count(*) FROM mailbox WHERE lower(to_address) = 'bob@example.com'"));
        Assert.Equal(0, await CountAsync(cell.Acme, "SELECT count(*) FROM waitlist_entries WHERE customer_email = 'bob@example.com' OR status = 'waiting'"));
        Assert.Equal(0, await CountAsync(cell.Acme, "SELECT count(*) FROM outbox WHERE payload::text LIKE '%bob@example.com%'"));
        Assert.Equal(0, await CountAsync(cell.Acme, "SELECT count(*) FROM audit_log WHERE subject = $1::text", acme.Bob));
        // the ticket stays valid without an owner's data; the listing and the transfer keep their facts, not their people;
        // the pending transfer is cancelled (its e-mailed code dies)
        Assert.Equal("valid|erased|", await TextAsync(cell.Acme, $"SELECT concat_ws('|', status, owner_ref, coalesce(owner_email, '')) FROM tickets WHERE id = '{acme.RecentTicket}'"));
        Assert.Equal("erased|withdrawn", await TextAsync(cell.Acme, $"SELECT concat_ws('|', seller_ref, status) FROM resale_listings WHERE id = '{acme.RecentListing}'"));
        Assert.Equal("erased|carl@example.com||cancelled", await TextAsync(cell.Acme,
            $"SELECT concat_ws('|', from_ref, to_email, coalesce(message, ''), status) FROM ticket_transfers WHERE ticket_id = '{acme.RecentTicket}'"));
        var erased = await data.ExportAsync(acme.Bob, default);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, erased.GetProperty("account").ValueKind);
        Assert.Equal(0, erased.GetProperty("orders").GetArrayLength());

        // Ann, another end user of the same reseller, keeps everything
        Assert.Equal(1, await CountAsync(cell.Acme, "SELECT count(*) FROM users WHERE id = $1", acme.Ann));
        Assert.Equal(3, await CountAsync(cell.Acme, "SELECT count(*) FROM mailbox WHERE to_address = 'Ann@example.com'"));
        Assert.Equal(acme.AnnRef, await TextAsync(cell.Acme, $"SELECT customer_ref FROM orders WHERE id = '{acme.OldOrder}'"));
    }

    [Fact]
    public async Task RefuseToEraseASellerWhileABuyerHoldsTheirListingAndWithdrawItOnceTheHoldLapses()
    {
        var (cell, acme, _) = await SeededAsync(postgres, nameof(RefuseToEraseASellerWhileABuyerHoldsTheirListingAndWithdrawItOnceTheHoldLapses));
        await using var _cell = cell;
        var data = new PersonalData(cell.Acme, TimeProvider.System);
        await using (var listed = cell.Acme.CreateCommand(
            "UPDATE resale_listings SET status = 'listed', closed_at = NULL, hold_id = gen_random_uuid(), hold_expires_at = now() + interval '5 minutes' WHERE id = $1"))
        {
            listed.Parameters.Add(new NpgsqlParameter { Value = acme.RecentListing });
            await listed.ExecuteNonQueryAsync();
        }

        var before = await SnapshotAsync(cell.Acme);
        var refused = await data.EraseAsync(acme.Bob, default);

        Assert.Equal(TicketAspire.Inventory.Model.ErrorCodes.ErasureBlocked, refused?.Code);
        Assert.InRange(refused!.RetryAfterSeconds ?? 0, 250, 301);
        Assert.Equal(before, await SnapshotAsync(cell.Acme));   // nothing changed

        await using (var lapsed = cell.Acme.CreateCommand("UPDATE resale_listings SET hold_expires_at = now() - interval '1 second' WHERE id = $1"))
        {
            lapsed.Parameters.Add(new NpgsqlParameter { Value = acme.RecentListing });
            await lapsed.ExecuteNonQueryAsync();
        }

        Assert.Null(await data.EraseAsync(acme.Bob, default));
        Assert.Equal("erased|withdrawn|", await TextAsync(cell.Acme,
            $"SELECT concat_ws('|', seller_ref, status, coalesce(hold_id::text, '')) FROM resale_listings WHERE id = '{acme.RecentListing}'"));
        Assert.Equal(0, await CountAsync(cell.Acme, "SELECT count(*) FROM users WHERE id = $1", acme.Bob));
    }

    /// <summary>Every row of the tables that hold personal data, as text, in a stable order.</summary>
    private static async Task<string> SnapshotAsync(NpgsqlDataSource db)
    {
        var tables = new[] { "users", "holds", "orders", "tickets", "resale_listings", "ticket_transfers", "refunds", "waitlist_entries", "account_blocks", "outbox", "webhook_messages", "mail_jobs", "mailbox", "audit_log", "login_throttle", "\"OpenIddictTokens\"" };
        var parts = new List<string>();
        foreach (var table in tables)
        {
            parts.Add(table + ": " + await TextAsync(db, $"SELECT coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '') FROM {table} t"));
        }

        return string.Join('\n', parts);
    }

    private static async Task<string> TextAsync(NpgsqlDataSource db, string sql)
    {
        await using var cmd = db.CreateCommand(sql);
        return (string)(await cmd.ExecuteScalarAsync())!;
    }

    private static async Task<List<string>> TextsAsync(NpgsqlDataSource db, string sql)
    {
        await using var cmd = db.CreateCommand(sql);
        await using var reader = await cmd.ExecuteReaderAsync();
        var list = new List<string>();
        while (await reader.ReadAsync())
        {
            list.Add(reader.GetString(0));
        }

        return list;
    }

    private static async Task<long> CountAsync(NpgsqlDataSource db, string sql, params object[] args)
    {
        await using var cmd = db.CreateCommand(sql);
        foreach (var arg in args)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = arg });
        }

        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
