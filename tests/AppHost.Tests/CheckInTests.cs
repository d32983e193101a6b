using System.Buffers.Text;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace TicketAspire.AppHost.Tests;

/// <summary>
/// Signed tickets and the gate through the running AppHost, in eu and us: the buyer's ticket has a QR code (payload, PNG,
/// and in the confirmation e-mail), a scanner verifies it offline with the public key the event publishes, a scanner app
/// holding only the <c>checkin</c> scope admits it once while ten scans race across the API replicas, and a transferred
/// ticket's old code is refused at the gate.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class CheckInTests(PlatformFixture platform)
{
    [Theory]
    [InlineData("eu", "acme")]
    [InlineData("us", "initech")]
    public async Task A_ticket_is_verified_offline_and_admitted_once_and_a_dead_code_is_refused(string cell, string reseller)
    {
        var host = $"{reseller}.{cell}.localhost";
        using var integrator = await platform.IntegratorClientAsync(cell, reseller);
        var (created, seats) = await integrator.CreateReservedEventAsync("Gate show " + Guid.NewGuid(), 1, 2);
        var email = $"gate-{Guid.NewGuid():N}@example.com";
        // a back end sells to a signed-in end user where guest checkout is off, so name an account only when needed
        var customer = cell == "us" ? await EndUserRefAsync(cell, reseller, email) : "gate-guest";
        var hold = await integrator.PostJsonAsync("/v1/holds", new { event_id = created.Id(), customer_ref = customer, customer_email = email, seat_ids = seats }, HttpStatusCode.Created);
        var order = await integrator.PayAndConfirmAsync(hold.Id());
        var (first, second) = (order["tickets"]![0]!.Id(), order["tickets"]![1]!.Id());

        var qr = await integrator.GetJsonAsync($"/v1/tickets/{first}/qr");
        var payload = (string)qr["payload"]!;
        using (var png = await integrator.GetAsync($"/v1/tickets/{first}/qr.png"))
        {
            Assert.Equal(("image/png", (byte)0x89), (png.Content.Headers.ContentType?.MediaType, (await png.Content.ReadAsByteArrayAsync())[0]));
        }

        // offline: the scanner downloaded the event's key once (public, by host) and verifies without the platform
        using (var anonymous = platform.ResellerClient(cell, host))
        {
            var key = (await anonymous.GetJsonAsync($"/v1/events/{created.Id()}/signing-key"))["key"]!;
            Assert.Equal((string)qr["kid"]!, (string)key["kid"]!);
            Assert.True(VerifiesOffline(payload, key));
        }

        // the scanner app: a token with the checkin scope alone, which reads nothing else
        var scannerToken = await platform.IntegratorTokenAsync(cell, reseller, "checkin");
        using var scanner = platform.ResellerClient(cell, host, scannerToken);
        using (var orders = await scanner.GetAsync($"/v1/orders/{order.Id()}"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, orders.StatusCode);
        }

        var scans = await Task.WhenAll(Enumerable.Range(0, 10).Select(async i =>
        {
            using var response = await scanner.PostAsJsonAsync("/v1/check-in", new { qr = payload, event_id = created.Id(), gate = $"gate-{i}" }, PlatformFixture.Json);
            return (response.StatusCode, Body: JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
        }));
        Assert.Single(scans, s => s.StatusCode == HttpStatusCode.OK);
        Assert.All(scans.Where(s => s.StatusCode != HttpStatusCode.OK), s =>
            Assert.Equal((HttpStatusCode.Conflict, "already_checked_in"), (s.StatusCode, (string)s.Body["code"]!)));

        // the second ticket is sent to a friend: its old code dies, the friend's new one admits
        var secondPayload = (string)(await integrator.GetJsonAsync($"/v1/tickets/{second}/qr"))["payload"]!;
        var friendEmail = $"friend-{Guid.NewGuid():N}@example.com";
        await integrator.PostJsonAsync($"/v1/tickets/{second}/transfer", new { to_email = friendEmail }, HttpStatusCode.Created);
        var token = await ClaimTokenAsync(integrator, friendEmail);
        var reissued = await integrator.PostJsonAsync("/v1/transfers/claim", new { token, customer_ref = "friend-" + Guid.NewGuid().ToString("N") }, HttpStatusCode.OK);
        var dead = await scanner.PostJsonAsync("/v1/check-in", new { qr = secondPayload }, HttpStatusCode.Conflict);
        Assert.Equal(("ticket_not_valid", "transferred"), ((string)dead["code"]!, (string)dead["ticket_status"]!));
        var friendsPayload = (string)(await integrator.GetJsonAsync($"/v1/tickets/{reissued.Id()}/qr"))["payload"]!;
        Assert.Equal("admitted", (string)(await scanner.PostJsonAsync("/v1/check-in", new { qr = friendsPayload }, HttpStatusCode.OK))["status"]!);

        // a forged code, and the offline bundle: both dead and admitted tickets listed
        var forged = await scanner.PostJsonAsync("/v1/check-in", new { qr = payload[..^4] + "AAAA" }, HttpStatusCode.UnprocessableEntity);
        Assert.Equal("ticket_qr_invalid", (string)forged["code"]!);
        var bundle = await scanner.GetJsonAsync($"/v1/events/{created.Id()}/scanner-bundle");
        Assert.Equal([second], bundle["revoked"]!.AsArray().Select(n => (string)n!));
        Assert.Equal(new[] { first, reissued.Id() }.Order(StringComparer.Ordinal), bundle["checked_in"]!.AsArray().Select(n => (string)n!).Order(StringComparer.Ordinal));

        // the confirmation e-mail carries each ticket's QR code
        var mail = await Eventually.GetAsync(async () =>
            (await integrator.GetJsonAsync($"/v1/mailbox?to={Uri.EscapeDataString(email)}"))["mails"]!.AsArray()
                .FirstOrDefault(m => (string?)m!["kind"] == "order_confirmation"), "the order confirmation e-mail");
        var body = await integrator.GetJsonAsync($"/v1/mailbox/{mail!.Id()}");
        Assert.Contains("QR: TA1.", (string)body["text_body"]!, StringComparison.Ordinal);
        Assert.Contains("data:image/png;base64,", (string)body["html_body"]!, StringComparison.Ordinal);
    }

    private static bool VerifiesOffline(string payload, JsonNode key)
    {
        var parts = payload.Split('.');
        using var ecdsa = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Base64Url.DecodeFromChars((string)key["x"]!), Y = Base64Url.DecodeFromChars((string)key["y"]!) },
        });
        return ecdsa.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), Base64Url.DecodeFromChars(parts[2]), HashAlgorithmName.SHA256,
            DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    /// <summary>The claim token of the transfer sent to <paramref name="to"/>, read from the recipient's e-mail.</summary>
    private static async Task<string> ClaimTokenAsync(HttpClient integrator, string to)
    {
        var mail = await Eventually.GetAsync(async () =>
            (await integrator.GetJsonAsync($"/v1/mailbox?to={Uri.EscapeDataString(to)}"))["mails"]!.AsArray()
                .FirstOrDefault(m => (string?)m!["kind"] == "transfer_offer"), "the transfer e-mail");
        var text = (string)(await integrator.GetJsonAsync($"/v1/mailbox/{mail!.Id()}"))["text_body"]!;
        var token = System.Text.RegularExpressions.Regex.Match(text, @"claim code \(it works once\):\s+(\S+)").Groups[1].Value;
        Assert.NotEmpty(token);
        return token;
    }

    /// <summary>An end-user account of <paramref name="reseller"/> registered with <paramref name="email"/>: its customer reference.</summary>
    private async Task<string> EndUserRefAsync(string cell, string reseller, string email)
    {
        using var browser = new Browser(platform, cell);
        var tokens = await browser.SignInAsync(reseller, email, "a-long-enough-password-42", register: true);
        return $"user:{Tokens.Read((string)tokens["access_token"]!).Subject}";
    }
}
