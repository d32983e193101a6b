using TicketAspire.Inventory.Fees;
using TicketAspire.Inventory.Groups;
using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Tests.Infrastructure;

namespace TicketAspire.Inventory.Tests;

/// <summary>
/// Group sales: a quote holds a large quantity until the invoice's due date with its price fixed; the recorded payment
/// of exactly the invoice's total sells it; unpaid at the due date it is released; and quotes racing buyers for the same
/// tickets never sell one twice.
/// </summary>
[Collection(PostgresCollectionDefinition.Name)]
public sealed class GroupQuotesShould(PostgresServer postgres) : IAsyncLifetime
{
    private InventoryHarness _inventory = null!;
    private GroupQuoteService _quotes = null!;

    public async Task InitializeAsync()
    {
        _inventory = await InventoryHarness.CreateAsync(postgres, nameof(GroupQuotesShould), maxPoolSize: 80, batching: true);
        _quotes = new GroupQuoteService(_inventory.Db, _inventory.Cache, _inventory.Holds, new Sales.SaleService(_inventory.Db, _inventory.Cache, _inventory.Time),
            new FeePlan(), new GroupQuoteOptions(), _inventory.Time);
    }

    public async Task DisposeAsync() => await _inventory.DisposeAsync();

    /// <summary>A due date <paramref name="days"/> from now, in whole seconds (Postgres keeps microseconds, not ticks).</summary>
    private DateTimeOffset InDays(int days)
    {
        var at = _inventory.Time.GetUtcNow().AddDays(days);
        return at.AddTicks(-(at.Ticks % TimeSpan.TicksPerSecond));
    }

    private async Task<(Guid EventId, Guid ClassId)> GeneralAdmissionAsync(int capacity)
    {
        var created = await _inventory.CreateEventAsync(TestEvents.GeneralAdmission(capacity));
        return (created.Id, created.TicketClasses[0].Id);
    }

    private Task<Result<GroupQuoteView>> QuoteAsync(Guid eventId, Guid classId, int quantity, DateTimeOffset? due = null) =>
        _quotes.CreateAsync(eventId, new CreateGroupQuoteCommand("Lyon Rowing Club", "treasurer@rowing.example", due ?? InDays(14), null,
            [new TicketRequest(classId, quantity)], "Season outing"), "integrator:acme", CancellationToken.None);

    private Task<long> ClaimableAsync(Guid eventId) => _inventory.ScalarAsync<long>(
        "SELECT count(*) FROM seats WHERE event_id = $1 AND (status = 0 OR (status = 1 AND hold_expires_at <= $2))", eventId, _inventory.Time.GetUtcNow());

