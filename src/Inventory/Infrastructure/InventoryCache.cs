using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using TicketAspire.Inventory.Events;
using TicketAspire.Inventory.Holds;
using TicketAspire.Inventory.Orders;

namespace TicketAspire.Inventory.Infrastructure;

/// <summary>
/// The reseller's Redis as a cache of availability counts and event lists. Never the truth: every read falls back to
/// Postgres when Redis is absent, down or slow, and every entry expires on its own.
/// </summary>
public sealed class InventoryCache(IConnectionMultiplexer? redis, ILogger logger)
{
    /// <summary>Key prefix of every TicketAspire key.</summary>
    public const string Prefix = "ta:";

    private static readonly TimeSpan AvailabilityTtl = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ListTtl = TimeSpan.FromSeconds(30);
    private const string ListVersionKey = Prefix + "events:ver";

    /// <summary>How long a minute's view count is kept: longer than any pricing window should be.</summary>
    public static readonly TimeSpan ViewsTtl = TimeSpan.FromHours(2);

    /// <summary>A cache that holds nothing (no Redis configured).</summary>
    public static InventoryCache None(ILogger logger) => new(null, logger);

    /// <summary>Cached class counts of each event; events missing from the result were not cached.</summary>
    public async Task<Dictionary<Guid, ClassCount[]>> GetAvailabilityAsync(IReadOnlyList<Guid> eventIds)
    {
        var result = new Dictionary<Guid, ClassCount[]>();
        if (eventIds.Count == 0 || Database() is not { } db)
        {
            return result;
        }

        try
        {
            var values = await db.StringGetAsync([.. eventIds.Select(id => (RedisKey)AvailabilityKey(id))]);
            for (var i = 0; i < eventIds.Count; i++)
            {
                if (values[i].HasValue && JsonSerializer.Deserialize<ClassCount[]>((string)values[i]!) is { } counts)
                {
                    result[eventIds[i]] = counts;
                }
            }
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            Skip(ex);
        }

        return result;
    }

    /// <summary>Stores class counts of events.</summary>
    public async Task SetAvailabilityAsync(IReadOnlyDictionary<Guid, ClassCount[]> counts)
    {
        if (counts.Count == 0 || Database() is not { } db)
        {
            return;
        }

        try
        {
            var batch = db.CreateBatch();
            var tasks = counts.Select(kv => batch.StringSetAsync(AvailabilityKey(kv.Key), JsonSerializer.Serialize(kv.Value), AvailabilityTtl)).ToList();
            batch.Execute();
            await Task.WhenAll(tasks);
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            Skip(ex);
        }
    }

    /// <summary>
    /// Forgets the counts of an event after its seats changed, and wakes up the live watchers of the event on every API
    /// replica (<see cref="SeatsChannel"/>; the change itself is read from the outbox, so a lost message only delays it).
    /// </summary>
    public async Task InvalidateAvailabilityAsync(Guid eventId)
    {
        if (Database() is not { } db)
        {
            return;
        }

        try
        {
            await db.KeyDeleteAsync(AvailabilityKey(eventId), CommandFlags.FireAndForget);
            await db.PublishAsync(RedisChannel.Literal(SeatsChannel(eventId)), RedisValue.EmptyString, CommandFlags.FireAndForget);
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            Skip(ex);
        }
    }

    /// <summary>A cached event-list page for <paramref name="queryKey"/>, or computes and caches it.</summary>
    public async Task<T> GetOrAddListAsync<T>(string queryKey, Func<Task<T>> compute)
    {
        ArgumentNullException.ThrowIfNull(compute);
        if (Database() is not { } db)
        {
            return await compute();
        }

        string? key = null;
        try
        {
            var version = (long?)await db.StringGetAsync(ListVersionKey) ?? 0;
            key = $"{Prefix}events:list:{version}:{Hash(queryKey)}";
            var cached = await db.StringGetAsync(key);
            if (cached.HasValue && JsonSerializer.Deserialize<T>((string)cached!) is { } hit)
            {
                return hit;
            }
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            Skip(ex);
            return await compute();
        }

        var value = await compute();
        try
        {
            await db.StringSetAsync(key, JsonSerializer.Serialize(value), ListTtl, flags: CommandFlags.FireAndForget);
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            Skip(ex);
        }

        return value;
    }

    /// <summary>Makes every cached event list stale (an event was created or changed).</summary>
    public async Task InvalidateListsAsync()
    {
        if (Database() is not { } db)
        {
            return;
        }

        try
        {
            await db.StringIncrementAsync(ListVersionKey);
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            Skip(ex);
        }
    }

    /// <summary>Key of an event's availability counts.</summary>
    public static string AvailabilityKey(Guid eventId) => $"{Prefix}avail:{eventId:N}";

    /// <summary>The pub/sub channel that says an event's seats changed (<c>seats:&lt;event id&gt;</c>).</summary>
    public static string SeatsChannel(Guid eventId) => $"seats:{eventId}";

    /// <summary>
    /// Counts a view of an event's page in the minute of <paramref name="now"/>: one INCR (and its expiry), sent without
    /// waiting for the answer. A demand signal, not the truth: without Redis the view is simply not counted.
    /// </summary>
    public void CountView(Guid eventId, DateTimeOffset now)
    {
        if (Database() is not { } db)
        {
            return;
        }

        try
        {
            var key = ViewsKey(eventId, now.ToUnixTimeSeconds() / 60);
            db.StringIncrement(key, flags: CommandFlags.FireAndForget);
            db.KeyExpire(key, ViewsTtl, flags: CommandFlags.FireAndForget);
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            Skip(ex);
        }
    }

    /// <summary>
    /// The views of each event's page in the minutes from <paramref name="since"/> to <paramref name="now"/> (whole minutes,
    /// both ends included); 0 for every event when Redis is absent or fails.
    /// </summary>
    public async Task<Dictionary<Guid, long>> GetViewsAsync(IReadOnlyList<Guid> eventIds, DateTimeOffset since, DateTimeOffset now)
    {
        var result = eventIds.ToDictionary(id => id, _ => 0L);
        if (eventIds.Count == 0 || Database() is not { } db)
        {
            return result;
        }

        var first = since.ToUnixTimeSeconds() / 60;
        var last = now.ToUnixTimeSeconds() / 60;
        var minutes = (int)Math.Clamp(last - first + 1, 1, 24 * 60);
        try
        {
            var keys = eventIds.SelectMany(id => Enumerable.Range(0, minutes).Select(m => (RedisKey)ViewsKey(id, last - m))).ToArray();
            var values = await db.StringGetAsync(keys);
            for (var i = 0; i < eventIds.Count; i++)
            {
                result[eventIds[i]] = values.Skip(i * minutes).Take(minutes).Sum(v => v.HasValue && long.TryParse((string?)v, out var n) ? n : 0);
            }
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            Skip(ex);
        }

        return result;
    }

    private static string ViewsKey(Guid eventId, long minute) => $"{Prefix}views:{eventId:N}:{minute}";

    private IDatabase? Database() => redis is { IsConnected: true } ? redis.GetDatabase() : null;

    private static string Hash(string s) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(s)).AsSpan(0, 12));

    private static bool IsRedisFailure(Exception ex) => ex is RedisException or TimeoutException or ObjectDisposedException or JsonException;

    private void Skip(Exception ex) => logger.LogDebug(ex, "Redis cache skipped: {Message}", ex.Message);
}

/// <summary>Counts of one ticket class (what the availability cache holds).</summary>
public sealed record ClassCount(Guid ClassId, int Available, int Held, int Sold);
