using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using TicketAspire.Inventory.CheckIn;
using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Payments;
using TicketAspire.Inventory.Tests.Infrastructure;
using TicketAspire.Inventory.Transfers;

namespace TicketAspire.Inventory.Tests;

/// <summary>
/// Signed tickets and the gate on a real Postgres: QR payloads only the reseller's key verifies (offline, with the
/// published public key alone), a ticket admitted once among racing scanners, dead tickets and cancelled events refused.
/// </summary>
[Collection(PostgresCollectionDefinition.Name)]
public sealed class CheckInServiceShould(PostgresServer postgres) : IAsyncLifetime
{
    private const string Seed = "a-cell-secret-of-at-least-32-characters";
    private readonly TicketSigner _signer = new(Seed);
    private InventoryHarness _inventory = null!;
    private CheckInService _checkIn = null!;

    public async Task InitializeAsync()
    {
        _inventory = await InventoryHarness.CreateAsync(postgres, nameof(CheckInServiceShould));
        _checkIn = new CheckInService(_inventory.Db, _inventory.Time, _signer, "acme");
    }

    public async Task DisposeAsync() => await _inventory.DisposeAsync();

    private async Task<(Guid EventId, Guid TicketId, string Payload)> TicketAsync(string owner = "alice")
    {
        var ev = await _inventory.CreateEventAsync(TestEvents.GeneralAdmission(5));
        var hold = (await _inventory.HoldTicketsAsync(ev.Id, ev.TicketClasses[0].Id, 1, owner)).ShouldSucceed();
        var ticket = Assert.Single((await _inventory.ConfirmAsync(hold.Id)).ShouldSucceed().Tickets);
        var qr = (await _checkIn.QrAsync(ticket.Id, owner, CancellationToken.None)).ShouldSucceed();
        return (ev.Id, ticket.Id, qr.Payload);
    }

    private Task<Result<CheckInView>> ScanAsync(string payload, Guid? eventId = null, string gate = "north") =>
        _checkIn.CheckInAsync(payload, eventId, gate, "integrator:acme-scanner", CancellationToken.None);

