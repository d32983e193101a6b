using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;

namespace TicketAspire.AppHost.Tests;

/// <summary>
/// Paying through the cell's payment service, end to end: the API verifies every payment with the PSP server-side, the
/// PSP's late webhooks (processing cards, disputes, fraud warnings) reach the ledger, and failures follow seed 000.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class PaymentFlowTests(PlatformFixture platform)
{
    [Fact]
    public async Task A_successful_payment_makes_an_order_with_its_fees_and_a_balanced_sale_in_the_ledger()
    {
        using var http = await platform.IntegratorClientAsync("eu", "acme");
        var (hold, _) = await HoldAsync(http, 3);
        // confirming before any payment: the core's words, then the API's route
        var unpaid = await http.PostJsonAsync($"/v1/holds/{hold}/confirm", new { }, HttpStatusCode.Conflict);
        Assert.Equal("payment_required", (string)unpaid["code"]!);
        Assert.Equal($"Hold '{hold}' has no open payment: start one and confirm it at the PSP. A payment starts with POST /v1/holds/{hold}/payment.",
            (string)unpaid["detail"]!);

        var payment = await http.PostJsonAsync($"/v1/holds/{hold}/payment", new { }, HttpStatusCode.OK);
        var price = payment["price"]!;
        long Minor(string field) => (long)price[field]!["minor_units"]!;
        Assert.Equal(3 * 4500, Minor("subtotal"));
        Assert.True(Minor("platform_fee") > 0 && Minor("processing_fee") > 0 && Minor("tax") > 0, price.ToJsonString());
        Assert.Equal(Minor("subtotal") + Minor("platform_fee") + Minor("processing_fee") + Minor("tax"), Minor("total"));
        Assert.Equal(1, (int)payment["attempt"]!);
        // asking again returns the open attempt, not a second intent
        var again = await http.PostJsonAsync($"/v1/holds/{hold}/payment", new { }, HttpStatusCode.OK);
        Assert.Equal((string)payment["psp"]!["payment_intent_id"]!, (string)again["psp"]!["payment_intent_id"]!);

        // confirming before the buyer paid at the PSP is refused: the server asks the PSP, it does not trust the client
        var early = await http.PostJsonAsync($"/v1/holds/{hold}/confirm", new { }, HttpStatusCode.Conflict);
        Assert.Equal("payment_not_confirmed", (string)early["code"]!);

        await Api.PayAtPspAsync(payment, Cards.Success);
        var order = await http.PostJsonAsync($"/v1/holds/{hold}/confirm", new { }, HttpStatusCode.OK);
        Assert.Equal(3, order["tickets"]!.AsArray().Count);
        Assert.Equal(Minor("total"), (long)order["total"]!["minor_units"]!);
        Assert.Equal(Minor("platform_fee"), (long)order["price"]!["platform_fee"]!["minor_units"]!);

        await using var db = await platform.OpenDatabaseAsync("eu", "reseller_acme");
        var (debits, credits, clearing) = await JournalAsync(db, order.Id(), "sale");
        Assert.Equal(debits, credits);
        Assert.Equal(Minor("total"), clearing);
        Assert.Equal(1L, await ScalarAsync(db, "SELECT count(*) FROM outbox WHERE topic = 'order.confirmed' AND aggregate_id = $1", Guid.Parse(order.Id())));
    }

    [Fact]
    public async Task Free_tickets_are_confirmed_without_a_payment()
    {
        using var http = await platform.IntegratorClientAsync("eu", "acme");
        var created = await http.PostJsonAsync("/v1/events", new
        {
            name = "Free " + Guid.NewGuid(), type = "festival", starts_at = "2027-06-01T12:00:00Z", venue = new { name = "Park", city = "Lyon" },
            seating = "general_admission", ticket_classes = new[] { new { name = "Free entry", price_minor = 0L, quantity = 5 } },
        }, HttpStatusCode.Created);
        var hold = await http.PostJsonAsync("/v1/holds", new { event_id = created.Id(), customer_ref = "free-" + Guid.NewGuid().ToString("N"),
            tickets = new[] { new { class_id = (string)created["ticket_classes"]![0]!["id"]!, quantity = 2 } } }, HttpStatusCode.Created);
        var noPayment = await http.PostJsonAsync($"/v1/holds/{hold.Id()}/payment", new { }, HttpStatusCode.Conflict);
        Assert.Equal("hold_not_active", (string)noPayment["code"]!);
        var order = await http.PostJsonAsync($"/v1/holds/{hold.Id()}/confirm", new { }, HttpStatusCode.OK);
        Assert.Equal(2, order["tickets"]!.AsArray().Count);
        Assert.Equal(0, (long)order["total"]!["minor_units"]!);
    }

    [Fact]
    public async Task A_declined_card_extends_the_hold_once_and_another_card_can_still_pay()
    {
        using var http = await platform.IntegratorClientAsync("eu", "acme");
        var (hold, _) = await HoldAsync(http, 1);
        var before = DateTimeOffset.Parse((string)(await http.GetJsonAsync($"/v1/holds/{hold}"))["expires_at"]!, System.Globalization.CultureInfo.InvariantCulture);

        var declined = await http.PayAndConfirmAsync(hold, Cards.Declined, HttpStatusCode.PaymentRequired);
        Assert.Equal("payment_declined", (string)declined["code"]!);
        Assert.Equal(2, (int)declined["attempts_left"]!);
        Assert.False((bool)declined["released"]!);
        var after = DateTimeOffset.Parse((string)(await http.GetJsonAsync($"/v1/holds/{hold}"))["expires_at"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(TimeSpan.FromMinutes(5), after - before);

        var second = await http.PayAndConfirmAsync(hold, Cards.InsufficientFunds, HttpStatusCode.PaymentRequired);
        Assert.Equal("insufficient_funds", (string)second["decline_code"]!);
        var unchanged = DateTimeOffset.Parse((string)(await http.GetJsonAsync($"/v1/holds/{hold}"))["expires_at"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(after, unchanged);     // extended once only

        var order = await http.PayAndConfirmAsync(hold, Cards.Success);
        Assert.Single(order["tickets"]!.AsArray());
    }

    [Fact]
    public async Task A_confirm_racing_the_psps_failure_webhook_answers_the_counted_attempts()
    {
        // the PSP's payment_failed webhook and the buyer's confirm call report the same decline at about the same time;
        // whichever records it, the confirm's answer pairs the failed payment with the failure count that includes it
        using var http = await platform.IntegratorClientAsync("eu", "acme");
        for (var i = 0; i < 12; i++)
        {
            var (hold, _) = await HoldAsync(http, 1);
            var declined = await http.PayAndConfirmAsync(hold, Cards.Declined, HttpStatusCode.PaymentRequired);
            Assert.Equal(2, (int)declined["attempts_left"]!);
            var second = await http.PayAndConfirmAsync(hold, Cards.Declined, HttpStatusCode.PaymentRequired);
            Assert.Equal(1, (int)second["attempts_left"]!);
        }
    }

    [Fact]
    public async Task A_decline_the_psp_reported_first_by_webhook_gets_the_same_answer_on_confirm()
    {
        using var http = await platform.IntegratorClientAsync("eu", "acme");
        var (hold, _) = await HoldAsync(http, 1);
        var payment = await http.PostJsonAsync($"/v1/holds/{hold}/payment", new { }, HttpStatusCode.OK);
        await Api.PayAtPspAsync(payment, Cards.Declined);
        // the PSP's payment_intent.payment_failed webhook is applied before the buyer's confirm call arrives
        var intentId = (string)payment["psp"]!["payment_intent_id"]!;
        await Eventually.GetAsync(async () => await WebhookOutcomeAsync(intentId, "payment_intent.payment_failed"), "the PSP's failure webhook");

        var declined = await http.PostJsonAsync($"/v1/holds/{hold}/confirm", new { }, HttpStatusCode.PaymentRequired);
        Assert.Equal("generic_decline", (string)declined["decline_code"]!);
        Assert.Equal(2, (int)declined["attempts_left"]!);     // counted once, not once per report
        var again = await http.PostJsonAsync($"/v1/holds/{hold}/confirm", new { }, HttpStatusCode.PaymentRequired);
        Assert.Equal(2, (int)again["attempts_left"]!);
    }

    [Fact]
    public async Task Three_failed_payments_release_the_seats()
    {
        using var http = await platform.IntegratorClientAsync("eu", "acme");
        var (hold, eventId) = await HoldAsync(http, 2);
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var declined = await http.PayAndConfirmAsync(hold, Cards.Declined, HttpStatusCode.PaymentRequired);
            Assert.Equal(3 - attempt, (int)declined["attempts_left"]!);
            Assert.Equal(attempt == 3, (bool)declined["released"]!);
        }

        Assert.Equal("cancelled", (string)(await http.GetJsonAsync($"/v1/holds/{hold}"))["status"]!);
        var map = await http.GetJsonAsync($"/v1/events/{eventId}/seats");
        Assert.Equal(0, (int)map["held"]!);
        var fourth = await http.PostJsonAsync($"/v1/holds/{hold}/payment", new { }, HttpStatusCode.Conflict);
        Assert.Equal("hold_not_active", (string)fourth["code"]!);

        await using var db = await platform.OpenDatabaseAsync("eu", "reseller_acme");
        await using var cmd = new NpgsqlCommand("""
            SELECT count(*), bool_or((payload->>'released')::boolean) FROM outbox WHERE topic = 'payment.failed' AND payload->>'hold_id' = $1
            """, db) { Parameters = { new() { Value = hold } } };
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(3, reader.GetInt64(0));
        Assert.True(reader.GetBoolean(1));
    }

    [Fact]
    public async Task A_psp_timeout_then_a_late_success_charges_once_and_issues_the_tickets_once()
    {
        using var http = await platform.IntegratorClientAsync("eu", "acme");
        using var psp = platform.PspClient("eu");
        var (hold, _) = await HoldAsync(http, 2);

        // the PSP creates the intent but its answer is lost: the retry with the same idempotency key gets the same intent
        await SetFaultAsync(psp, "create_intent", "timeout");
        var payment = await http.PostJsonAsync($"/v1/holds/{hold}/payment", new { }, HttpStatusCode.OK);
        await Api.PayAtPspAsync(payment, Cards.Success);

        // the PSP confirms it took the money but the answer to the platform's check is lost: the retry reads it
        await SetFaultAsync(psp, "retrieve_intent", "timeout");
        var order = await http.PostJsonAsync($"/v1/holds/{hold}/confirm", new { }, HttpStatusCode.OK);

        // the PSP's own payment_intent.succeeded webhook arrives on top: same order, no second ticket
        var intentId = (string)payment["psp"]!["payment_intent_id"]!;
        await Eventually.GetAsync(async () => await WebhookOutcomeAsync(intentId, "payment_intent.succeeded"), "the PSP's success webhook");
        await using var db = await platform.OpenDatabaseAsync("eu", "reseller_acme");
        Assert.Equal(1L, await ScalarAsync(db, "SELECT count(*) FROM orders WHERE hold_id = $1", Guid.Parse(hold)));
        Assert.Equal(2L, await ScalarAsync(db, "SELECT count(*) FROM tickets WHERE order_id = $1", Guid.Parse(order.Id())));
        Assert.Equal(1L, await ScalarAsync(db, "SELECT count(*) FROM payments WHERE hold_id = $1", Guid.Parse(hold)));
        Assert.Equal(1L, await ScalarAsync(db, "SELECT count(*) FROM journal_entries WHERE kind = 'sale' AND order_id = $1", Guid.Parse(order.Id())));
        Assert.Equal(1, await SucceededIntentsAsync(psp, hold));
    }

    [Fact]
    public async Task A_processing_payment_is_confirmed_by_the_psp_webhook_when_it_succeeds()
    {
        using var http = await platform.IntegratorClientAsync("eu", "acme");
        var (hold, _) = await HoldAsync(http, 1);
        var pending = await http.PayAndConfirmAsync(hold, Cards.ProcessingThenSuccess, HttpStatusCode.Accepted);
        Assert.Equal("payment_pending", (string)pending["status"]!);

        var confirmed = await Eventually.GetAsync(async () =>
            await http.GetJsonAsync($"/v1/holds/{hold}") is var h && (string)h["status"]! == "confirmed" ? h : null, "the webhook's confirmation");
        var order = await http.PostJsonAsync($"/v1/holds/{hold}/confirm", new { }, HttpStatusCode.OK);
        Assert.Equal((string)confirmed["order_id"]!, order.Id());
    }

    [Fact]
    public async Task A_fraud_warning_after_confirmation_reserves_the_money_and_tells_the_reseller()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var http = await platform.IntegratorClientAsync("eu", "globex");
        var endpoint = await http.PostJsonAsync("/v1/webhooks/endpoints",
            new { url = receiver.Url, description = "fraud desk", event_types = new[] { "payment.fraud_flagged" } }, HttpStatusCode.Created);
        try
        {
            var (created, seats) = await http.CreateReservedEventAsync("Fraud " + Guid.NewGuid(), 1, 2);
            var email = $"fraud-{Guid.NewGuid():N}@example.com";
            var hold = await http.PostJsonAsync("/v1/holds", new { event_id = created.Id(), customer_ref = "fraud-" + Guid.NewGuid().ToString("N"), customer_email = email, seat_ids = seats }, HttpStatusCode.Created);
            var order = await http.PayAndConfirmAsync(hold.Id(), Cards.Fraud);
            Assert.False((bool)order["fraud_flagged"]!);

            // days later in real life (seconds here): the PSP's early fraud warning
            var flagged = await Eventually.GetAsync(async () =>
                await http.GetJsonAsync($"/v1/orders/{order.Id()}") is var o && (bool)o["fraud_flagged"]! ? o : null, "the fraud warning");
            Assert.Equal("confirmed", (string)flagged["status"]!);

            await using var db = await platform.OpenDatabaseAsync("eu", "reseller_globex");
            var (debits, credits, _) = await JournalAsync(db, order.Id(), "fraud_reserve");
            Assert.Equal(debits, credits);
            Assert.Equal((long)order["price"]!["subtotal"]!["minor_units"]!, debits);

            // the reseller hears of it, signed; the buyer gets the fraud-hold e-mail
            await receiver.WaitAsync(r => r.Any(x => x.Status == 200 && (string?)x.Json["type"] == "payment.fraud_flagged"
                && (string?)x.Json["data"]!["order_id"] == order.Id()), TimeSpan.FromSeconds(30), "the payment.fraud_flagged webhook");
            foreach (var r in receiver.Requests)
            {
                new StandardWebhooks.StandardWebhook((string)endpoint["secret"]!).Verify(r.Body, r.Headers);
            }

            var mail = await Eventually.GetAsync(async () =>
                (await http.GetJsonAsync($"/v1/mailbox?to={Uri.EscapeDataString(email)}"))["mails"]!.AsArray()
                    .FirstOrDefault(m => (string?)m!["kind"] == "fraud_hold"), "the fraud-hold e-mail");
            Assert.NotNull(mail);
        }
        finally
        {
            using var delete = await http.DeleteAsync($"/v1/webhooks/endpoints/{endpoint.Id()}");
        }
    }

    [Fact]
    public async Task A_chargeback_voids_the_tickets_and_reverses_the_sale()
    {
        using var http = await platform.IntegratorClientAsync("eu", "acme");
        var (hold, _) = await HoldAsync(http, 1);
        var order = await http.PayAndConfirmAsync(hold, Cards.Dispute);

        var charged = await Eventually.GetAsync(async () =>
            await http.GetJsonAsync($"/v1/orders/{order.Id()}") is var o && (string)o["status"]! == "charged_back" ? o : null, "the dispute");
        Assert.All(charged["tickets"]!.AsArray(), t => Assert.Equal("void", (string)t!["status"]!));
        await using var db = await platform.OpenDatabaseAsync("eu", "reseller_acme");
        var (debits, credits, clearing) = await JournalAsync(db, order.Id(), "chargeback");
        Assert.Equal(debits, credits);
        Assert.Equal(-(long)order["total"]!["minor_units"]!, clearing);
        Assert.Equal(1L, await ScalarAsync(db, "SELECT count(*) FROM outbox WHERE topic = 'payment.chargeback' AND aggregate_id = $1", Guid.Parse(order.Id())));
    }

    [Fact]
    public async Task A_psp_event_with_a_bad_signature_is_refused()
    {
        using var api = platform.ResellerClient("eu", "acme.eu.localhost");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/psp/webhooks")
        {
            Content = JsonContent.Create(new { id = "evt_forged", type = "payment_intent.succeeded", data = new { @object = new { id = "pi_x", metadata = new { reseller = "acme" } } } }),
        };
        request.Headers.Add("webhook-id", "evt_forged");
        request.Headers.Add("webhook-timestamp", DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", "v1," + Convert.ToBase64String(new byte[32]));
        using var response = await api.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static async Task<(string Hold, string Event)> HoldAsync(HttpClient http, int seats)
    {
        var (created, seatIds) = await http.CreateReservedEventAsync("Pay " + Guid.NewGuid(), 1, Math.Max(seats, 2));
        var hold = await http.PostJsonAsync("/v1/holds", new { event_id = created.Id(), customer_ref = "payer-" + Guid.NewGuid().ToString("N"), seat_ids = seatIds.Take(seats) }, HttpStatusCode.Created);
        return (hold.Id(), created.Id());
    }

    private static async Task SetFaultAsync(HttpClient psp, string operation, string kind)
    {
        using var response = await psp.PostAsJsonAsync("/v1/test/faults", new { operation, kind, count = 1 });
        Assert.True(response.IsSuccessStatusCode, $"set fault: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Webhooks the PSP sent, as its test endpoint lists them.</summary>
    private static async Task<JsonArray> SentWebhooksAsync(HttpClient psp)
    {
        var list = JsonNode.Parse(await psp.GetStringAsync("/v1/test/webhooks?type=payment_intent.succeeded"))!;
        return list["data"]!.AsArray();
    }

    private static async Task<int> SucceededIntentsAsync(HttpClient psp, string hold) =>
        (await SentWebhooksAsync(psp)).Count(w => (string?)w!["type"] == "payment_intent.succeeded"
            && (string?)w["event"]?["data"]?["object"]?["metadata"]?["hold_id"] == hold);

    /// <summary>The platform's record of a PSP event it applied, once it arrived.</summary>
    private async Task<string?> WebhookOutcomeAsync(string intentId, string type)
    {
        await using var db = await platform.OpenDatabaseAsync("eu", "reseller_acme");
        await using var cmd = new NpgsqlCommand("SELECT outcome FROM psp_events WHERE intent_id = $1 AND type = $2", db)
        { Parameters = { new() { Value = intentId }, new() { Value = type } } };
        return await cmd.ExecuteScalarAsync() as string;
    }

    /// <summary>Debits, credits and the PSP clearing account's net (debit − credit) of the order's entries of a kind.</summary>
    private static async Task<(long Debits, long Credits, long Clearing)> JournalAsync(NpgsqlConnection db, string orderId, string kind)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT coalesce(sum(l.debit_minor), 0)::bigint, coalesce(sum(l.credit_minor), 0)::bigint,
                   coalesce(sum(l.debit_minor - l.credit_minor) FILTER (WHERE l.account = 'psp_clearing'), 0)::bigint
            FROM journal_entries e JOIN journal_lines l ON l.entry_id = e.id WHERE e.order_id = $1 AND e.kind = $2
            """, db) { Parameters = { new() { Value = Guid.Parse(orderId) }, new() { Value = kind } } };
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.True(reader.GetInt64(0) > 0, $"no {kind} entry for order {orderId}");
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection db, string sql, object value)
    {
        await using var cmd = new NpgsqlCommand(sql, db) { Parameters = { new() { Value = value } } };
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
