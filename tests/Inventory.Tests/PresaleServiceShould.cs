using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Queue;
using TicketAspire.Inventory.Tests.Infrastructure;

namespace TicketAspire.Inventory.Tests;

/// <summary>Presales on a real Postgres: who may hold before the general on-sale, window by window.</summary>
[Collection(PostgresCollectionDefinition.Name)]
public sealed class PresaleServiceShould(PostgresServer postgres) : IAsyncLifetime
{
    private InventoryHarness _inventory = null!;
    private PresaleService _presales = null!;

    public async Task InitializeAsync()
    {
        _inventory = await InventoryHarness.CreateAsync(postgres, nameof(PresaleServiceShould));
        _presales = new PresaleService(_inventory.Db, new PresaleCache(_inventory.Time), _inventory.Time);
    }

    public async Task DisposeAsync() => await _inventory.DisposeAsync();

    private Task<InventoryError?> CheckAsync(Guid eventId, string customer, string? code = null) => _presales.CheckAsync(eventId, customer, code, CancellationToken.None);

    [Fact]
    public async Task LetOnlyCodeHoldersThenVerifiedFansHoldBeforeTheGeneralOnSale()
    {
        var ev = await _inventory.CreateEventAsync(TestEvents.GeneralAdmission(10));
        var now = _inventory.Time.GetUtcNow();
        Assert.Null(await CheckAsync(ev.Id, "anyone"));   // no presale: open
        var plan = (await _presales.ConfigureAsync(ev.Id, new PresaleSettings(now.AddHours(2),
        [
            new PresaleWindowSettings("Card members", now.AddMinutes(10), now.AddMinutes(40), Code: "AMEX-2030"),
            new PresaleWindowSettings("Fan club", now.AddMinutes(40), now.AddMinutes(100), VerifiedFans: true),
        ]), CancellationToken.None)).ShouldSucceed();
        Assert.Equal(["code", "verified_fans"], plan.Windows.Select(w => w.Access));

        Assert.Equal(ErrorCodes.PresaleNotOpen, (await CheckAsync(ev.Id, "early", "AMEX-2030"))?.Code);   // this replica's change applies at once
        (await _presales.RegisterAsync(ev.Id, "user:fan", CancellationToken.None)).ShouldSucceed();

        _inventory.Time.Advance(TimeSpan.FromMinutes(15));
        Assert.Equal(ErrorCodes.PresaleCodeRequired, (await CheckAsync(ev.Id, "user:fan"))?.Code);
        Assert.Equal(ErrorCodes.PresaleCodeRequired, (await CheckAsync(ev.Id, "guest", "AMEX-2031"))?.Code);
        Assert.Null(await CheckAsync(ev.Id, "guest", "AMEX-2030"));

        _inventory.Time.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(ErrorCodes.PresaleCodeRequired, (await CheckAsync(ev.Id, "guest", "AMEX-2030"))?.Code);
        Assert.Null(await CheckAsync(ev.Id, "user:fan"));
        Assert.Equal(ErrorCodes.PresaleCodeRequired, (await CheckAsync(ev.Id, "user:someone-else"))?.Code);

        _inventory.Time.Advance(TimeSpan.FromMinutes(60));
        Assert.Equal(ErrorCodes.PresaleNotOpen, (await CheckAsync(ev.Id, "user:fan"))?.Code);   // between the last window and the general sale
        _inventory.Time.Advance(TimeSpan.FromMinutes(20));
        Assert.Null(await CheckAsync(ev.Id, "anyone"));
    }

    [Fact]
    public async Task RefuseAPlanThatDoesNotHoldTogether()
    {
        var ev = await _inventory.CreateEventAsync(TestEvents.GeneralAdmission(10));
        var now = _inventory.Time.GetUtcNow();

        var refused = (await _presales.ConfigureAsync(ev.Id, new PresaleSettings(now.AddHours(1),
        [
            new PresaleWindowSettings("", now, now.AddMinutes(10), Code: "GOOD-CODE"),
            new PresaleWindowSettings("Both", now, now.AddMinutes(10), Code: "GOOD-CODE", VerifiedFans: true),
            new PresaleWindowSettings("Late", now.AddHours(2), now.AddHours(3), VerifiedFans: true),
            new PresaleWindowSettings("Short code", now, now.AddMinutes(10), Code: "abc"),
        ]), CancellationToken.None)).ShouldFailWith(ErrorCodes.Validation);

        Assert.Equal(["windows[0].name", "windows[1]", "windows[2].starts_at", "windows[3].code"], refused.FieldErrors!.Keys.Order(StringComparer.Ordinal));
        (await _presales.ConfigureAsync(ev.Id, new PresaleSettings(null, [new PresaleWindowSettings("x", now, now.AddMinutes(1), Code: "GOOD-CODE")]), CancellationToken.None))
            .ShouldFailWith(ErrorCodes.Validation);
        (await _presales.RegisterAsync(ev.Id, "user:fan", CancellationToken.None)).ShouldFailWith(ErrorCodes.PresaleNotFound);
        (await _presales.ConfigureAsync(Guid.NewGuid(), new PresaleSettings(null, []), CancellationToken.None)).ShouldFailWith(ErrorCodes.EventNotFound);
        Assert.Equal(0L, await _inventory.ScalarAsync<long>("SELECT count(*) FROM presale_windows WHERE event_id = $1", ev.Id));
    }
}
