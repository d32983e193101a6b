using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace TicketAspire.AppHost.Tests;

/// <summary>
/// Group sales through the running AppHost: a quote holds more tickets than any buyer may, priced without a card
/// processing fee; the invoice's exact total recorded sells it (the tickets e-mailed to the group's contact, the order
/// refused a card refund); a wrong amount sells nothing; a cancelled quote's tickets are on sale again; and quotes
/// racing for one event never hold more than it has.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class GroupSalesTests(PlatformFixture platform)
{
    [Fact]
    public async Task A_group_quote_holds_until_its_invoice_is_paid_and_is_sold_once_for_exactly_its_total()
    {
        using var acme = await platform.IntegratorClientAsync("eu", "acme");
        var created = await acme.PostJsonAsync("/v1/events", Api.GaEvent("Group night " + Guid.NewGuid(), 200), HttpStatusCode.Created);
        var eventId = created.Id();
        var classId = (string)created["ticket_classes"]![0]!["id"]!;
        var contact = $"treasurer-{Guid.NewGuid():N}@example.com";
        var due = DateTimeOffset.UtcNow.AddDays(14);

        // 120 tickets: twenty times what one buyer may hold
        var quote = await acme.PostJsonAsync($"/v1/events/{eventId}/group-quotes", new
        {
            organization = "Berlin Rowing Club", contact_email = contact, due_at = due, note = "Annual outing",
            tickets = new[] { new { class_id = classId, quantity = 120 } },
        }, HttpStatusCode.Created);
        Assert.Equal(("open", 120), ((string)quote["status"]!, (int)quote["ticket_count"]!));
        Assert.StartsWith("GQ-", (string)quote["number"]!, StringComparison.Ordinal);
        var price = quote["price"]!;
        Assert.Equal(120 * 9900L, (long)price["subtotal_minor"]!);
        Assert.Equal(0L, (long)price["processing_fee_minor"]!);
        var total = (long)price["total_minor"]!;
        Assert.Equal(80, await AvailableAsync(acme, eventId));

        // the wrong amount: 422 problem details naming the invoice's total, nothing sold
        var wrong = await PostAsync(acme, $"/v1/events/{eventId}/group-quotes/{quote.Id()}/payment", new { reference = "BANK-1", amount_minor = total - 1 },
            HttpStatusCode.UnprocessableEntity);
        Assert.Equal(total, (long)wrong["total_minor"]!);

        // the exact total: sold, one ticket a unit, the payment reference the invoice
        var paid = await PostAsync(acme, $"/v1/events/{eventId}/group-quotes/{quote.Id()}/payment",
            new { reference = "BANK-2026-0042", amount_minor = total, currency = "EUR" }, HttpStatusCode.OK);
        Assert.Equal("paid", (string)paid["status"]!);
        var orderId = (string)paid["order_id"]!;
        var order = await acme.GetJsonAsync($"/v1/orders/{orderId}");
        Assert.Equal(120, order["tickets"]!.AsArray().Count);
        Assert.Equal($"invoice:{quote["number"]}", (string)order["payment_reference"]!);
        var again = await PostAsync(acme, $"/v1/events/{eventId}/group-quotes/{quote.Id()}/payment",
            new { reference = "BANK-2026-0042", amount_minor = total }, HttpStatusCode.OK);
        Assert.Equal(orderId, (string)again["order_id"]!);
        var closed = await PostAsync(acme, $"/v1/events/{eventId}/group-quotes/{quote.Id()}/cancel", new { }, HttpStatusCode.Conflict);
        Assert.Equal("group_quote_closed", (string)closed["code"]!);

        // the tickets go to the group's contact; the money goes back by bank transfer, never through the PSP
        await Eventually.GetAsync(async () =>
        {
            var mails = await acme.GetJsonAsync($"/v1/mailbox?to={Uri.EscapeDataString(contact)}");
            return mails["mails"]!.AsArray().FirstOrDefault(m => m!["order_id"]?.GetValue<string>() == orderId);
        }, "the order confirmation e-mail to the group's contact", TimeSpan.FromSeconds(60));
        var refund = await PostAsync(acme, $"/v1/orders/{orderId}/refund", new { reason = "group cancelled" }, HttpStatusCode.Conflict);
        Assert.Contains("invoice", (string)refund["detail"]!, StringComparison.Ordinal);

        // a second quote withdrawn: its tickets are on sale again at once
        var second = await acme.PostJsonAsync($"/v1/events/{eventId}/group-quotes", new
        {
            organization = "Choir", contact_email = contact, due_at = due, tickets = new[] { new { class_id = classId, quantity = 80 } },
        }, HttpStatusCode.Created);
        await PostAsync(acme, $"/v1/events/{eventId}/group-quotes", new
        {
            organization = "Too late", contact_email = contact, due_at = due, tickets = new[] { new { class_id = classId, quantity = 1 } },
        }, HttpStatusCode.Conflict);
        var cancelled = await PostAsync(acme, $"/v1/events/{eventId}/group-quotes/{second.Id()}/cancel", new { }, HttpStatusCode.OK);
        Assert.Equal("cancelled", (string)cancelled["status"]!);
        Assert.Equal(80, await AvailableAsync(acme, eventId));

        var list = await acme.GetJsonAsync($"/v1/events/{eventId}/group-quotes?status=paid");
        Assert.Equal(quote.Id(), Assert.Single(list["items"]!.AsArray()).Id());

        // bad input: 400 problem details naming the field; another reseller does not know the quote
        var tooSoon = await PostAsync(acme, $"/v1/events/{eventId}/group-quotes", new
        {
            organization = "Club", contact_email = contact, due_at = DateTimeOffset.UtcNow.AddMinutes(5), tickets = new[] { new { class_id = classId, quantity = 1 } },
        }, HttpStatusCode.BadRequest);
        Assert.NotNull(tooSoon["errors"]!["due_at"]);
        await PostAsync(acme, $"/v1/events/{eventId}/group-quotes/{quote.Id()}/payment", new { reference = new string('x', 500), amount_minor = total },
            HttpStatusCode.BadRequest);
        await acme.GetJsonAsync($"/v1/events/{eventId}/group-quotes?status=lost", HttpStatusCode.BadRequest);
        using var globex = await platform.IntegratorClientAsync("eu", "globex");
        await globex.GetJsonAsync($"/v1/events/{eventId}/group-quotes/{quote.Id()}", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Quotes_racing_for_one_event_never_hold_more_than_it_has()
    {
        using var acme = await platform.IntegratorClientAsync("eu", "acme");
        var created = await acme.PostJsonAsync("/v1/events", Api.GaEvent("Group race " + Guid.NewGuid(), 300), HttpStatusCode.Created);
        var eventId = created.Id();
        var classId = (string)created["ticket_classes"]![0]!["id"]!;

        // 12 quotes of 30 for 300 tickets, at once
        var attempts = Enumerable.Range(0, 12).Select(async i =>
        {
            using var response = await acme.PostAsJsonAsync($"/v1/events/{eventId}/group-quotes", new
            {
                organization = $"Club {i}", contact_email = $"club{i}@example.com", due_at = DateTimeOffset.UtcNow.AddDays(3),
                tickets = new[] { new { class_id = classId, quantity = 30 } },
            }, PlatformFixture.Json);
            return response.StatusCode;
        }).ToList();
        var statuses = await Task.WhenAll(attempts);

        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.Created or HttpStatusCode.Conflict, $"answered {(int)s}"));
        var quoted = statuses.Count(s => s == HttpStatusCode.Created);
        Assert.InRange(quoted, 9, 10);
        Assert.Equal(300 - (30 * quoted), await AvailableAsync(acme, eventId));
    }

    /// <summary>The tickets of the event's one class on sale now.</summary>
    private static async Task<int> AvailableAsync(HttpClient http, string eventId) =>
        (int)(await http.GetJsonAsync($"/v1/events/{eventId}"))["ticket_classes"]![0]!["available"]!;

    private static async Task<JsonObject> PostAsync(HttpClient http, string path, object body, HttpStatusCode expected)
    {
        using var response = await http.PostAsJsonAsync(path, body, PlatformFixture.Json);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"POST {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }
}
