using System.Globalization;
using StackExchange.Redis;

namespace TicketAspire.Api.Infrastructure.RateLimiting;

/// <summary>A <see cref="RateLimitRule"/> of one partition kind, in the units the limiters use, computed once at start.</summary>
internal sealed class WindowPolicy
{
    public WindowPolicy(PartitionKind kind, RateLimitRule rule)
    {
        Kind = kind;
        Limit = rule.PermitLimit;
        Window = rule.Window;
        WindowMillis = (long)rule.Window.TotalMilliseconds;
        SingleCostArguments = [WindowMillis, Limit, 1];
        LimitHeader = Limit.ToString(CultureInfo.InvariantCulture);
        Description = kind switch
        {
            PartitionKind.Integrator => "integrator",
            PartitionKind.Customer => "customer",
            PartitionKind.CustomerWrite => "customer write",
            PartitionKind.Staff => "staff",
            PartitionKind.Anonymous => "anonymous",
            PartitionKind.HoldsPerAccount => "holds per account",
            PartitionKind.HoldsPerDevice => "holds per device",
            _ => "anonymous write",
        };
    }

    public PartitionKind Kind { get; }

    public int Limit { get; }

    public TimeSpan Window { get; }

    public long WindowMillis { get; }

    /// <summary>The script's ARGV for a cost of one permit (shared: the client only reads it).</summary>
    public RedisValue[] SingleCostArguments { get; }

    /// <summary><see cref="Limit"/> as a header value.</summary>
    public string LimitHeader { get; }

    /// <summary>The kind in words, for problem details (never the partition key).</summary>
    public string Description { get; }

    /// <summary>The script's ARGV for <paramref name="cost"/> permits.</summary>
    public RedisValue[] ArgumentsFor(int cost) => cost == 1 ? SingleCostArguments : [WindowMillis, Limit, cost];
}
