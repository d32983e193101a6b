using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;

namespace TicketAspire.Api.Infrastructure.RateLimiting;

/// <summary>
/// The sliding window counter (<see cref="SlidingWindow"/>) as one Lua script in the reseller's Redis: per partition a
/// counter per fixed window, <c>{key}:{window number}</c>, each expiring two windows after its first request.
/// </summary>
/// <remarks>
/// <para>
/// Why a sliding window counter: Garnet (the cells' default server) runs Lua scripts without isolating them from other
/// connections unless it is started with <c>--lua-transaction-mode</c>; only each command inside is atomic. An
/// algorithm that reads, decides and writes back (GCRA, token buckets) would then let two replicas spend the same
/// permit. Here every decision rests on one atomic <c>INCRBY</c>: each concurrent request gets its own count, so no
/// interleaving can admit more than the limit (a rejected request gives its permit back with <c>DECRBY</c>; meanwhile
/// others can only be rejected too early, never admitted too many). On Redis the whole script is atomic anyway. The
/// counter avoids a fixed window's double burst at window edges, weighting the previous window by its overlap.
/// </para>
/// <para>
/// One round trip: the clock (<c>TIME</c>, so replicas with skewed clocks agree), the previous window's count, the
/// increment and the expiry all happen in one <c>EVALSHA</c>. The script is sent by SHA-1; only when the server
/// answers <c>NOSCRIPT</c> (restart, <c>SCRIPT FLUSH</c>, failover) is it sent once with <c>EVAL</c>, which caches it
/// again. Numbers stay integers below 2^53 and keys are formatted with <c>%d</c>, so Redis 7's Lua 5.1 and Garnet's
/// Lua agree. Idle partitions vanish by TTL: nothing is ever scanned.
/// </para>
/// </remarks>
internal static class RedisSlidingWindow
{
    /// <summary>KEYS[1] partition key; ARGV window ms, limit, cost. Returns {allowed, remaining, retry ms, reset ms}.</summary>
    public const string Script = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local window = tonumber(ARGV[1])
        local limit = tonumber(ARGV[2])
        local cost = tonumber(ARGV[3])
        local index = math.floor(now / window)
        local elapsed = now - index * window
        local current = KEYS[1] .. ':' .. string.format('%d', index)
        local previous = tonumber(redis.call('GET', KEYS[1] .. ':' .. string.format('%d', index - 1)) or 0) or 0
        local weighted = math.floor(previous * (window - elapsed) / window)
        local counted = tonumber(redis.call('INCRBY', current, cost))
        if counted == cost then
          redis.call('PEXPIRE', current, window * 2)
        end
        if weighted + counted <= limit then
          return {1, limit - weighted - counted, 0, window - elapsed}
        end
        redis.call('DECRBY', current, cost)
        local before = counted - cost
        local function until_room(count, room)
          return window - math.floor((room + 1) * window / count) + 1
        end
        local retry
        local room = limit - before - cost
        if room >= 0 and previous > 0 then
          retry = math.max(1, until_room(previous, room) - elapsed)
        elseif limit - cost < 0 then
          retry = 2 * window - elapsed
        elseif before > limit - cost then
          retry = window - elapsed + until_room(before, limit - cost)
        else
          retry = window - elapsed
        end
        return {0, 0, retry, window - elapsed}
        """;

    /// <summary>SHA-1 of <see cref="Script"/>, what <c>EVALSHA</c> names it by.</summary>
#pragma warning disable CA5350 // SHA-1 is how Redis names scripts, not a security measure
    public static readonly byte[] Hash = SHA1.HashData(Encoding.UTF8.GetBytes(Script));
#pragma warning restore CA5350

    /// <summary>Spends <paramref name="cost"/> permits of <paramref name="key"/> if the budget allows.</summary>
    public static async Task<RateLimitDecision> EvaluateAsync(IDatabaseAsync db, string key, WindowPolicy policy, int cost)
    {
        RedisKey[] keys = [key];
        var arguments = policy.ArgumentsFor(cost);
        RedisResult result;
        try
        {
            result = await db.ScriptEvaluateAsync(Hash, keys, arguments);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
        {
            result = await db.ScriptEvaluateAsync(Script, keys, arguments, CommandFlags.NoScriptCache);
        }

        var values = (RedisResult[]?)result;
        if (values is not { Length: 4 })
        {
            throw new RedisException("The rate limit script returned an unexpected reply.");
        }

        return new RateLimitDecision((long)values[0] == 1, (long)values[1], (long)values[2], (long)values[3]);
    }
}
