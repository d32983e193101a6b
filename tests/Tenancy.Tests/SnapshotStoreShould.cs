using TicketAspire.Tenancy.Stores;

namespace TicketAspire.Tenancy.Tests;

public sealed class SnapshotStoreShould
{
    [Fact]
    public async Task FindResellersByIdAndByNormalizedHost()
    {
        var store = new SnapshotStore([Resellers.Acme, Resellers.Globex]);

        Assert.Equal(Resellers.Globex, await store.GetByIdentifierAsync("globex-events"));
        Assert.Equal(Resellers.Acme, await store.GetAsync("acme"));
        Assert.Null(await store.GetAsync("ACME"));
        Assert.Equal("acme", store.GetIdentifierByHost("shop.acme.example"));
        Assert.Null(store.GetIdentifierByHost("nobody.example"));
        Assert.Equal([Resellers.Acme, Resellers.Globex], await store.GetAllAsync());
    }

    [Fact]
    public async Task ReplaceTheWholeContent()
    {
        var store = new SnapshotStore([Resellers.Acme]);
        var moved = Resellers.Acme with { Hosts = ["tickets.acme.example"] };

        store.Replace([moved, Resellers.Globex]);

        Assert.Null(store.GetIdentifierByHost("acme.tickets.example"));
        Assert.Equal("acme", store.GetIdentifierByHost("tickets.acme.example"));
        Assert.Equal("globex-events", store.GetIdentifierByHost("globex.tickets.example"));
        Assert.Equal([moved, Resellers.Globex], await store.GetAllAsync());
    }

    [Fact]
    public async Task KeepThePreviousContentWhenAReplacementIsInvalid()
    {
        var store = new SnapshotStore([Resellers.Acme]);
        var clash = Resellers.Globex with { Hosts = ["ACME.tickets.example"] };

        Assert.Throws<ArgumentException>(() => store.Replace([Resellers.Acme, clash]));

        Assert.Equal([Resellers.Acme], await store.GetAllAsync());
        Assert.Equal("acme", store.GetIdentifierByHost("acme.tickets.example"));
    }

    [Fact]
    public async Task NeverShowReadersAHalfReplacedSnapshot()
    {
        static ResellerTenantInfo[] Version(int v) =>
            [.. Enumerable.Range(0, 20).Select(i => Resellers.Acme with { Id = $"r{i}", Name = $"v{v}", Hosts = [$"r{i}.v{v}.example"] })];
        var store = new SnapshotStore(Version(0));

        var writer = Task.Run(() =>
        {
            for (var v = 1; v <= 2000; v++)
            {
                store.Replace(Version(v));
            }
        });
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            var reads = 0;
            while (!writer.IsCompleted || reads == 0)
            {
                var all = await store.GetAllAsync();
                Assert.Equal(20, all.Count);
                Assert.Single(all.Select(r => r.Name).Distinct());
                reads++;
            }
        })).ToList();

        await Task.WhenAll(readers.Append(writer)).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.All(await store.GetAllAsync(), r => Assert.Equal("v2000", r.Name));
        Assert.Equal("r3", store.GetIdentifierByHost("r3.v2000.example"));
    }
}
