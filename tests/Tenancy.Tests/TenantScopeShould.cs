namespace TicketAspire.Tenancy.Tests;

public sealed class TenantScopeShould
{
    private readonly AsyncLocalMultiTenantContextAccessor<ResellerTenantInfo> _accessor = new();

    [Fact]
    public async Task MakeTheTenantCurrentAndRestoreThePreviousContext()
    {
        async Task<string> Run()
        {
            await Task.Yield();
            var seen = new List<string>();
            void Look() => seen.Add(_accessor.MultiTenantContext.TenantInfo?.Id ?? "none");
            Look();
            using (_accessor.Use(Resellers.Acme, _accessor))
            {
                Look();
                using (_accessor.Use(Resellers.Globex, _accessor))
                {
                    await Task.Delay(1);
                    Look();
                }

                Look();
            }

            Look();
            return string.Join(",", seen);
        }

        Assert.Equal("none,acme,globex-events,acme,none", await Run());
    }

    [Fact]
    public async Task NameTheStaticStrategy()
    {
        async Task<string?> Run()
        {
            await Task.Yield();
            using var scope = _accessor.Use(Resellers.Acme, _accessor);
            return _accessor.MultiTenantContext.StrategyName;
        }

        Assert.Equal("static", await Run());
    }
}
