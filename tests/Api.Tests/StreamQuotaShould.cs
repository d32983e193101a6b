using TicketAspire.Api.Infrastructure.Live;

namespace TicketAspire.Api.Tests;

public sealed class StreamQuotaShould
{
    [Fact]
    public void CapStreamsPerKeyAndPerReplica()
    {
        var quota = new StreamQuota(max: 4, maxPerKey: 2);

        Assert.Equal(StreamQuotaResult.Acquired, quota.TryAcquire("acme:alice"));
        Assert.Equal(StreamQuotaResult.Acquired, quota.TryAcquire("acme:alice"));
        Assert.Equal(StreamQuotaResult.KeyFull, quota.TryAcquire("acme:alice"));
        Assert.Equal(StreamQuotaResult.Acquired, quota.TryAcquire("acme:bob"));
        Assert.Equal(StreamQuotaResult.Acquired, quota.TryAcquire("globex:alice"));
        Assert.Equal(StreamQuotaResult.ReplicaFull, quota.TryAcquire("acme:carol"));

        quota.Release("acme:alice");
        Assert.Equal(3, quota.Open);
        Assert.Equal(StreamQuotaResult.Acquired, quota.TryAcquire("acme:carol"));
        Assert.Equal(StreamQuotaResult.ReplicaFull, quota.TryAcquire("acme:alice"));
    }

    [Fact]
    public async Task GrantExactlyTheCapUnderAConcurrentBurst()
    {
        var quota = new StreamQuota(max: 50, maxPerKey: 3);

        var results = await Task.WhenAll(Enumerable.Range(0, 400).Select(i => Task.Run(() => quota.TryAcquire($"c{i % 40}"))));

        Assert.Equal(50, results.Count(r => r == StreamQuotaResult.Acquired));
        Assert.Equal(50, quota.Open);
        foreach (var i in Enumerable.Range(0, 40))
        {
            for (var n = 0; n < 3; n++)
            {
                quota.Release($"c{i}");
            }
        }

        Assert.Equal(0, quota.Open);
    }
}
