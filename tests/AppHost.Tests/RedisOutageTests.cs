using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace TicketAspire.AppHost.Tests;

/// <summary>Redis is a cache: with a reseller's Redis stopped, selling goes on; when it is back, caching resumes.</summary>
[Collection(PlatformCollection.Name)]
public sealed class RedisOutageTests(PlatformFixture platform)
{
    [Fact]
    public async Task Holds_and_orders_work_while_the_resellers_redis_is_down_and_the_cache_rebuilds_after()
    {
        const string redis = "eu-globex-redis";
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var commands = platform.App.Services.GetRequiredService<ResourceCommandService>();
        using var http = await platform.IntegratorClientAsync("eu", "globex");
        var (before, _) = await http.CreateReservedEventAsync("Before outage " + Guid.NewGuid(), 1, 2);

        var stop = await commands.ExecuteCommandAsync(redis, KnownResourceCommands.StopCommand, cts.Token);
        Assert.True(stop.Success, stop.Message);
        try
        {
            await platform.App.ResourceNotifications.WaitForResourceAsync(redis, KnownResourceStates.TerminalStates, cts.Token);

            var (during, seats) = await http.CreateReservedEventAsync("During outage " + Guid.NewGuid(), 1, 4);
            var hold = await http.PostJsonAsync("/v1/holds", new { event_id = during.Id(), customer_ref = "outage", seat_ids = seats.Take(2) }, HttpStatusCode.Created);
            await http.PayAndConfirmAsync(hold.Id());
            var detail = await http.GetJsonAsync($"/v1/events/{during.Id()}");
            Assert.Equal(2, (int)detail["available_ticket_cnt"]!);
            var list = await http.GetJsonAsync("/v1/events?size=100&sort_by=name");
            Assert.Contains(list["events"]!.AsArray(), e => e.Id() == during.Id());
            Assert.Contains(list["events"]!.AsArray(), e => e.Id() == before.Id());
        }
        finally
        {
            var start = await commands.ExecuteCommandAsync(redis, KnownResourceCommands.StartCommand, CancellationToken.None);
            Assert.True(start.Success, start.Message);
        }

        await platform.App.ResourceNotifications.WaitForResourceHealthyAsync(redis, cts.Token);
        await using var direct = await platform.ConnectRedisAsync("eu", "globex");
        var key = "ta:avail:" + Guid.Parse(before.Id()).ToString("N");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        var cached = false;
        while (!cached && DateTime.UtcNow < deadline)
        {
            await http.GetJsonAsync($"/v1/events/{before.Id()}");
            cached = await direct.GetDatabase().KeyExistsAsync(key);
            if (!cached)
            {
                await Task.Delay(500, cts.Token);
            }
        }

        Assert.True(cached, "the availability cache should be rebuilt once Redis is back");
    }

    [Fact]
    public async Task A_resellers_redis_killed_is_started_again_by_itself()
    {
        // the dashboard's Stop is the operator's decision (the test above starts the server itself); a kill is not
        const string redis = "eu-acme-redis";
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var running = await platform.App.ResourceNotifications.WaitForResourceAsync(redis,
            e => e.Snapshot.State?.Text == KnownResourceStates.Running && e.Snapshot.Properties.Any(p => p.Name == "executable.pid"), cts.Token);
        var pid = int.Parse(running.Snapshot.Properties.First(p => p.Name == "executable.pid").Value!.ToString()!, System.Globalization.CultureInfo.InvariantCulture);

        System.Diagnostics.Process.GetProcessById(pid).Kill(entireProcessTree: true);
        await platform.App.ResourceNotifications.WaitForResourceAsync(redis, e => KnownResourceStates.TerminalStates.Contains(e.Snapshot.State?.Text), cts.Token);
        var again = await platform.App.ResourceNotifications.WaitForResourceAsync(redis,
            e => e.Snapshot.State?.Text == KnownResourceStates.Running && e.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value?.ToString() is { } p && p != pid.ToString(System.Globalization.CultureInfo.InvariantCulture),
            cts.Token);
        Assert.NotNull(again);
        await platform.App.ResourceNotifications.WaitForResourceHealthyAsync(redis, cts.Token);
    }
}
