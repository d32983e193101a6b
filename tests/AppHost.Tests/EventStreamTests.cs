using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace TicketAspire.AppHost.Tests;

/// <summary>
/// Live seat updates (<c>GET /v1/events/{id}/stream</c>) across the cell's two API replicas: a change made through one
/// replica reaches a watcher of the other within a second; a reconnecting watcher resumes from its Last-Event-ID.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class EventStreamTests(PlatformFixture platform, ITestOutputHelper output)
{
    private const string Host = "acme.eu.localhost";
    private static readonly TimeSpan Live = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task A_watcher_on_one_replica_sees_seats_turn_held_sold_and_available_within_a_second_of_changes_made_through_the_other()
    {
        var (a, b) = await ReplicasAsync();
        using var http = await ReplicaClientAsync(b);
        var (created, seats) = await http.CreateReservedEventAsync($"Live {Guid.NewGuid()}", 1, 4);
        await using var watcher = await SseClient.OpenAsync(a, Host, created.Id());
        var snapshot = await watcher.NextAsync();
        Assert.Equal("snapshot", snapshot.Event);

        var hold = await TimedAsync(() => http.PostJsonAsync("/v1/holds", new { event_id = created.Id(), customer_ref = "live-1", seat_ids = seats.Take(2) }, HttpStatusCode.Created));
        var held = await ExpectSeatsAsync(watcher, hold.At, "hold.created", seats.Take(2), "held");

        var order = await TimedAsync(() => http.PayAndConfirmAsync(hold.Value.Id()));
        var sold = await ExpectSeatsAsync(watcher, order.At, "order.confirmed", seats.Take(2), "sold");

        var other = await TimedAsync(() => http.PostJsonAsync("/v1/holds", new { event_id = created.Id(), customer_ref = "live-2", seat_ids = seats.Skip(2).Take(1) }, HttpStatusCode.Created));
        await ExpectSeatsAsync(watcher, other.At, "hold.created", seats.Skip(2).Take(1), "held");
        var cancel = await TimedAsync(async () =>
        {
            using var response = await http.DeleteAsync($"/v1/holds/{other.Value.Id()}");
            Assert.True(response.IsSuccessStatusCode, $"cancel: {(int)response.StatusCode}");
            return response.StatusCode;
        });
        var available = await ExpectSeatsAsync(watcher, cancel.At, "hold.cancelled", seats.Skip(2).Take(1), "available");

        output.WriteLine($"watcher on {a}, changes through {b}; seats reached the watcher, counted from sending the change: " +
            $"held {held.TotalMilliseconds:F0} ms, sold {sold.TotalMilliseconds:F0} ms (the confirm calls the PSP first), available {available.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public async Task A_watcher_that_reconnects_with_its_last_event_id_gets_exactly_the_changes_it_missed_in_order()
    {
        var (a, b) = await ReplicasAsync();
        using var http = await ReplicaClientAsync(b);
        var (created, seats) = await http.CreateReservedEventAsync($"Resume {Guid.NewGuid()}", 1, 4);
        string lastId;
        await using (var watcher = await SseClient.OpenAsync(a, Host, created.Id()))
        {
            Assert.Equal("snapshot", (await watcher.NextAsync()).Event);
            await http.PostJsonAsync("/v1/holds", new { event_id = created.Id(), customer_ref = "resume-0", seat_ids = seats.Take(1) }, HttpStatusCode.Created);
            var seen = await watcher.NextAsync();
            Assert.Equal("hold.created", (string)seen.Json["topic"]!);
            lastId = seen.Id!;
        }

        // three changes while disconnected
        var missed = await http.PostJsonAsync("/v1/holds", new { event_id = created.Id(), customer_ref = "resume-1", seat_ids = seats.Skip(1).Take(1) }, HttpStatusCode.Created);
        using (var response = await http.DeleteAsync($"/v1/holds/{missed.Id()}"))
        {
            Assert.True(response.IsSuccessStatusCode, $"cancel: {(int)response.StatusCode}");
        }

        await http.PostJsonAsync("/v1/holds", new { event_id = created.Id(), customer_ref = "resume-2", seat_ids = seats.Skip(2).Take(1) }, HttpStatusCode.Created);

        // back, on the other replica this time
        await using var resumed = await SseClient.OpenAsync(b, Host, created.Id(), lastId);
        var got = new List<SseMessage>();
        for (var i = 0; i < 3; i++)
        {
            got.Add(await resumed.NextAsync());
        }

        Assert.All(got, m => Assert.Equal("seats", m.Event));
        Assert.Equal([("hold.created", seats[1], "held"), ("hold.cancelled", seats[1], "available"), ("hold.created", seats[2], "held")],
            got.Select(m => ((string)m.Json["topic"]!, (string)m.Json["seats"]![0]!["seat_id"]!, (string)m.Json["seats"]![0]!["status"]!)));
        Assert.Equal(3, got.Select(m => m.Id).Append(lastId).Distinct().Count() - 1);
        Assert.True(got.Select(m => long.Parse(m.Id!, System.Globalization.CultureInfo.InvariantCulture)).All(id => id > long.Parse(lastId, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Null(await resumed.TryNextAsync(TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public async Task Fifty_watchers_of_an_event_on_one_replica_share_one_redis_subscription()
    {
        var (a, b) = await ReplicasAsync();
        using var http = await ReplicaClientAsync(b);
        var (created, seats) = await http.CreateReservedEventAsync($"Crowd {Guid.NewGuid()}", 1, 2);
        var watchers = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => SseClient.OpenAsync(a, Host, created.Id())));
        try
        {
            await Task.WhenAll(watchers.Select(w => w.NextAsync()));
            await using var redis = await platform.ConnectRedisAsync("eu", "acme");
            var channel = $"seats:{created.Id()}";
            Assert.Equal(1, await NumSubAsync(redis, channel));

            await http.PostJsonAsync("/v1/holds", new { event_id = created.Id(), customer_ref = "crowd", seat_ids = seats.Take(1) }, HttpStatusCode.Created);
            var updates = await Task.WhenAll(watchers.Select(w => w.NextAsync()));
            Assert.All(updates, u => Assert.Equal("held", (string)u.Json["seats"]![0]!["status"]!));
            Assert.Single(updates.Select(u => u.Id).Distinct());

            foreach (var w in watchers)
            {
                await w.DisposeAsync();
            }

            await Eventually.GetAsync(async () => await NumSubAsync(redis, channel) == 0 ? "unsubscribed" : null, "the replica to unsubscribe after the last watcher left", TimeSpan.FromSeconds(10));
        }
        finally
        {
            foreach (var w in watchers)
            {
                await w.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Changes_still_arrive_by_polling_while_the_resellers_redis_is_down_and_live_again_once_it_is_back()
    {
        const string redis = "eu-globex-redis", globex = "globex.eu.localhost";
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var commands = platform.App.Services.GetRequiredService<ResourceCommandService>();
        var (a, b) = await ReplicasAsync();
        using var http = await ReplicaClientAsync(b, "globex");
        var (created, seats) = await http.CreateReservedEventAsync($"Outage live {Guid.NewGuid()}", 1, 8);
        await using var watcher = await SseClient.OpenAsync(a, globex, created.Id());
        Assert.Equal("snapshot", (await watcher.NextAsync()).Event);

        var stop = await commands.ExecuteCommandAsync(redis, KnownResourceCommands.StopCommand, cts.Token);
        Assert.True(stop.Success, stop.Message);
        try
        {
            await platform.App.ResourceNotifications.WaitForResourceAsync(redis, KnownResourceStates.TerminalStates, cts.Token);
            var during = await TimedAsync(() => http.PostJsonAsync("/v1/holds", new { event_id = created.Id(), customer_ref = "outage-live", seat_ids = seats.Take(1) }, HttpStatusCode.Created));
            var message = await watcher.NextAsync(TimeSpan.FromSeconds(5));
            Assert.Equal("held", (string)message.Json["seats"]![0]!["status"]!);
            var delay = Stopwatch.GetElapsedTime(during.At.Answered, message.ReceivedAt);
            output.WriteLine($"with Redis down the change arrived {delay.TotalMilliseconds:F0} ms after its answer (poll)");
            Assert.True(delay < TimeSpan.FromSeconds(3), $"{delay.TotalMilliseconds:F0} ms: the poll should find it within its interval");
        }
        finally
        {
            var start = await commands.ExecuteCommandAsync(redis, KnownResourceCommands.StartCommand, CancellationToken.None);
            Assert.True(start.Success, start.Message);
        }

        await platform.App.ResourceNotifications.WaitForResourceHealthyAsync(redis, cts.Token);
        await using var direct = await platform.ConnectRedisAsync("eu", "globex");
        await Eventually.GetAsync(async () => await NumSubAsync(direct, $"seats:{created.Id()}") == 1 ? "subscribed" : null,
            "the replica to subscribe again once Redis is back", TimeSpan.FromSeconds(60));

        // The watcher's replica is subscribed again; the replica that makes the change publishes through its own
        // connection, which reconnects on its own schedule. Until it does, changes still arrive by the poll. Once a
        // change's publish is seen on Redis, that change must reach the watcher live (within a second).
        var published = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var listener = direct.GetSubscriber();
        await listener.SubscribeAsync(RedisChannel.Literal($"seats:{created.Id()}"), (_, _) => Volatile.Read(ref published).TrySetResult());
        foreach (var (seat, attempt) in seats.Skip(1).Select((s, i) => (s, i + 1)))
        {
            Volatile.Write(ref published, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            var after = await TimedAsync(() => http.PostJsonAsync("/v1/holds", new { event_id = created.Id(), customer_ref = $"outage-live-{attempt}", seat_ids = new[] { seat } }, HttpStatusCode.Created));
            var seen = await Task.WhenAny(published.Task, Task.Delay(TimeSpan.FromMilliseconds(500), cts.Token)) == published.Task;
            if (seen)
            {
                await ExpectSeatsAsync(watcher, after.At, "hold.created", [seat], "held");
                output.WriteLine($"live again from change {attempt} after Redis came back");
                return;
            }

            var polled = await watcher.NextAsync(TimeSpan.FromSeconds(5));
            Assert.Equal("held", (string)polled.Json["seats"]![0]!["status"]!);
            output.WriteLine($"change {attempt}: the changing replica has not reconnected yet; it arrived by the poll");
            await Task.Delay(TimeSpan.FromSeconds(1), cts.Token);
        }

        Assert.Fail($"no change was published on Redis in {seats.Count - 1} tries after it came back");
    }

    [Fact]
    public async Task The_stream_of_an_unknown_event_is_not_found()
    {
        using var http = platform.ResellerClient("eu", Host);
        using var response = await http.GetAsync($"/v1/events/{Guid.NewGuid()}/stream");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("event_not_found", (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["code"]!);
    }

    private static async Task<long> NumSubAsync(ConnectionMultiplexer redis, string channel)
    {
        var server = redis.GetServer(redis.GetEndPoints()[0]);
        var result = (RedisResult[])(await server.ExecuteAsync("PUBSUB", "NUMSUB", channel))!;
        return (long)result[1];
    }

    private async Task<(Uri A, Uri B)> ReplicasAsync()
    {
        var replicas = await platform.ApiReplicaEndpointsAsync("eu", 2);
        return (replicas[0], replicas[1]);
    }

    private async Task<HttpClient> ReplicaClientAsync(Uri replica, string reseller = "acme")
    {
        var http = new HttpClient { BaseAddress = replica, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Host = $"{reseller}.eu.localhost";
        http.DefaultRequestHeaders.Authorization = new("Bearer", await platform.IntegratorTokenAsync("eu", reseller));
        return http;
    }

    /// <summary>Makes a change; <c>At</c> is when it was sent and when its answer came (it committed in between).</summary>
    private static async Task<(T Value, (long Sent, long Answered) At)> TimedAsync<T>(Func<Task<T>> change)
    {
        var sent = Stopwatch.GetTimestamp();
        var value = await change();
        return (value, (sent, Stopwatch.GetTimestamp()));
    }

    /// <summary>
    /// The next seat change: its topic and seats. It must arrive within a second of the change's answer; returns how
    /// long after the change was sent it arrived (an upper bound of the delay after the commit).
    /// </summary>
    private static async Task<TimeSpan> ExpectSeatsAsync(SseClient watcher, (long Sent, long Answered) change, string topic, IEnumerable<string> seatIds, string status)
    {
        var message = await watcher.NextAsync(TimeSpan.FromSeconds(5));
        var latency = Stopwatch.GetElapsedTime(change.Answered, message.ReceivedAt);
        Assert.Equal("seats", message.Event);
        Assert.Equal(topic, (string)message.Json["topic"]!);
        Assert.Equal(seatIds.Order(), message.Json["seats"]!.AsArray().Select(s => (string)s!["seat_id"]!).Order());
        Assert.All(message.Json["seats"]!.AsArray(), s => Assert.Equal(status, (string)s!["status"]!));
        Assert.True(latency < Live, $"{topic} reached the watcher {latency.TotalMilliseconds:F0} ms after the change's answer (limit {Live.TotalMilliseconds} ms)");
        return Stopwatch.GetElapsedTime(change.Sent, message.ReceivedAt);
    }
}
