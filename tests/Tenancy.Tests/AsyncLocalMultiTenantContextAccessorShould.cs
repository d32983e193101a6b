namespace TicketAspire.Tenancy.Tests;

public sealed class AsyncLocalMultiTenantContextAccessorShould
{
    private readonly AsyncLocalMultiTenantContextAccessor<ResellerTenantInfo> _accessor = new();

    [Fact]
    public async Task ReturnAnUnresolvedContextRatherThanNull()
    {
        // A flow that inherits nothing from the test runner: what a fresh request or worker loop sees.
        Task<IMultiTenantContext<ResellerTenantInfo>> fresh;
        using (ExecutionContext.SuppressFlow())
        {
            fresh = Task.Run(() => _accessor.MultiTenantContext);
        }

        var context = await fresh;

        Assert.NotNull(context);
        Assert.False(context.IsResolved);
        Assert.Null(context.TenantInfo);
    }

    [Fact]
    public async Task KeepTheContextAcrossAwaits()
    {
        async Task<ResellerTenantInfo?> RunAsAcme()
        {
            _accessor.SetContext(new MultiTenantContext<ResellerTenantInfo>(Resellers.Acme, "test"));
            await Task.Yield();
            await Task.Delay(10);
            return await Task.Run(() => _accessor.MultiTenantContext.TenantInfo);
        }

        Assert.Equal(Resellers.Acme, await RunAsAcme());
    }

    [Fact]
    public async Task NotLeakTheContextIntoASiblingFlowOrTheCaller()
    {
        var acmeSet = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var siblingLooked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        async Task<ResellerTenantInfo?> Acme()
        {
            await Task.Yield();
            _accessor.SetContext(new MultiTenantContext<ResellerTenantInfo>(Resellers.Acme, "test"));
            acmeSet.SetResult();
            await siblingLooked.Task;
            return _accessor.MultiTenantContext.TenantInfo;
        }

        async Task<IMultiTenantContext<ResellerTenantInfo>> Sibling()
        {
            await acmeSet.Task;
            var seen = _accessor.MultiTenantContext;
            siblingLooked.SetResult();
            return seen;
        }

        var acme = Acme();
        var sibling = Sibling();

        Assert.Equal(Resellers.Acme, await acme.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.False((await sibling.WaitAsync(TimeSpan.FromSeconds(10))).IsResolved);
        Assert.False(_accessor.MultiTenantContext.IsResolved);
    }

    [Fact]
    public async Task ShareTheCurrentContextBetweenAccessorInstances()
    {
        var other = new AsyncLocalMultiTenantContextAccessor<ResellerTenantInfo>();

        async Task<ResellerTenantInfo?> Run()
        {
            await Task.Yield();
            _accessor.SetContext(new MultiTenantContext<ResellerTenantInfo>(Resellers.Globex));
            return other.MultiTenantContext.TenantInfo;
        }

        Assert.Equal(Resellers.Globex, await Run());
    }
}
