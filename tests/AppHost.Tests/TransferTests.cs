using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Npgsql;

namespace TicketAspire.AppHost.Tests;

/// <summary>
/// Transfers by e-mail end to end, the same scenario in the eu and us cells and with the organizer's switch on and off:
/// the claim token reaches the recipient's e-mail (through the outbox, the worker and the mailbox) and nowhere else,
/// claiming it moves the ticket with a new code, once.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed partial class TransferTests(PlatformFixture platform)
{
    private const string Password = "a-long-enough-password-42";

    [Theory]
    [InlineData("eu", "acme", true)]
    [InlineData("us", "initech", true)]
    [InlineData("eu", "acme", false)]
    [InlineData("us", "initech", false)]
    public async Task A_ticket_sent_by_email_is_claimed_once_with_a_new_code_where_the_event_allows_transfers(string cell, string reseller, bool eventAllows)
    {
        using var integrator = await platform.IntegratorClientAsync(cell, reseller);
        var (created, seats) = await integrator.CreateReservedEventAsync("Transfer show " + Guid.NewGuid(), 1, 1);
        if (!eventAllows)
        {
            using var policy = await integrator.PutAsJsonAsync($"/v1/events/{created.Id()}/ticket-policy", new { transfers_allowed = false }, PlatformFixture.Json);
            Assert.Equal(HttpStatusCode.OK, policy.StatusCode);
        }

        var (sender, _) = await EndUserAsync(cell, reseller, "sender");
        var order = await sender.PayAndConfirmAsync((await sender.PostJsonAsync("/v1/holds", new { event_id = created.Id(), seat_ids = seats }, HttpStatusCode.Created)).Id());
        var ticket = order["tickets"]![0]!;
        var friend = $"friend-{Guid.NewGuid():N}@example.com";
        if (!eventAllows)
        {
            var refused = await sender.PostJsonAsync($"/v1/tickets/{ticket.Id()}/transfer", new { to_email = friend }, HttpStatusCode.Forbidden);
            Assert.Equal("transfer_not_allowed", (string)refused["code"]!);
            return;
        }

        var transfer = await sender.PostJsonAsync($"/v1/tickets/{ticket.Id()}/transfer", new { to_email = friend, message = "have fun" }, HttpStatusCode.Created);
        Assert.Equal("pending", (string)transfer["status"]!);
        Assert.Null(transfer["claim_token"]);

        // the recipient's e-mail carries the token; the webhook message and the processed outbox row do not
        var summary = await Eventually.GetAsync(async () =>
            (await integrator.GetJsonAsync($"/v1/mailbox?to={Uri.EscapeDataString(friend)}"))["mails"]!.AsArray()
                .FirstOrDefault(m => (string?)m!["kind"] == "transfer_offer"), "the transfer e-mail");
        var mail = await integrator.GetJsonAsync($"/v1/mailbox/{summary!.Id()}");
        var token = ClaimCode().Match((string)mail["text_body"]!).Groups[1].Value;
        Assert.NotEmpty(token);
        await using (var db = await platform.OpenDatabaseAsync(cell, $"reseller_{reseller}"))
        {
            await using var cmd = new NpgsqlCommand("""
                SELECT (SELECT count(*) FROM outbox WHERE payload::text LIKE '%' || $1 || '%')
                     + (SELECT count(*) FROM webhook_messages WHERE payload::text LIKE '%' || $1 || '%')
                     + (SELECT count(*) FROM ticket_transfers WHERE row(ticket_transfers.*)::text LIKE '%' || $1 || '%')
                """, db);
            cmd.Parameters.Add(new() { Value = token });
            Assert.Equal(0L, (long)(await cmd.ExecuteScalarAsync())!);
        }

        var (recipient, recipientRef) = await EndUserAsync(cell, reseller, "recipient");
        var claimed = await recipient.PostJsonAsync("/v1/transfers/claim", new { token }, HttpStatusCode.OK);
        Assert.Equal(("valid", recipientRef, "transfer"), ((string)claimed["status"]!, (string)claimed["owner_ref"]!, (string)claimed["origin"]!));
        Assert.NotEqual((string)ticket["code"]!, (string)claimed["code"]!);
        var old = await sender.GetJsonAsync($"/v1/tickets/{ticket.Id()}");
        Assert.Equal(("transferred", null), ((string)old["status"]!, (string?)old["code"]));
        Assert.Single((await recipient.GetJsonAsync("/v1/me/tickets"))["tickets"]!.AsArray());
        var again = await recipient.PostJsonAsync("/v1/transfers/claim", new { token }, HttpStatusCode.NotFound);
        Assert.Equal("transfer_not_found", (string)again["code"]!);
    }

    private async Task<(HttpClient Client, string CustomerRef)> EndUserAsync(string cell, string reseller, string who)
    {
        using var browser = new Browser(platform, cell);
        var tokens = await browser.SignInAsync(reseller, $"{who}-{Guid.NewGuid():N}@example.com", Password, register: true);
        var token = (string)tokens["access_token"]!;
        var http = new HttpClient { BaseAddress = platform.App.GetEndpoint($"{cell}-api", "http"), Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return (http, $"user:{Tokens.Read(token).Subject}");
    }

    [GeneratedRegex(@"claim code \(it works once\):\s+(\S+)")]
    private static partial Regex ClaimCode();
}
