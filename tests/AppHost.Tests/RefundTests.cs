using System.Globalization;
using System.Net.Http.Json;
using Npgsql;

namespace TicketAspire.AppHost.Tests;

/// <summary>
/// Refunds through the PSP (seed 000): an end user within the event's policy, support staff forcing one (audited), and an
/// event cancellation refunding every paid order; each reverses the sale in the ledger and says what became of the seats.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class RefundTests(PlatformFixture platform)
{
    [Fact]
    public async Task An_end_user_refunds_their_order_within_the_policy_and_the_seats_go_back_on_sale()
    {
        using var browser = new Browser(platform, "eu");
        var email = $"refund-{Guid.NewGuid():N}@example.com";
        var tokens = await browser.SignInAsync("acme", email, "refund-password-123", register: true);
        using var integrator = await platform.IntegratorClientAsync("eu", "acme");
        var (created, seats) = await integrator.CreateReservedEventAsync("Refundable " + Guid.NewGuid(), 1, 2);
        using var me = platform.ResellerClient("eu", "acme.eu.localhost", (string)tokens["access_token"]!);
        var hold = await me.PostJsonAsync("/v1/holds", new { event_id = created.Id(), seat_ids = seats }, HttpStatusCode.Created);
        var order = await me.PayAndConfirmAsync(hold.Id());

        var refund = await me.PostJsonAsync($"/v1/me/orders/{order.Id()}/refund", new { reason = "cannot make it" }, HttpStatusCode.OK);
        Assert.Equal("succeeded", (string)refund["status"]!);
        Assert.Equal("released", (string)refund["seat_disposition"]!);
        Assert.Equal((long)order["total"]!["minor_units"]!, (long)refund["amount"]!["minor_units"]!);
        var again = await me.PostJsonAsync($"/v1/me/orders/{order.Id()}/refund", new { }, HttpStatusCode.OK);
        Assert.Equal(refund.Id(), again.Id());

        var refunded = await me.GetJsonAsync($"/v1/orders/{order.Id()}");
        Assert.Equal("refunded", (string)refunded["status"]!);
        Assert.All(refunded["tickets"]!.AsArray(), t => Assert.Equal("void", (string)t!["status"]!));
        var map = await integrator.GetJsonAsync($"/v1/events/{created.Id()}/seats");
        Assert.Equal(2, (int)map["available"]!);

        await using var db = await platform.OpenDatabaseAsync("eu", "reseller_acme");
        await AssertReversedAsync(db, order.Id(), (long)order["total"]!["minor_units"]!);

        // the end user is told: the refund e-mail in the reseller's mailbox
        var mail = await Eventually.GetAsync(async () =>
            (await integrator.GetJsonAsync($"/v1/mailbox?to={Uri.EscapeDataString(email)}"))["mails"]!.AsArray()
                .FirstOrDefault(m => (string?)m!["kind"] == "refund_processed"), "the refund e-mail");
        Assert.NotNull(mail);
    }

    [Fact]
    public async Task Past_the_cutoff_only_support_can_refund_and_the_forced_refund_is_audited()
    {
        using var http = await platform.IntegratorClientAsync("eu", "acme");
        var soon = DateTimeOffset.UtcNow.AddHours(2).ToString("O", CultureInfo.InvariantCulture);
        var created = await http.PostJsonAsync("/v1/events", Api.ReservedEvent("Soon " + Guid.NewGuid(), 1, 2, startsAt: soon), HttpStatusCode.Created);
        Assert.Equal(24, (int)created["refund_cutoff_hours"]!);
        var seat = (string)(await http.GetJsonAsync($"/v1/events/{created.Id()}/seats"))["seats"]![0]!["id"]!;
        var hold = await http.PostJsonAsync("/v1/holds", new { event_id = created.Id(), customer_ref = "late-" + Guid.NewGuid().ToString("N"), seat_ids = new[] { seat } }, HttpStatusCode.Created);
        var order = await http.PayAndConfirmAsync(hold.Id());

        var refused = await http.PostJsonAsync($"/v1/orders/{order.Id()}/refund", new { reason = "changed mind" }, HttpStatusCode.Conflict);
        Assert.Equal("refund_not_allowed", (string)refused["code"]!);

        var support = await Tokens.ClientCredentialsAsync(platform, "eu", "platform", "eu-support", PlatformFixture.StaffSecret("eu", "support"), "support");
        using var staff = platform.ResellerClient("eu", "acme.eu.localhost", support);
        var forced = await staff.PostJsonAsync($"/v1/orders/{order.Id()}/refund", new { reason = "goodwill" }, HttpStatusCode.OK);
        Assert.Equal("succeeded", (string)forced["status"]!);
        Assert.Equal("support:eu-support", (string)forced["initiated_by"]!);

        await using var db = await platform.OpenDatabaseAsync("eu", "reseller_acme");
        await using var audit = new NpgsqlCommand("""
            SELECT count(*) FROM audit_log WHERE actor_kind = 'staff' AND action = 'RefundOrder' AND resource_id = $1 AND status = 200
            """, db) { Parameters = { new() { Value = order.Id() } } };
        Assert.Equal(1L, (long)(await audit.ExecuteScalarAsync())!);
        await AssertReversedAsync(db, order.Id(), (long)order["total"]!["minor_units"]!);
    }

    [Fact]
    public async Task Cancelling_an_event_refunds_every_paid_order_and_voids_its_seats()
    {
        using var http = await platform.IntegratorClientAsync("eu", "globex");
        var (created, seats) = await http.CreateReservedEventAsync("Cancelled " + Guid.NewGuid(), 1, 5);
        var orders = new List<string>();
        foreach (var seat in seats.Take(2))
        {
            var h = await http.PostJsonAsync("/v1/holds", new { event_id = created.Id(), customer_ref = "c-" + Guid.NewGuid().ToString("N"), seat_ids = new[] { seat } }, HttpStatusCode.Created);
            orders.Add((await http.PayAndConfirmAsync(h.Id())).Id());
        }

        var live = await http.PostJsonAsync("/v1/holds", new { event_id = created.Id(), customer_ref = "c-live", seat_ids = new[] { seats[2] } }, HttpStatusCode.Created);

        var cancelled = await http.PostJsonAsync($"/v1/events/{created.Id()}/cancel", new { reason = "artist ill" }, HttpStatusCode.OK);
        Assert.Equal(2, (int)cancelled["refunds_requested"]!);
        Assert.Equal("cancelled", (string)(await http.GetJsonAsync($"/v1/events/{created.Id()}"))["status"]!);
        Assert.Equal("cancelled", (string)(await http.GetJsonAsync($"/v1/holds/{live.Id()}"))["status"]!);
        var refused = await http.PostJsonAsync("/v1/holds", new { event_id = created.Id(), customer_ref = "c-new", seat_ids = new[] { seats[3] } }, HttpStatusCode.Conflict);
        Assert.Equal("seat_unavailable", (string)refused["code"]!);

        // the worker sends the refunds to the PSP
        foreach (var orderId in orders)
        {
            var refunded = await Eventually.GetAsync(async () =>
                await http.GetJsonAsync($"/v1/orders/{orderId}") is var o && (string)o["status"]! == "refunded" ? o : null, $"the refund of {orderId}");
            Assert.Equal("voided", (string)refunded["refund"]!["seat_disposition"]!);
        }

        var map = await http.GetJsonAsync($"/v1/events/{created.Id()}/seats");
        Assert.All(map["seats"]!.AsArray(), s => Assert.Equal("void", (string)s!["status"]!));
        await using var db = await platform.OpenDatabaseAsync("eu", "reseller_globex");
        foreach (var orderId in orders)
        {
            await AssertReversedAsync(db, orderId, null);
        }
    }

    [Fact]
    public async Task A_reason_longer_than_the_psp_accepts_is_refused_and_a_refund_the_psp_refuses_fails_visibly_and_is_announced()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var http = await platform.IntegratorClientAsync("eu", "acme");
        var endpoint = await http.PostJsonAsync("/v1/webhooks/endpoints", new { url = receiver.Url, event_types = new[] { "refund.failed" } }, HttpStatusCode.Created);
        var (created, seats) = await http.CreateReservedEventAsync("Refused " + Guid.NewGuid(), 1, 1);
        var hold = await http.PostJsonAsync("/v1/holds", new { event_id = created.Id(), customer_ref = "r-" + Guid.NewGuid().ToString("N"), seat_ids = seats }, HttpStatusCode.Created);
        var order = await http.PayAndConfirmAsync(hold.Id());

        // the PSP takes at most 200 characters: refused before anything is recorded or sent
        var tooLong = await http.PostJsonAsync($"/v1/orders/{order.Id()}/refund", new { reason = new string('x', 201) }, HttpStatusCode.BadRequest);
        var cancel = await http.PostJsonAsync($"/v1/events/{created.Id()}/cancel", new { reason = new string('x', 201) }, HttpStatusCode.BadRequest);
        Assert.All(new[] { tooLong, cancel }, p => Assert.Contains("At most 200 characters", (string)p["errors"]!["reason"]![0]!, StringComparison.Ordinal));
        Assert.Null((await http.GetJsonAsync($"/v1/orders/{order.Id()}"))["refund"]);
        Assert.NotEqual("cancelled", (string)(await http.GetJsonAsync($"/v1/events/{created.Id()}"))["status"]!);

        // refunded at the PSP behind the platform's back: the platform's refund is refused for good, and says so
        using var psp = platform.PspClient("eu");
        using (var direct = await psp.PostAsJsonAsync("/v1/refunds", new { payment_intent = (string)order["payment_reference"]! }))
        {
            Assert.Equal(HttpStatusCode.OK, direct.StatusCode);
        }

        var failed = await http.PostJsonAsync($"/v1/orders/{order.Id()}/refund", new { reason = "cannot make it" }, HttpStatusCode.UnprocessableEntity);
        Assert.Equal(("refund_failed", "charge_already_refunded"), ((string)failed["code"]!, (string)failed["failure_code"]!));
        var refund = (await http.GetJsonAsync($"/v1/orders/{order.Id()}"))["refund"]!;
        Assert.Equal(("failed", "charge_already_refunded"), ((string)refund["status"]!, (string)refund["failure_code"]!));
        Assert.Contains("charge_already_refunded", (string)refund["last_error"]!, StringComparison.Ordinal);
        await receiver.WaitAsync(r => r.Any(x => (string?)x.Json["type"] == "refund.failed" && (string?)x.Json["data"]!["order_id"] == order.Id()),
            TimeSpan.FromSeconds(30), "the refund.failed webhook");
        using var delete = await http.DeleteAsync($"/v1/webhooks/endpoints/{endpoint.Id()}");
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
    }

    /// <summary>The order's sale and refund entries together leave nothing in PSP clearing, and each balances.</summary>
    private static async Task AssertReversedAsync(NpgsqlConnection db, string orderId, long? total)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT e.kind, sum(l.debit_minor)::bigint, sum(l.credit_minor)::bigint,
                   coalesce(sum(l.debit_minor - l.credit_minor) FILTER (WHERE l.account = 'psp_clearing'), 0)::bigint
            FROM journal_entries e JOIN journal_lines l ON l.entry_id = e.id WHERE e.order_id = $1 GROUP BY e.kind ORDER BY e.kind
            """, db) { Parameters = { new() { Value = Guid.Parse(orderId) } } };
        var rows = new List<(string Kind, long Debit, long Credit, long Clearing)>();
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                rows.Add((reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3)));
            }
        }

        Assert.Equal(["refund", "sale"], rows.Select(r => r.Kind));
        Assert.All(rows, r => Assert.Equal(r.Debit, r.Credit));
        Assert.Equal(0, rows.Sum(r => r.Clearing));
        if (total is { } t)
        {
            Assert.Equal(t, rows.Single(r => r.Kind == "sale").Clearing);
        }
    }
}
