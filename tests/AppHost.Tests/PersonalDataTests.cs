using System.Text.Json.Nodes;

namespace TicketAspire.AppHost.Tests;

/// <summary>
/// An end user's own data through the API (<c>GET</c> and <c>DELETE /v1/me/data</c>) against the real identity service,
/// worker and reseller database: the export holds their account, hold, order with its ticket and their e-mail; the
/// erasure deletes the account and its sessions and leaves the order to accounting without personal data.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class PersonalDataTests(PlatformFixture platform)
{
    private const string Password = "a-long-enough-password-42";

    [Fact]
    public async Task An_end_user_exports_their_data_then_erases_it_and_the_order_stays_without_personal_data()
    {
        using var browser = new Browser(platform, "eu");
        var email = $"gdpr-{Guid.NewGuid():N}@example.com";
        var tokens = await browser.SignInAsync("acme", email, Password, register: true);
        using var me = new HttpClient { BaseAddress = platform.App.GetEndpoint("eu-api", "http") };
        me.DefaultRequestHeaders.Authorization = new("Bearer", (string)tokens["access_token"]!);
        using var other = new Browser(platform, "eu");
        using var bob = new HttpClient { BaseAddress = platform.App.GetEndpoint("eu-api", "http") };
        bob.DefaultRequestHeaders.Authorization = new("Bearer",
            (string)(await other.SignInAsync("acme", $"gdpr-bob-{Guid.NewGuid():N}@example.com", Password, register: true))["access_token"]!);

        using var integrator = await platform.IntegratorClientAsync("eu", "acme");
        var (created, seats) = await integrator.CreateReservedEventAsync("Personal data show " + Guid.NewGuid(), 1, 2);
        var hold = await me.PostJsonAsync("/v1/holds", new { event_id = created.Id(), seat_ids = seats.Take(1) }, HttpStatusCode.Created);
        var order = await me.PayAndConfirmAsync(hold.Id());
        // the registration e-mail is there already: wait for the order's own
        await Eventually.GetAsync(async () => (await integrator.GetJsonAsync($"/v1/mailbox?to={Uri.EscapeDataString(email)}"))["mails"]!.AsArray()
            .FirstOrDefault(m => (string?)m!["kind"] == "order_confirmation"), "the order confirmation e-mail");

        var export = await me.GetJsonAsync("/v1/me/data");
        Assert.Equal(email, (string)export["account"]!["email"]!);
        Assert.Equal([hold.Id()], export["holds"]!.AsArray().Select(h => h.Id()));
        var exported = Assert.Single(export["orders"]!.AsArray())!;
        Assert.Equal(order.Id(), exported.Id());
        Assert.Equal(email, (string)exported["customer_email"]!);
        Assert.Single(exported["tickets"]!.AsArray());
        var totalMinor = (long)exported["total_minor"]!;
        // the registration link and the order confirmation
        Assert.Contains(export["mailbox"]!.AsArray(), m => (string)m!["kind"]! == "order_confirmation" && (string)m["to"]! == email);

        using (var erase = await me.DeleteAsync("/v1/me/data"))
        {
            Assert.Equal(HttpStatusCode.NoContent, erase.StatusCode);
        }

        // what the still-valid access token reaches now: nothing about them
        var after = await me.GetJsonAsync("/v1/me/data");
        Assert.Null(after["account"]);
        Assert.Empty(after["orders"]!.AsArray());
        Assert.Empty(after["mailbox"]!.AsArray());
        using (var again = await me.DeleteAsync("/v1/me/data"))
        {
            Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
        }

        // the session is over: the refresh token is refused
        using var identity = platform.IdentityClient("eu");
        var refused = await EndUserTests.RefreshAsync(identity, (string)tokens["refresh_token"]!, HttpStatusCode.BadRequest);
        Assert.Equal("invalid_grant", (string)refused["error"]!);

        // in the reseller's database: the order and its ticket for accounting, no personal data, no account, no e-mail
        await using var db = await platform.OpenDatabaseAsync("eu", "reseller_acme");
        await using (var cmd = new Npgsql.NpgsqlCommand(
            "SELECT customer_ref, customer_email, total_minor, (SELECT count(*) FROM tickets t WHERE t.order_id = o.id AND t.status = 'valid') FROM orders o WHERE id = $1", db))
        {
            cmd.Parameters.Add(new() { Value = Guid.Parse(order.Id()) });
            await using var reader = await cmd.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.Equal("erased", reader.GetString(0));
            Assert.True(reader.IsDBNull(1));
            Assert.Equal(totalMinor, reader.GetInt64(2));
            Assert.Equal(1, reader.GetInt64(3));
        }

        await using (var cmd = new Npgsql.NpgsqlCommand(
            "SELECT (SELECT count(*) FROM users WHERE email_normalized = $1) + (SELECT count(*) FROM mailbox WHERE lower(to_address) = $1) + (SELECT count(*) FROM holds WHERE customer_email = $1)", db))
        {
            cmd.Parameters.Add(new() { Value = email });
            Assert.Equal(0L, (long)(await cmd.ExecuteScalarAsync())!);
        }

        // another end user of the reseller keeps their account
        Assert.NotNull((await bob.GetJsonAsync("/v1/me/data"))["account"]);
    }
}
