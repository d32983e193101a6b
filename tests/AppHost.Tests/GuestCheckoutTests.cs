using System.Text.Json.Nodes;
using Npgsql;

namespace TicketAspire.AppHost.Tests;

/// <summary>
/// Guest checkout through the API: the storefront's guest grant at the reseller's issuer gives a buyer without an account
/// a token of their own (a random subject, their e-mail, the <c>guest</c> scope only) that holds, pays, confirms and
/// reads what it bought, and nothing an account is needed for; where the jurisdiction forbids guests, it cannot hold.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class GuestCheckoutTests(PlatformFixture platform)
{
    [Fact]
    public async Task The_guest_grant_issues_a_guest_token_to_the_storefront_client_only_and_checks_its_request()
    {
        using var identity = platform.IdentityClient("eu");
        var email = $"guest-{Guid.NewGuid():N}@example.com";
        var token = await GuestTokenAsync(identity, "acme", email);
        var jwt = Tokens.Read(token);
        Assert.Equal(("guest", "acme", "guest", email), (jwt.GetClaim("kind").Value, jwt.GetClaim("reseller").Value, jwt.GetClaim("scope").Value, jwt.GetClaim("email").Value));
        Assert.True(Guid.TryParse(jwt.Subject, out _), jwt.Subject);
        Assert.InRange(jwt.ValidTo - jwt.IssuedAt, TimeSpan.FromMinutes(119), TimeSpan.FromMinutes(121));
        // every request is another guest
        Assert.NotEqual(jwt.Subject, Tokens.Read(await GuestTokenAsync(identity, "acme", email)).Subject);

        async Task<string> ErrorAsync(string issuer, Dictionary<string, string> form, HttpStatusCode status)
        {
            using var response = await Tokens.RequestAsync(identity, issuer, form);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == status, $"{(int)response.StatusCode} {body}");
            return (string)JsonNode.Parse(body)!["error"]!;
        }

        Dictionary<string, string> Form(string clientId, string scope, string? address) => new()
        {
            ["grant_type"] = GuestGrantType, ["client_id"] = clientId, ["scope"] = scope, ["email"] = address ?? "",
        };

        Assert.Equal("invalid_request", await ErrorAsync("acme", Form("acme-storefront", "guest", null), HttpStatusCode.BadRequest));
        Assert.Equal("invalid_request", await ErrorAsync("acme", Form("acme-storefront", "guest", "not an address"), HttpStatusCode.BadRequest));
        Assert.Equal("invalid_request", await ErrorAsync("acme", Form("acme-storefront", "guest", new string('a', 250) + "@example.com"), HttpStatusCode.BadRequest));
        // the guest scope and nothing else: no end user's scope through the back door
        Assert.Equal("invalid_scope", await ErrorAsync("acme", Form("acme-storefront", "guest customer", email), HttpStatusCode.BadRequest));
        // the integrator's client may not mint guests; neither may a storefront at another reseller's issuer
        var backend = Form("acme-backend", "guest", email);
        backend["client_secret"] = PlatformFixture.ClientSecret("acme");
        Assert.Equal("unauthorized_client", await ErrorAsync("acme", backend, HttpStatusCode.BadRequest));
        Assert.Equal("invalid_client", await ErrorAsync("globex", Form("acme-storefront", "guest", email), HttpStatusCode.Unauthorized));
    }

    [Fact]
    public async Task A_guest_buys_with_its_own_token_sees_only_its_own_order_and_is_audited_as_a_guest()
    {
        using var integrator = await platform.IntegratorClientAsync("eu", "acme");
        var (created, seats) = await integrator.CreateReservedEventAsync("Guests " + Guid.NewGuid(), 1, 4);
        using var identity = platform.IdentityClient("eu");
        var email = $"guest-{Guid.NewGuid():N}@example.com";
        var token = await GuestTokenAsync(identity, "acme", email);
        using var guest = platform.ResellerClient("eu", "acme.eu.localhost", token);

        // a guest holds for itself only: its customer reference comes from the token
        var someoneElse = await guest.PostJsonAsync("/v1/holds", new { event_id = created.Id(), seat_ids = seats.Take(1), customer_ref = "user:" + Guid.NewGuid() }, HttpStatusCode.Forbidden);
        Assert.Contains("themselves", (string)someoneElse["detail"]!, StringComparison.Ordinal);
        var hold = await guest.PostJsonAsync("/v1/holds", new { event_id = created.Id(), seat_ids = seats.Take(2) }, HttpStatusCode.Created);
        var subject = Tokens.Read(token).Subject;
        Assert.Equal("guest:" + subject, (string)hold["customer_ref"]!);
        var order = await guest.PayAndConfirmAsync(hold.Id());
        Assert.Equal(2, order["tickets"]!.AsArray().Count);

        var mine = await guest.GetJsonAsync("/v1/me/orders");
        Assert.Equal(order.Id(), (string)mine["orders"]![0]!["id"]!);
        await guest.GetJsonAsync($"/v1/orders/{order.Id()}");
        var ticketId = (string)order["tickets"]![0]!["id"]!;
        await guest.GetJsonAsync($"/v1/tickets/{ticketId}/qr");

        // another guest (the same e-mail address, another session) sees none of it
        using var other = platform.ResellerClient("eu", "acme.eu.localhost", await GuestTokenAsync(identity, "acme", email));
        await other.GetJsonAsync($"/v1/orders/{order.Id()}", HttpStatusCode.NotFound);
        await other.GetJsonAsync($"/v1/holds/{hold.Id()}", HttpStatusCode.NotFound);
        Assert.Empty((await other.GetJsonAsync("/v1/me/orders"))["orders"]!.AsArray());

        // what needs an account is not a guest's: personal data, transfers, another customer's orders, the organizer's side
        await guest.GetJsonAsync("/v1/me/data", HttpStatusCode.Forbidden);
        await guest.PostJsonAsync($"/v1/tickets/{ticketId}/transfer", new { to_email = "friend@example.com" }, HttpStatusCode.Forbidden);
        await guest.GetJsonAsync("/v1/orders?customer_ref=anyone", HttpStatusCode.Forbidden);
        await guest.PostJsonAsync("/v1/events", Api.GaEvent("Not mine", 5), HttpStatusCode.Forbidden);

        // the guest's own refund within the event's policy
        var refund = await guest.PostJsonAsync($"/v1/me/orders/{order.Id()}/refund", new { reason = "cannot come" }, HttpStatusCode.OK);
        Assert.Equal("succeeded", (string)refund["status"]!);

        await using var db = await platform.OpenDatabaseAsync("eu", "reseller_acme");
        await using var audit = new NpgsqlCommand("SELECT count(*) FROM audit_log WHERE actor_kind = 'guest' AND subject = $1 AND action = 'CreateHold'", db);
        audit.Parameters.Add(new() { Value = subject });
        Assert.True((long)(await audit.ExecuteScalarAsync())! >= 1);
        await using var mail = new NpgsqlCommand("SELECT customer_email FROM holds WHERE id = $1", db);
        mail.Parameters.Add(new() { Value = Guid.Parse(hold.Id()) });
        Assert.Equal(email, (string)(await mail.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task A_guest_cannot_hold_where_the_jurisdiction_forbids_guest_checkout()
    {
        using var integrator = await platform.IntegratorClientAsync("us", "initech");
        var (created, seats) = await integrator.CreateReservedEventAsync("No guests " + Guid.NewGuid(), 1, 2);
        using var identity = platform.IdentityClient("us");
        using var guest = platform.ResellerClient("us", "initech.us.localhost", await GuestTokenAsync(identity, "initech", "someone@example.com"));
        var refused = await guest.PostJsonAsync("/v1/holds", new { event_id = created.Id(), seat_ids = seats.Take(1) }, HttpStatusCode.Forbidden);
        Assert.Equal(("guest_checkout_forbidden", "guest_checkout"), ((string)refused["code"]!, (string)refused["rule"]!));
        // nor queue for one
        var rules = await guest.GetJsonAsync("/v1/rules");
        Assert.False((bool)rules["guest_checkout"]!);
    }

    private const string GuestGrantType = "urn:ticketaspire:params:oauth:grant-type:guest";

    /// <summary>A guest token as the storefront gets it: its public client, the guest grant, the buyer's e-mail.</summary>
    internal static async Task<string> GuestTokenAsync(HttpClient identity, string reseller, string email)
    {
        using var response = await Tokens.RequestAsync(identity, reseller, new()
        {
            ["grant_type"] = GuestGrantType, ["client_id"] = $"{reseller}-storefront", ["scope"] = "guest", ["email"] = email,
        });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"guest token at {reseller}: {(int)response.StatusCode} {body}");
        return (string)JsonNode.Parse(body)!["access_token"]!;
    }
}
