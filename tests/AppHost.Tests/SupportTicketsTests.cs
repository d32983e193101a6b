using System.Text;
using System.Text.Json.Nodes;

namespace TicketAspire.AppHost.Tests;

/// <summary>
/// Support tickets through the running cell: acme's integrator opens one, the cell's support answers it on acme's host,
/// acme sees the answer and closes it; every step is in acme's audit log and support's answer is in acme's outbox for its
/// webhooks. Another reseller, end users and operators reach nothing; bad input is a 400 problem.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class SupportTicketsTests(PlatformFixture platform)
{
    private const string AcmeHost = "acme.eu.localhost";

    [Fact]
    public async Task Acme_opens_a_ticket_support_answers_acme_sees_the_answer_and_closes_it_all_audited()
    {
        using var acme = await platform.IntegratorClientAsync("eu", "acme");
        var opened = await acme.PostJsonAsync("/v1/support/tickets",
            new { subject = "Payout short " + Guid.NewGuid(), body = "Last week's payout is 12.00 short.\nCan you check?", category = "billing" }, HttpStatusCode.Created);
        var id = opened.Id();
        Assert.Equal(("open", "billing", "normal", "reseller", 1), ((string)opened["status"]!, (string)opened["category"]!, (string)opened["priority"]!,
            (string)opened["opened_by_kind"]!, (int)opened["message_count"]!));

        using var support = platform.ResellerClient("eu", AcmeHost, await SupportTokenAsync());
        var waiting = (await support.GetJsonAsync("/v1/support/tickets?status=open&size=100"))["tickets"]!.AsArray();
        Assert.Contains(waiting, t => t.Id() == id);
        var answer = await support.PostJsonAsync($"/v1/support/tickets/{id}/messages", new { body = "A refund fee was taken. Details: …" }, HttpStatusCode.Created);
        Assert.Equal(("waiting_on_reseller", 2, "support", "eu-support"), ((string)answer["ticket"]!["status"]!, (int)answer["message"]!["seq"]!,
            (string)answer["message"]!["author_kind"]!, (string)answer["message"]!["author"]!));

        var thread = await acme.GetJsonAsync($"/v1/support/tickets/{id}");
        Assert.Equal("waiting_on_reseller", (string)thread["status"]!);
        Assert.Equal(["reseller", "support"], thread["messages"]!.AsArray().Select(m => (string)m!["author_kind"]!));
        Assert.Equal("A refund fee was taken. Details: …", (string)thread["messages"]![1]!["body"]!);

        var closed = await acme.PostJsonAsync($"/v1/support/tickets/{id}/status", new { status = "closed" }, HttpStatusCode.OK);
        Assert.Equal("closed", (string)closed["status"]!);
        var refused = await acme.PostJsonAsync($"/v1/support/tickets/{id}/messages", new { body = "one more thing" }, HttpStatusCode.Conflict);
        Assert.Equal(("support_ticket_closed", "https://ticketaspire.dev/problems/support_ticket_closed"), ((string)refused["code"]!, (string)refused["type"]!));

        // every write in acme's audit log (written in batches), support's read and answer as staff
        bool Complete(List<JsonObject> l) =>
            l.Any(e => (string)e["actor_kind"]! == "integrator" && (string)e["action"]! == "OpenSupportTicket" && (int?)e["status"] == 201)
            && l.Any(e => (string)e["actor_kind"]! == "staff" && (string)e["action"]! == "ReplyToSupportTicket" && (int?)e["status"] == 201)
            && l.Any(e => (string)e["actor_kind"]! == "integrator" && (string)e["action"]! == "ChangeSupportTicketStatus" && (int?)e["status"] == 200)
            && l.Any(e => (string)e["actor_kind"]! == "integrator" && (string)e["action"]! == "ReplyToSupportTicket" && (int?)e["status"] == 409);
        await Eventually.GetAsync(async () =>
        {
            var found = (await acme.GetJsonAsync($"/v1/audit?resource_id={id}&size=100"))["entries"]!.AsArray().Select(e => e!.AsObject()).ToList();
            return Complete(found) ? found : null;
        }, "the audit lines of the ticket");

        // support's answer is an outbox event for acme's webhooks
        await using var db = await platform.OpenDatabaseAsync("eu", "reseller_acme");
        await using var outbox = new Npgsql.NpgsqlCommand("SELECT count(*) FROM outbox WHERE topic = 'support_ticket.replied' AND aggregate_id = $1", db);
        outbox.Parameters.Add(new() { Value = Guid.Parse(id) });
        Assert.Equal(1L, (long)(await outbox.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task Another_resellers_integrator_cannot_reach_acmes_ticket()
    {
        using var acme = await platform.IntegratorClientAsync("eu", "acme");
        var id = (await acme.PostJsonAsync("/v1/support/tickets", new { subject = "Private " + Guid.NewGuid(), body = "acme only" }, HttpStatusCode.Created)).Id();

        using var globex = await platform.IntegratorClientAsync("eu", "globex");
        var missing = await globex.GetJsonAsync($"/v1/support/tickets/{id}", HttpStatusCode.NotFound);
        Assert.Equal("support_ticket_not_found", (string)missing["code"]!);
        await globex.PostJsonAsync($"/v1/support/tickets/{id}/messages", new { body = "hello" }, HttpStatusCode.NotFound);
        await globex.PostJsonAsync($"/v1/support/tickets/{id}/status", new { status = "closed" }, HttpStatusCode.NotFound);
        Assert.DoesNotContain((await globex.GetJsonAsync("/v1/support/tickets?size=100"))["tickets"]!.AsArray(), t => t.Id() == id);

        // globex's token on acme's host is another reseller's token
        using var globexOnAcme = platform.ResellerClient("eu", AcmeHost, await platform.IntegratorTokenAsync("eu", "globex"));
        await globexOnAcme.GetJsonAsync($"/v1/support/tickets/{id}", HttpStatusCode.Forbidden);
        Assert.Equal("acme only", (string)(await acme.GetJsonAsync($"/v1/support/tickets/{id}"))["messages"]![0]!["body"]!);
    }

    [Fact]
    public async Task End_users_operators_and_read_only_tokens_are_refused()
    {
        using var acme = await platform.IntegratorClientAsync("eu", "acme");
        var id = (await acme.PostJsonAsync("/v1/support/tickets", new { subject = "Refusals " + Guid.NewGuid(), body = "x" }, HttpStatusCode.Created)).Id();
        using var browser = new Browser(platform, "eu");
        var customer = (string)(await browser.SignInAsync("acme", $"support-{Guid.NewGuid():N}@example.com", "support-password-123", register: true))["access_token"]!;
        var operatorToken = await Tokens.ClientCredentialsAsync(platform, "eu", "platform", "eu-operator", PlatformFixture.StaffSecret("eu", "operator"), "operator");

        foreach (var token in new[] { customer, operatorToken })
        {
            using var http = platform.ResellerClient("eu", AcmeHost, token);
            await http.GetJsonAsync("/v1/support/tickets", HttpStatusCode.Forbidden);
            await http.GetJsonAsync($"/v1/support/tickets/{id}", HttpStatusCode.Forbidden);
            await http.PostJsonAsync("/v1/support/tickets", new { subject = "mine", body = "x" }, HttpStatusCode.Forbidden);
            await http.PostJsonAsync($"/v1/support/tickets/{id}/messages", new { body = "x" }, HttpStatusCode.Forbidden);
        }

        // inventory:read reads the tickets and writes nothing
        using var readOnly = platform.ResellerClient("eu", AcmeHost, await platform.IntegratorTokenAsync("eu", "acme", "inventory:read"));
        await readOnly.GetJsonAsync($"/v1/support/tickets/{id}");
        var forbidden = await readOnly.PostJsonAsync($"/v1/support/tickets/{id}/messages", new { body = "x" }, HttpStatusCode.Forbidden);
        Assert.Contains("inventory:write", (string)forbidden["detail"]!, StringComparison.Ordinal);
        using var anonymous = platform.ResellerClient("eu", AcmeHost);
        await anonymous.GetJsonAsync("/v1/support/tickets", HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Bad_input_is_a_400_problem_naming_the_field()
    {
        using var acme = await platform.IntegratorClientAsync("eu", "acme");
        var id = (await acme.PostJsonAsync("/v1/support/tickets", new { subject = "Bad input " + Guid.NewGuid(), body = "x" }, HttpStatusCode.Created)).Id();

        async Task Expect400(string path, object body, string field)
        {
            var problem = await acme.PostJsonAsync(path, body, HttpStatusCode.BadRequest);
            Assert.True(problem["errors"]!.AsObject().ContainsKey(field), problem.ToJsonString());
        }

        await Expect400("/v1/support/tickets", new { }, "subject");
        await Expect400("/v1/support/tickets", new { subject = new string('s', 201), body = "x" }, "subject");
        await Expect400("/v1/support/tickets", new { subject = "two\nlines", body = "x" }, "subject");
        await Expect400("/v1/support/tickets", new { subject = "s", body = new string('b', 10_001) }, "body");
        await Expect400("/v1/support/tickets", new { subject = "s", body = "x", priority = "critical" }, "priority");
        await Expect400($"/v1/support/tickets/{id}/messages", new { body = "  " }, "body");
        await Expect400($"/v1/support/tickets/{id}/status", new { status = "waiting_on_support" }, "status");
        var list = await acme.GetJsonAsync("/v1/support/tickets?status=pending&size=500", HttpStatusCode.BadRequest);
        Assert.True(list["errors"]!.AsObject().ContainsKey("status") && list["errors"]!.AsObject().ContainsKey("size"), list.ToJsonString());

        // a NUL in JSON is refused at the edge, before anything reads it
        using (var response = await acme.PostAsync($"/v1/support/tickets/{id}/messages", new StringContent("{\"body\":\"nul \\u0000\"}", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("invalid_characters", (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["code"]!);
        }

        // only support resolves
        var resolve = await acme.PostJsonAsync($"/v1/support/tickets/{id}/status", new { status = "resolved" }, HttpStatusCode.Forbidden);
        Assert.Equal("support_ticket_status_not_allowed", (string)resolve["code"]!);
        await acme.GetJsonAsync($"/v1/support/tickets/{Guid.NewGuid()}", HttpStatusCode.NotFound);
        await acme.GetJsonAsync("/v1/support/tickets/not-a-guid", HttpStatusCode.NotFound);
    }

    private Task<string> SupportTokenAsync() =>
        Tokens.ClientCredentialsAsync(platform, "eu", "platform", "eu-support", PlatformFixture.StaffSecret("eu", "support"), "support");
}
