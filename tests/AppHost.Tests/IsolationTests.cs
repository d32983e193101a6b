using System.Text.Json.Nodes;
using StackExchange.Redis;

namespace TicketAspire.AppHost.Tests;

[Collection(PlatformCollection.Name)]
public sealed class IsolationTests(PlatformFixture platform)
{
    [Fact]
    public async Task Data_of_one_reseller_is_invisible_through_another_resellers_host()
    {
        using var acme = await platform.IntegratorClientAsync("eu", "acme");
        using var globex = await platform.IntegratorClientAsync("eu", "globex");
        var (created, seats) = await acme.CreateReservedEventAsync("Acme only " + Guid.NewGuid(), 1, 5);
        var id = created.Id();

        await globex.GetJsonAsync($"/v1/events/{id}", HttpStatusCode.NotFound);
        await globex.GetJsonAsync($"/v1/events/{id}/seats", HttpStatusCode.NotFound);
        var globexList = await globex.GetJsonAsync("/v1/events?size=100");
        Assert.DoesNotContain(globexList["events"]!.AsArray(), e => e.Id() == id);
        var hold = await globex.PostJsonAsync("/v1/holds", new { event_id = id, customer_ref = "mallory", seat_ids = seats.Take(1) }, HttpStatusCode.NotFound);
        Assert.Equal("event_not_found", (string)hold["code"]!);

        // and through its own host it is there
        var own = await acme.GetJsonAsync($"/v1/events/{id}");
        Assert.Equal(5, (int)own["available_ticket_cnt"]!);
    }

    [Fact]
    public async Task A_resellers_rows_live_only_in_its_own_database()
    {
        using var acme = await platform.IntegratorClientAsync("eu", "acme");
        var (created, seats) = await acme.CreateReservedEventAsync("Rows " + Guid.NewGuid(), 1, 3);
        var id = Guid.Parse(created.Id());
        var hold = await acme.PostJsonAsync("/v1/holds", new { event_id = id, customer_ref = "iso-cust", seat_ids = seats.Take(2) }, HttpStatusCode.Created);
        await acme.PayAndConfirmAsync(hold.Id());

        Assert.Equal(1L, await CountAsync("eu", "reseller_acme", "SELECT count(*) FROM events WHERE id = $1", id));
        Assert.Equal(2L, await CountAsync("eu", "reseller_acme", "SELECT count(*) FROM tickets WHERE event_id = $1", id));
        Assert.Equal(0L, await CountAsync("eu", "reseller_globex", "SELECT count(*) FROM events WHERE id = $1", id));
        Assert.Equal(0L, await CountAsync("eu", "reseller_globex", "SELECT count(*) FROM orders WHERE customer_ref = 'iso-cust'"));
        Assert.Equal(0L, await CountAsync("us", "reseller_initech", "SELECT count(*) FROM events WHERE id = $1", id));

        // the cell catalog knows resellers and storage names, and holds no business tables
        Assert.Equal(0L, await CountAsync("eu", "catalog", "SELECT count(*) FROM pg_tables WHERE tablename IN ('events', 'seats', 'orders', 'tickets')"));
        Assert.Equal(2L, await CountAsync("eu", "catalog", "SELECT count(*) FROM resellers"));
        Assert.Equal(1L, await CountAsync("us", "catalog", "SELECT count(*) FROM resellers"));
    }

    [Fact]
    public async Task A_resellers_cache_keys_live_only_in_its_own_redis()
    {
        using var acme = await platform.IntegratorClientAsync("eu", "acme");
        var (created, _) = await acme.CreateReservedEventAsync("Keys " + Guid.NewGuid(), 1, 2);
        var key = "ta:avail:" + Guid.Parse(created.Id()).ToString("N");
        await acme.GetJsonAsync($"/v1/events/{created.Id()}");   // computes and caches the availability counts

        await using var acmeRedis = await platform.ConnectRedisAsync("eu", "acme");
        await using var globexRedis = await platform.ConnectRedisAsync("eu", "globex");
        await using var initechRedis = await platform.ConnectRedisAsync("us", "initech");
        Assert.True(await acmeRedis.GetDatabase().KeyExistsAsync(key), $"{key} should be in acme's Redis");
        Assert.False(await globexRedis.GetDatabase().KeyExistsAsync(key));
        Assert.False(await initechRedis.GetDatabase().KeyExistsAsync(key));
        Assert.DoesNotContain(await KeysAsync(globexRedis), k => k.Contains(created.Id().Replace("-", ""), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cells_are_separate_a_host_of_one_cell_is_unknown_in_the_other()
    {
        using var acmeOnUs = platform.ResellerClient("us", "acme.eu.localhost");
        var problem = await acmeOnUs.GetJsonAsync("/v1/events", HttpStatusCode.NotFound);
        Assert.EndsWith("tenancy.unresolved", (string)problem["type"]!, StringComparison.Ordinal);

        using var initech = await platform.IntegratorClientAsync("us", "initech");
        var (created, _) = await initech.CreateReservedEventAsync("US show " + Guid.NewGuid(), 1, 1);
        Assert.Equal("USD", (string)created["currency"]!);
    }

    private async Task<long> CountAsync(string cell, string database, string sql, Guid? id = null)
    {
        await using var conn = await platform.OpenDatabaseAsync(cell, database);
        await using var cmd = new Npgsql.NpgsqlCommand(sql, conn);
        if (id is { } value)
        {
            cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = value });
        }

        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private static async Task<List<string>> KeysAsync(ConnectionMultiplexer redis)
    {
        var server = redis.GetServers()[0];
        var keys = new List<string>();
        await foreach (var key in server.KeysAsync(pattern: "*"))
        {
            keys.Add(key.ToString());
        }

        return keys;
    }
}
