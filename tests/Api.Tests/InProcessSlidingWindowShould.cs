using Microsoft.Extensions.Time.Testing;
using TicketAspire.Api.Infrastructure.RateLimiting;

namespace TicketAspire.Api.Tests;

public sealed class InProcessSlidingWindowShould : IDisposable
{
    private static readonly WindowPolicy TenPerMinute = new(PartitionKind.Customer, new RateLimitRule(10, TimeSpan.FromMinutes(1)));

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly InProcessSlidingWindow _limiter;

    public InProcessSlidingWindowShould() => _limiter = new InProcessSlidingWindow(_time);

    [Fact]
    public void AdmitTheBudgetThenRejectUntilTheWindowHasSlidEnough()
    {
        _time.Advance(TimeSpan.FromSeconds(15));
        var admitted = Enumerable.Range(0, 10).Select(_ => Acquire("alice")).ToList();
        var rejected = Acquire("alice");

        _time.Advance(TimeSpan.FromMilliseconds(rejected.RetryAfterMillis - 1));
        var tooEarly = Acquire("alice");
        _time.Advance(TimeSpan.FromMilliseconds(1));
        var onTime = Acquire("alice");

        Assert.All(admitted, d => Assert.True(d.Allowed));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => 9L - i), admitted.Select(d => d.Remaining));
        Assert.False(rejected.Allowed);
        Assert.Equal(45_001, rejected.RetryAfterMillis); // the next window, as soon as one of the ten has slid out
        Assert.Equal(45_000, rejected.ResetMillis);
        Assert.False(tooEarly.Allowed);
        Assert.True(onTime.Allowed);
    }

    [Fact]
    public void CountThePreviousWindowByItsOverlap()
    {
        var first = Enumerable.Range(0, 10).Count(_ => Acquire("alice").Allowed);

        _time.Advance(TimeSpan.FromSeconds(90)); // half of the previous window still overlaps: it counts as 5
        var second = Enumerable.Range(0, 10).Count(_ => Acquire("alice").Allowed);

        Assert.Equal(10, first);
        Assert.Equal(5, second);
    }

    [Fact]
    public void KeepResellersAndPartitionsApart()
    {
        for (var i = 0; i < 10; i++)
        {
            Acquire("alice");
        }

        Assert.False(Acquire("alice").Allowed);
        Assert.True(_limiter.Acquire("globex", "ta:rl:user:alice", TenPerMinute, 1).Allowed);
        Assert.True(Acquire("bob").Allowed);
    }

    [Fact]
    public void ForgetPartitionsOnceBothOfTheirWindowsHavePassed()
    {
        using var limiter = new InProcessSlidingWindow(_time, Timeout.InfiniteTimeSpan);
        for (var i = 0; i < 10_000; i++)
        {
            limiter.Acquire("acme", "ta:rl:ip:10.0." + i, TenPerMinute, 1);
        }

        _time.Advance(TimeSpan.FromSeconds(60));
        limiter.Acquire("acme", "ta:rl:ip:busy", TenPerMinute, 1);
        Assert.Equal(0, limiter.Sweep()); // the first window still counts in the second

        _time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(10_000, limiter.Sweep());
        Assert.Equal(1, limiter.Count);
    }

    [Fact]
    public void SweepIdlePartitionsOnItsOwn()
    {
        Acquire("alice");

        _time.Advance(TimeSpan.FromSeconds(130));

        Assert.Equal(0, _limiter.Count);
    }

    [Fact]
    public void AdmitExactlyTheBudgetUnderContention()
    {
        var policy = new WindowPolicy(PartitionKind.Integrator, new RateLimitRule(1000, TimeSpan.FromHours(1)));
        var admitted = 0;

        Parallel.For(0, 20_000, _ =>
        {
            if (_limiter.Acquire("acme", "ta:rl:client:pos", policy, 1).Allowed)
            {
                Interlocked.Increment(ref admitted);
            }
        });

        Assert.Equal(1000, admitted);
    }

    public void Dispose() => _limiter.Dispose();

    private RateLimitDecision Acquire(string user) => _limiter.Acquire("acme", "ta:rl:user:" + user, TenPerMinute, 1);
}
