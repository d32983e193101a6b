using Microsoft.Extensions.Time.Testing;
using TicketAspire.Inventory.Tests.Infrastructure;
using TicketAspire.Webhooks.Services;
using TicketAspire.Webhooks.Tests.Infrastructure;

namespace TicketAspire.Webhooks.Tests;

[Collection(PostgresCollection.Name)]
public sealed class WebhookEndpointStoreShould(PostgresServer postgres)
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    [Fact]
    public async Task RegisterNoMoreThanTheLimitOfEndpointsUnderConcurrentRegistrations()
    {
        await using var db = await postgres.CreateAsync(nameof(RegisterNoMoreThanTheLimitOfEndpointsUnderConcurrentRegistrations));
        var store = new WebhookEndpointStore(db, _time, new WebhookOptions { MaxEndpoints = 5 });

        var created = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() =>
            store.CreateAsync($"https://hooks{i}.example.com/", null, [], default))));

        Assert.Equal(5, created.Count(c => c is not null));
        Assert.Equal(5L, await db.ScalarAsync<long>("SELECT count(*) FROM webhook_endpoints"));
        Assert.Equal(5L, await db.ScalarAsync<long>("SELECT count(*) FROM webhook_secrets"));
        Assert.Null(await store.CreateAsync("https://late.example.com/", null, [], default));

        // a deleted endpoint frees its place; a disabled one keeps it
        Assert.True(await store.DeleteAsync(created.First(c => c is not null)!.Id, default));
        var again = await store.CreateAsync("https://again.example.com/", null, [], default);
        Assert.NotNull(again);
        await store.UpdateAsync(again.Id, null, null, null, enabled: false, default);
        Assert.Null(await store.CreateAsync("https://late.example.com/", null, [], default));
    }
}
