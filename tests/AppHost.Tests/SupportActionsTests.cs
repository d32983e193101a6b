using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace TicketAspire.AppHost.Tests;

/// <summary>
/// The staff endpoints behind the support and operator console, through the running cell: the resellers' health (each
/// one's database, Redis and issuer really checked), tickets sent again (the order confirmation e-mail queued through the
/// outbox as the sale does, landing in the mailbox), an account's hold block ended, and the audit search's new filters
/// finding those staff actions. Integrators, end users and the other staff role are refused; bad input is a 400 problem.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class SupportActionsTests(PlatformFixture platform)
{
    private const string AcmeHost = "acme.eu.localhost";

    private Task<string> SupportTokenAsync() =>
        Tokens.ClientCredentialsAsync(platform, "eu", "platform", "eu-support", PlatformFixture.StaffSecret("eu", "support"), "support");

    private Task<string> OperatorTokenAsync() =>
        Tokens.ClientCredentialsAsync(platform, "eu", "platform", "eu-operator", PlatformFixture.StaffSecret("eu", "operator"), "operator");

    [Fact]
    public async Task The_operator_sees_every_resellers_database_redis_and_issuer_healthy_with_latencies()
    {
        using var op = platform.ResellerClient("eu", "eu.localhost", await OperatorTokenAsync());
        var report = await op.GetJsonAsync("/v1/admin/resellers/health");
        var lines = report["resellers"]!.AsArray().Select(r => r!.AsObject()).ToList();
        foreach (var id in new[] { "acme", "globex" })
        {
            var line = Assert.Single(lines, l => (string)l["id"]! == id);
            Assert.Equal("ok", (string)line["status"]!);
            var components = line["components"]!.AsArray().Select(c => c!.AsObject()).ToList();
            Assert.Equal(["database", "redis", "identity"], components.Select(c => (string)c["name"]!));
            Assert.All(components, c =>
            {
                Assert.Equal("ok", (string)c["status"]!);
                Assert.InRange((double)c["latency_ms"]!, 0, 2000);
                Assert.Null(c["error"]);
            });
        }

        var one = await op.GetJsonAsync("/v1/admin/resellers/health?id=globex");
        Assert.Equal("globex", (string)Assert.Single(one["resellers"]!.AsArray())!["id"]!);
        var unknown = await op.GetJsonAsync("/v1/admin/resellers/health?id=nobody", HttpStatusCode.BadRequest);
        Assert.True(unknown["errors"]!.AsObject().ContainsKey("id"), unknown.ToJsonString());
        await op.GetJsonAsync($"/v1/admin/resellers/health?id={new string('x', 5000)}", HttpStatusCode.BadRequest);

        // support staff and integrators are not operators
        using var support = platform.ResellerClient("eu", "eu.localhost", await SupportTokenAsync());
        await support.GetJsonAsync("/v1/admin/resellers/health", HttpStatusCode.Forbidden);
        using var acme = await platform.IntegratorClientAsync("eu", "acme");
        await acme.GetJsonAsync("/v1/admin/resellers/health", HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Support_sends_an_orders_tickets_again_and_the_confirmation_email_arrives_a_second_time()
    {
        using var acme = await platform.IntegratorClientAsync("eu", "acme");
        var (created, seats) = await acme.CreateReservedEventAsync($"Resend {Guid.NewGuid()}", 1, 4);
        var email = $"resend-{Guid.NewGuid():N}@example.com";
        var hold = await acme.PostJsonAsync("/v1/holds", new { event_id = created.Id(), customer_ref = email, customer_email = email, seat_ids = seats.Take(2) }, HttpStatusCode.Created);
        var order = await acme.PayAndConfirmAsync(hold.Id());
        async Task<JsonArray> MailsAsync() => (await acme.GetJsonAsync($"/v1/mailbox?to={Uri.EscapeDataString(email)}"))["mails"]!.AsArray();
        await Eventually.GetAsync(async () => (await MailsAsync()).Count == 1 ? "" : null, "the order confirmation", TimeSpan.FromSeconds(60));

        using var support = platform.ResellerClient("eu", AcmeHost, await SupportTokenAsync());
        var resent = await support.PostJsonAsync($"/v1/orders/{order.Id()}/resend-tickets", new { }, HttpStatusCode.Accepted);
        Assert.Equal((order.Id(), 2), ((string)resent["order_id"]!, (int)resent["tickets"]!));
        Assert.Equal($"r***@example.com", (string)resent["to"]!);

        var mails = await Eventually.GetAsync(async () => await MailsAsync() is { Count: 2 } m ? m : null, "the tickets sent again", TimeSpan.FromSeconds(60));
        Assert.All(mails, m => Assert.Equal(("order_confirmation", order.Id()), ((string)m!["kind"]!, (string)m["order_id"]!)));
        var again = await acme.GetJsonAsync($"/v1/mailbox/{mails[0].Id()}");
        foreach (var ticket in order["tickets"]!.AsArray())
        {
            Assert.Contains((string)ticket!["code"]!, (string)again["text_body"]!, StringComparison.Ordinal);
        }

        // a refunded order has no valid tickets to send; an unknown order is 404; another reseller's order is not found
        await support.PostJsonAsync($"/v1/orders/{order.Id()}/refund", new { reason = "resend test" }, HttpStatusCode.OK);
        var refused = await support.PostJsonAsync($"/v1/orders/{order.Id()}/resend-tickets", new { }, HttpStatusCode.Conflict);
        Assert.Equal("order_not_resendable", (string)refused["code"]!);
        Assert.Equal("order_not_found", (string)(await support.PostJsonAsync($"/v1/orders/{Guid.NewGuid()}/resend-tickets", new { }, HttpStatusCode.NotFound))["code"]!);
        using var supportOnGlobex = platform.ResellerClient("eu", "globex.eu.localhost", await SupportTokenAsync());
        await supportOnGlobex.PostJsonAsync($"/v1/orders/{order.Id()}/resend-tickets", new { }, HttpStatusCode.NotFound);

        // only support: the reseller's own integrator and the operator are refused
        await acme.PostJsonAsync($"/v1/orders/{order.Id()}/resend-tickets", new { }, HttpStatusCode.Forbidden);
        using var op = platform.ResellerClient("eu", AcmeHost, await OperatorTokenAsync());
        await op.PostJsonAsync($"/v1/orders/{order.Id()}/resend-tickets", new { }, HttpStatusCode.Forbidden);

        // the audit search finds support's action by action, actor kind and time
        var since = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(-10).ToString("O"));
        var entries = (await support.GetJsonAsync($"/v1/audit?action=ResendTickets&actor_kind=staff&since={since}&resource_id={order.Id()}"))["entries"]!.AsArray();
        Assert.Contains(entries, e => (int?)e!["status"] == 202 && (string?)e["client_id"] == "eu-support");
        Assert.All(entries, e => Assert.Equal("ResendTickets", (string)e!["action"]!));
        var future = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O"));
        Assert.Empty((await support.GetJsonAsync($"/v1/audit?action=ResendTickets&since={future}"))["entries"]!.AsArray());
    }

    [Fact]
    public async Task Support_ends_an_accounts_hold_block_and_the_account_holds_again()
    {
        var customer = $"blocked-{Guid.NewGuid():N}";
        await using (var db = await platform.OpenDatabaseAsync("eu", "reseller_acme"))
        {
            await using var block = new Npgsql.NpgsqlCommand(
                "INSERT INTO account_blocks (customer_ref, reason, blocked_at, blocked_until) VALUES ($1, 'hold_without_confirm', now(), now() + interval '1 hour')", db);
            block.Parameters.Add(new() { Value = customer });
            await block.ExecuteNonQueryAsync();
        }

        using var acme = await platform.IntegratorClientAsync("eu", "acme");
        var (created, seats) = await acme.CreateReservedEventAsync($"Unblock {Guid.NewGuid()}", 1, 2);
        var blocked = await acme.PostJsonAsync("/v1/holds", new { event_id = created.Id(), customer_ref = customer, seat_ids = seats.Take(1) }, HttpStatusCode.TooManyRequests);
        Assert.Equal("account_blocked", (string)blocked["code"]!);

        // not support: refused, the block stays
        await acme.DeleteJsonAsync($"/v1/account-blocks/{customer}", HttpStatusCode.Forbidden);

        using var support = platform.ResellerClient("eu", AcmeHost, await SupportTokenAsync());
        using (var lifted = await support.DeleteAsync($"/v1/account-blocks/{Uri.EscapeDataString(customer)}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, lifted.StatusCode);
        }

        await Eventually.GetAsync(async () =>
        {
            using var hold = await acme.PostAsJsonAsync("/v1/holds", new { event_id = created.Id(), customer_ref = customer, seat_ids = seats.Take(1) }, Api.Json);
            return hold.StatusCode == HttpStatusCode.Created ? "" : null;
        }, "a hold of the unblocked account", TimeSpan.FromSeconds(10));
        var none = await support.DeleteJsonAsync($"/v1/account-blocks/{customer}", HttpStatusCode.NotFound);
        Assert.Equal("account_block_not_found", (string)none["code"]!);
        var tooLong = await support.DeleteJsonAsync($"/v1/account-blocks/{new string('c', 300)}", HttpStatusCode.BadRequest);
        Assert.True(tooLong["errors"]!.AsObject().ContainsKey("customer_ref"), tooLong.ToJsonString());

        var entries = (await support.GetJsonAsync($"/v1/audit?action=UnblockAccount&actor_kind=staff&resource_id={Uri.EscapeDataString(customer)}"))["entries"]!.AsArray();
        Assert.Contains(entries, e => (int?)e!["status"] == 204);
    }

    [Fact]
    public async Task Bad_audit_filters_are_a_400_problem_naming_the_field()
    {
        using var support = platform.ResellerClient("eu", AcmeHost, await SupportTokenAsync());
        var problem = await support.GetJsonAsync($"/v1/audit?since=yesterday&until=2026-13-45&actor_kind=robot&action={new string('a', 101)}", HttpStatusCode.BadRequest);
        var errors = problem["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("since") && errors.ContainsKey("until") && errors.ContainsKey("actor_kind") && errors.ContainsKey("action"), problem.ToJsonString());
    }
}

internal static class DeleteJsonExtensions
{
    /// <summary>DELETE <paramref name="path"/>, expecting <paramref name="expected"/>; the problem body (or an empty object).</summary>
    public static async Task<JsonObject> DeleteJsonAsync(this HttpClient http, string path, HttpStatusCode expected)
    {
        using var response = await http.DeleteAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"DELETE {path}: expected {(int)expected}, got {(int)response.StatusCode} {text}");
        return text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject();
    }
}