    [Fact]
    public async Task SignAPayloadThatTheResellersPublicKeyAloneVerifies()
    {
        var (eventId, ticketId, payload) = await TicketAsync();
        var key = (await _checkIn.KeyForEventAsync(eventId, CancellationToken.None)).ShouldSucceed();

        // a scanner offline: the JWK it downloaded, ES256 over "TA1.<body>"
        var parts = payload.Split('.');
        using var ecdsa = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Base64Url.DecodeFromChars(key.X), Y = Base64Url.DecodeFromChars(key.Y) },
        });
        Assert.True(ecdsa.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), Base64Url.DecodeFromChars(parts[2]), HashAlgorithmName.SHA256,
            DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
        Assert.Contains(ticketId.ToString(), Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1])), StringComparison.Ordinal);
        Assert.Equal(("ES256", "P-256"), (key.Alg, key.Crv));
        Assert.InRange(payload.Length, 100, 400);
        // the same seed derives the same key on every replica; another reseller's key or another seed does not verify it
        Assert.Equal(ticketId, new TicketSigner(Seed).Verify("acme", payload)?.TicketId);
        Assert.Null(_signer.Verify("globex", payload));
        Assert.Null(new TicketSigner(Seed + "-other").Verify("acme", payload));
        Assert.NotEqual(key.Kid, _signer.PublicKeyOf("globex").Kid);
    }

    [Theory]
    [InlineData("")]
    [InlineData("TA1.e30.AAAA")]
    [InlineData("not a ticket")]
    [InlineData("TA2.x.y")]
    public async Task RefuseWhatIsNotASignedTicket(string payload) =>
        (await ScanAsync(payload)).ShouldFailWith(ErrorCodes.TicketQrInvalid);

    [Fact]
    public async Task RefuseAnAlteredPayload()
    {
        var (_, _, payload) = await TicketAsync();
        var parts = payload.Split('.');
        var original = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1]));
        var body = original.Replace("\"c\":\"", "\"c\":\"X", StringComparison.Ordinal);
        Assert.NotEqual(original, body);

        (await ScanAsync($"{parts[0]}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(body))}.{parts[2]}")).ShouldFailWith(ErrorCodes.TicketQrInvalid);
    }

    [Fact]
    public async Task AdmitATicketOnceAmongTwentyScannersRacing()
    {
        var (eventId, ticketId, payload) = await TicketAsync();

        var scans = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() =>
            _checkIn.CheckInAsync(payload, eventId, $"gate-{i}", "integrator:acme-scanner", CancellationToken.None))));

        var admitted = Assert.Single(scans, s => s.IsSuccess);
        Assert.Equal(("admitted", ticketId), (admitted.Value!.Status, admitted.Value.TicketId));
        Assert.All(scans.Where(s => !s.IsSuccess), s =>
        {
            Assert.Equal(ErrorCodes.AlreadyCheckedIn, s.Error!.Code);
            Assert.Equal(admitted.Value.Gate, s.Error.Extensions!["gate"]);
        });
        var bundle = (await _checkIn.BundleAsync(eventId, CancellationToken.None)).ShouldSucceed();
        Assert.Equal([ticketId], bundle.CheckedIn);
        Assert.Empty(bundle.Revoked);
    }

    [Fact]
    public async Task RefuseATicketForAnotherEventAtTheGate()
    {
        var (eventId, _, payload) = await TicketAsync();
        var other = await _inventory.CreateEventAsync(TestEvents.GeneralAdmission(1));

        var refused = (await ScanAsync(payload, other.Id)).ShouldFailWith(ErrorCodes.TicketForAnotherEvent);

        Assert.Equal(eventId, refused.Extensions!["ticket_event_id"]);
        (await ScanAsync(payload, eventId)).ShouldSucceed();
    }

    [Fact]
    public async Task RefuseTheOldCodeOfATransferredTicketAndAdmitTheNewOne()
    {
        var (eventId, ticketId, oldPayload) = await TicketAsync();
        var transfers = new TransferService(_inventory.Db, _inventory.Time);
        var sent = (await transfers.StartAsync(new StartTransferCommand(ticketId, "bob@example.com", null), "alice", true, CancellationToken.None)).ShouldSucceed();
        var bobs = (await transfers.ClaimAsync(sent.ClaimToken, "bob", true, CancellationToken.None)).ShouldSucceed();

        var refused = (await ScanAsync(oldPayload)).ShouldFailWith(ErrorCodes.TicketNotValid);
        (await _checkIn.QrAsync(ticketId, "alice", CancellationToken.None)).ShouldFailWith(ErrorCodes.TicketNotValid);
        var newPayload = (await _checkIn.QrAsync(bobs.Id, "bob", CancellationToken.None)).ShouldSucceed().Payload;

        Assert.Equal("transferred", refused.Extensions!["ticket_status"]);
        Assert.Equal(bobs.Id, (await ScanAsync(newPayload)).ShouldSucceed().TicketId);
        Assert.Equal([ticketId], (await _checkIn.BundleAsync(eventId, CancellationToken.None)).ShouldSucceed().Revoked);
        (await _checkIn.QrAsync(bobs.Id, "alice", CancellationToken.None)).ShouldFailWith(ErrorCodes.TicketNotFound);
    }

    [Fact]
    public async Task RefuseEveryTicketOfACancelledEventBeforeItsRefundIsDone()
    {
        var (eventId, _, payload) = await TicketAsync();

        (await new EventCancellation(_inventory.Db, _inventory.Cache, _inventory.Time).CancelAsync(eventId, "integrator:acme-backend", null, CancellationToken.None)).ShouldSucceed();

        Assert.Equal("event_cancelled", (await ScanAsync(payload)).ShouldFailWith(ErrorCodes.TicketNotValid).Extensions!["ticket_status"]);
        Assert.True((await _checkIn.BundleAsync(eventId, CancellationToken.None)).ShouldSucceed().EventCancelled);
    }

    [Fact]
    public async Task RefuseAGateNameThatIsTooLongOrNotPrintable()
    {
        var (_, _, payload) = await TicketAsync();

        (await ScanAsync(payload, gate: new string('g', CheckInService.MaxGateLength + 1))).ShouldFailWith(ErrorCodes.Validation);
        (await ScanAsync(payload, gate: "north\u0000")).ShouldFailWith(ErrorCodes.Validation);
    }

    [Fact]
    public void DrawAQrCodeImage()
    {
        var png = TicketQrImage.Png(_signer.Sign("acme", new TicketQrClaims(Guid.NewGuid(), Guid.NewGuid(), "CODE", "GA")));

        Assert.Equal([0x89, 0x50, 0x4E, 0x47], png[..4]);
        Assert.InRange(png.Length, 300, 50_000);
    }
}