    [Fact]
    public async Task HoldMoreTicketsThanABuyerMayUntilTheDueDateAtAFixedInvoicePrice()
    {
        var (eventId, classId) = await GeneralAdmissionAsync(1_000);
        var due = InDays(21);

        var quote = (await QuoteAsync(eventId, classId, 600, due)).ShouldSucceed();

        Assert.Equal(("open", 600, due), (quote.Status, quote.TicketCount, quote.DueAt));
        Assert.Matches("^GQ-[0-9]{6}$", quote.Number);
        // 600 × 30.00; platform 5 % + 0.50 a ticket; no card processing fee on an invoice; no tax in this plan
        Assert.Equal(new PriceBreakdown(1_800_000, 90_000 + 30_000, 0, 0, 1_920_000, "EUR"), quote.Price);
        Assert.Equal([new GroupQuoteClass(classId, 600, 1_800_000)], quote.Classes);
        Assert.Equal(400, await ClaimableAsync(eventId));
        Assert.True(await _inventory.ScalarAsync<bool>("SELECT expires_at = $2 FROM holds WHERE id = $1", quote.HoldId, due));
        Assert.Equal(1L, await _inventory.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE topic = 'group_quote.created' AND aggregate_id = $1", quote.Id));

        // a day before the due date nothing has moved
        _inventory.Time.Advance(TimeSpan.FromDays(20));
        Assert.Equal("open", (await _quotes.GetAsync(eventId, quote.Id, CancellationToken.None)).ShouldSucceed().Status);
        Assert.Equal(400, await ClaimableAsync(eventId));
    }

    [Fact]
    public async Task SellEveryTicketOnceWhenTheInvoicesTotalIsRecordedAndAnswerARetryWithTheSameOrder()
    {
        var (eventId, classId) = await GeneralAdmissionAsync(300);
        var quote = (await QuoteAsync(eventId, classId, 250)).ShouldSucceed();
        _inventory.Time.Advance(TimeSpan.FromDays(3));

        var paid = (await _quotes.RecordPaymentAsync(eventId, quote.Id, new RecordInvoicePaymentCommand("BANK-2026-0042", quote.Price.TotalMinor, "EUR"),
            CancellationToken.None)).ShouldSucceed();

        Assert.Equal(("paid", "BANK-2026-0042"), (paid.Status, paid.PaymentReference));
        var order = (await _inventory.Orders.GetAsync(paid.OrderId!.Value, CancellationToken.None)).ShouldSucceed();
        Assert.Equal((250, $"invoice:{quote.Number}", "treasurer@rowing.example"), (order.Tickets.Count, order.PaymentReference, order.CustomerEmail));
        Assert.Equal(quote.Price.TotalMinor, order.Total.MinorUnits);
        Assert.Equal(250L, await _inventory.ScalarAsync<long>("SELECT count(*) FROM seats WHERE event_id = $1 AND status = 2", eventId));
        // the sale is in the ledger: the reseller is owed the tickets' subtotal, the platform its fee
        Assert.Equal(quote.Price.SubtotalMinor, await _inventory.ScalarAsync<long>("""
            SELECT sum(l.credit_minor - l.debit_minor)::bigint FROM journal_lines l JOIN journal_entries e ON e.id = l.entry_id
            WHERE e.order_id = $1 AND e.kind = 'sale' AND l.account = 'reseller_payable'
            """, order.Id));
        Assert.Equal(quote.Price.PlatformFeeMinor, await _inventory.ScalarAsync<long>("""
            SELECT sum(l.credit_minor)::bigint FROM journal_lines l JOIN journal_entries e ON e.id = l.entry_id
            WHERE e.order_id = $1 AND l.account = 'platform_fees'
            """, order.Id));

        var again = (await _quotes.RecordPaymentAsync(eventId, quote.Id, new RecordInvoicePaymentCommand("BANK-2026-0042", quote.Price.TotalMinor, null),
            CancellationToken.None)).ShouldSucceed();
        Assert.Equal(paid.OrderId, again.OrderId);
        (await _quotes.RecordPaymentAsync(eventId, quote.Id, new RecordInvoicePaymentCommand("BANK-OTHER", quote.Price.TotalMinor, null),
            CancellationToken.None)).ShouldFailWith(ErrorCodes.GroupQuoteClosed);
        (await _quotes.CancelAsync(eventId, quote.Id, CancellationToken.None)).ShouldFailWith(ErrorCodes.GroupQuoteClosed);
        Assert.Equal(1L, await _inventory.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE topic = 'group_quote.paid' AND aggregate_id = $1", quote.Id));
        Assert.Equal(1L, await _inventory.ScalarAsync<long>("SELECT count(*) FROM orders WHERE event_id = $1", eventId));
    }

    [Theory]
    [InlineData(-1L, null)]
    [InlineData(1L, null)]
    [InlineData(0L, "USD")]
    public async Task RefuseAPaymentThatIsNotTheInvoicesTotalAndSellNothing(long off, string? currency)
    {
        var (eventId, classId) = await GeneralAdmissionAsync(100);
        var quote = (await QuoteAsync(eventId, classId, 40)).ShouldSucceed();

        var refused = (await _quotes.RecordPaymentAsync(eventId, quote.Id, new RecordInvoicePaymentCommand("BANK-1", quote.Price.TotalMinor + off, currency),
            CancellationToken.None)).ShouldFailWith(ErrorCodes.InvoiceAmountMismatch);

        Assert.Equal(quote.Price.TotalMinor, refused.Extensions!["total_minor"]);
        Assert.Equal(0L, await _inventory.ScalarAsync<long>("SELECT count(*) FROM orders WHERE event_id = $1", eventId));
        Assert.Equal("open", (await _quotes.GetAsync(eventId, quote.Id, CancellationToken.None)).ShouldSucceed().Status);
    }

    [Fact]
    public async Task ReleaseAnUnpaidQuoteAtItsDueDateAndRefuseItsLatePayment()
    {
        var (eventId, classId) = await GeneralAdmissionAsync(200);
        var quote = (await QuoteAsync(eventId, classId, 200, InDays(2))).ShouldSucceed();
        (await _inventory.HoldTicketsAsync(eventId, classId, 2)).ShouldFailWith(ErrorCodes.SoldOut);

        _inventory.Time.Advance(TimeSpan.FromDays(2));

        // the seats are on sale again at once, before any sweep
        Assert.Equal("released", (await _quotes.GetAsync(eventId, quote.Id, CancellationToken.None)).ShouldSucceed().Status);
        (await _inventory.HoldTicketsAsync(eventId, classId, 2)).ShouldSucceed();
        (await _quotes.RecordPaymentAsync(eventId, quote.Id, new RecordInvoicePaymentCommand("LATE-1", quote.Price.TotalMinor, null),
            CancellationToken.None)).ShouldFailWith(ErrorCodes.GroupQuoteClosed);

        await _inventory.Sweeper.SweepAsync(100, CancellationToken.None);

        Assert.Equal("released", await _inventory.ScalarAsync<string>("SELECT status FROM group_quotes WHERE id = $1", quote.Id));
        Assert.Equal(1L, await _inventory.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE topic = 'group_quote.released' AND aggregate_id = $1", quote.Id));
        var listed = (await _quotes.ListAsync(eventId, "released", CancellationToken.None)).ShouldSucceed();
        Assert.Equal(quote.Id, Assert.Single(listed.Items).Id);
        Assert.Empty((await _quotes.ListAsync(eventId, "open", CancellationToken.None)).ShouldSucceed().Items);
    }

    [Fact]
    public async Task PutTheSeatsOfACancelledQuoteBackOnSaleNow()
    {
        var (eventId, classId) = await GeneralAdmissionAsync(100);
        var quote = (await QuoteAsync(eventId, classId, 100)).ShouldSucceed();

        var cancelled = (await _quotes.CancelAsync(eventId, quote.Id, CancellationToken.None)).ShouldSucceed();

        Assert.Equal("cancelled", cancelled.Status);
        Assert.Equal(100, await ClaimableAsync(eventId));
        Assert.Equal("cancelled", (await _quotes.CancelAsync(eventId, quote.Id, CancellationToken.None)).ShouldSucceed().Status);
        (await _quotes.RecordPaymentAsync(eventId, quote.Id, new RecordInvoicePaymentCommand("B-1", quote.Price.TotalMinor, null),
            CancellationToken.None)).ShouldFailWith(ErrorCodes.GroupQuoteClosed);
    }

    [Fact]
    public async Task QuoteReservedSeatsAllOrNothing()
    {
        var created = await _inventory.CreateEventAsync(TestEvents.Reserved(80));
        var seats = (await _inventory.SeatMapAsync(created.Id)).Seats.Select(s => s.Id).ToList();
        (await _inventory.HoldSeatsAsync(created.Id, [seats[70]])).ShouldSucceed();

        var refused = (await _quotes.CreateAsync(created.Id, new CreateGroupQuoteCommand("Choir", "choir@example.org", InDays(7), seats, null),
            "integrator:acme", CancellationToken.None)).ShouldFailWith(ErrorCodes.SeatUnavailable);
        Assert.Equal([seats[70]], refused.UnavailableSeatIds);
        Assert.Equal(79L, await _inventory.ScalarAsync<long>("SELECT count(*) FROM seats WHERE event_id = $1 AND status = 0", created.Id));

        var quote = (await _quotes.CreateAsync(created.Id, new CreateGroupQuoteCommand("Choir", "choir@example.org", InDays(7), seats[..60], null),
            "integrator:acme", CancellationToken.None)).ShouldSucceed();
        Assert.Equal(60, quote.TicketCount);
    }

    [Theory]
    [InlineData("due_soon")]
    [InlineData("due_far")]
    [InlineData("due_after_start")]
    [InlineData("too_many")]
    [InlineData("both")]
    [InlineData("email")]
    [InlineData("organization")]
    public async Task RefuseAQuoteWithBadFields(string mistake)
    {
        var (eventId, classId) = await GeneralAdmissionAsync(10);
        var now = _inventory.Time.GetUtcNow();
        var good = new CreateGroupQuoteCommand("Club", "club@example.org", InDays(3), null, [new TicketRequest(classId, 5)]);
        var (cmd, field) = mistake switch
        {
            "due_soon" => (good with { DueAt = now.AddMinutes(30) }, "due_at"),
            "due_far" => (good with { DueAt = now.AddDays(61) }, "due_at"),
            "due_after_start" => (good with { DueAt = TestEvents.StartsAt.AddHours(1) }, "due_at"),
            "too_many" => (good with { Tickets = [new TicketRequest(classId, 2_001)] }, "tickets"),
            "both" => (good with { SeatIds = [Guid.NewGuid()] }, "seat_ids"),
            "email" => (good with { ContactEmail = "not an address" }, "contact_email"),
            _ => (good with { Organization = " " }, "organization"),
        };
        if (mistake == "due_after_start")
        {
            _inventory.Time.SetUtcNow(TestEvents.StartsAt.AddDays(-1).ToUniversalTime());
            cmd = cmd with { DueAt = TestEvents.StartsAt.AddHours(2) };
        }

        var refused = (await _quotes.CreateAsync(eventId, cmd, "integrator:acme", CancellationToken.None)).ShouldFailWith(ErrorCodes.Validation);

        Assert.Equal(field, Assert.Single(refused.FieldErrors!.Keys));
        Assert.Equal(0L, await _inventory.ScalarAsync<long>("SELECT count(*) FROM holds WHERE event_id = $1", eventId));
    }

    [Fact]
    public async Task NeverHoldATicketTwiceWhenQuotesAndBuyersRace()
    {
        // 1,000 tickets; 8 quotes of 150 (1,200) and 100 buyers of 2 (200) ask at once: 1,400 asked for 1,000
        var (eventId, classId) = await GeneralAdmissionAsync(1_000);
        using var start = new ManualResetEventSlim();
        var quotes = Enumerable.Range(0, 8).Select(_ => Task.Run(async () => { start.Wait(); return (await QuoteAsync(eventId, classId, 150)).Value?.TicketCount ?? 0; }));
        var buyers = Enumerable.Range(0, 100).Select(i => Task.Run(async () =>
        {
            start.Wait();
            return (await _inventory.HoldTicketsAsync(eventId, classId, 2, $"buyer-{i}")).Value?.Seats.Count ?? 0;
        }));
        var all = quotes.Concat(buyers).ToList();
        start.Set();
        var held = (await Task.WhenAll(all)).Sum();

        Assert.True(held <= 1_000, $"{held} tickets held of 1,000");
        // a quote refused for want of 150 leaves at most 149 behind
        Assert.True(held >= 851, $"only {held} of 1,000 held: claims gave up while tickets were left");
        Assert.Equal(held, await _inventory.ScalarAsync<long>("SELECT count(*) FROM seats WHERE event_id = $1 AND status = 1", eventId));
        Assert.Equal(held, await _inventory.ScalarAsync<long>("SELECT count(*) FROM hold_items i JOIN holds h ON h.id = i.hold_id WHERE h.event_id = $1", eventId));
    }

    [Fact]
    public async Task SellAQuoteOnceWhenItsPaymentIsRecordedManyTimesAtOnce()
    {
        var (eventId, classId) = await GeneralAdmissionAsync(500);
        var quote = (await QuoteAsync(eventId, classId, 500)).ShouldSucceed();
        using var start = new ManualResetEventSlim();
        var attempts = Enumerable.Range(0, 12).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            return await _quotes.RecordPaymentAsync(eventId, quote.Id, new RecordInvoicePaymentCommand("BANK-77", quote.Price.TotalMinor, "EUR"), CancellationToken.None);
        })).ToList();
        start.Set();
        var results = await Task.WhenAll(attempts);

        Assert.All(results, r => Assert.Equal("paid", r.ShouldSucceed().Status));
        Assert.Single(results.Select(r => r.Value!.OrderId).Distinct());
        Assert.Equal(500L, await _inventory.ScalarAsync<long>("SELECT count(*) FROM tickets WHERE event_id = $1", eventId));
        Assert.Equal(1L, await _inventory.ScalarAsync<long>("SELECT count(*) FROM journal_entries WHERE event_id = $1 AND kind = 'sale'", eventId));
        Assert.Equal(1L, await _inventory.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE topic = 'group_quote.paid' AND aggregate_id = $1", quote.Id));
    }
}
