using Microsoft.Extensions.Time.Testing;
using TicketAspire.Tenancy.Data;

namespace TicketAspire.Tenancy.Tests;

public sealed class IdleRegistryShould : IAsyncDisposable
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly ResellerStorageOptions _options = new() { IdleEviction = TimeSpan.FromMinutes(10), DisposeGrace = TimeSpan.FromMinutes(1) };
    private readonly ProbeRegistry _registry;

    public IdleRegistryShould() => _registry = new ProbeRegistry(_time, _options);

    [Fact]
    public async Task CreateAValueOncePerTenantEvenUnderConcurrentFirstUse()
    {
        var probes = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => _registry.GetAsync(Resellers.Acme))));

        Assert.Single(probes.Distinct());
        Assert.Equal(1, _registry.Created);
    }

    [Fact]
    public async Task DisposeAnEvictedValueOnlyAfterTheGracePeriod()
    {
        var probe = await _registry.GetAsync(Resellers.Acme);
        _time.Advance(_options.IdleEviction);
        Assert.Equal(1, _registry.EvictIdle());

        _time.Advance(_options.DisposeGrace - TimeSpan.FromSeconds(1));
        Assert.False(probe.Disposed.Task.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));

        await probe.Disposed.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task DisposeEveryValueWhenDisposed()
    {
        var acme = await _registry.GetAsync(Resellers.Acme);
        var globex = await _registry.GetAsync(Resellers.Globex);

        await _registry.DisposeAsync();

        Assert.True(acme.Disposed.Task.IsCompleted);
        Assert.True(globex.Disposed.Task.IsCompleted);
        Assert.Equal(0, _registry.Count);
    }

    [Fact]
    public async Task RetryACreationThatFailed()
    {
        _registry.FailNext = true;
        await Assert.ThrowsAsync<InvalidOperationException>(() => _registry.GetAsync(Resellers.Acme));

        var probe = await _registry.GetAsync(Resellers.Acme);

        Assert.NotNull(probe);
        Assert.Equal(2, _registry.Created);
        Assert.Equal(1, _registry.Count);
    }

    public ValueTask DisposeAsync() => _registry.DisposeAsync();

    private sealed class ProbeRegistry(TimeProvider time, ResellerStorageOptions options) : IdleRegistry<Probe>(time, options)
    {
        private int _created;

        public int Created => _created;

        public bool FailNext { get; set; }

        public Task<Probe> GetAsync(ResellerTenantInfo tenant) => GetOrCreateAsync(tenant);

        protected override async Task<Probe> CreateAsync(ResellerTenantInfo tenant)
        {
            Interlocked.Increment(ref _created);
            await Task.Yield();
            if (FailNext)
            {
                FailNext = false;
                throw new InvalidOperationException("storage not reachable");
            }

            return new Probe();
        }
    }

    private sealed class Probe : IAsyncDisposable
    {
        public TaskCompletionSource Disposed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ValueTask DisposeAsync()
        {
            Disposed.TrySetResult();
            return ValueTask.CompletedTask;
        }
    }
}
