using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace TicketAspire.AppHost.Tests;

/// <summary>Many buyers race through the real API; Postgres decides, once.</summary>
[Collection(PlatformCollection.Name)]
public sealed class ConcurrencyTests(PlatformFixture platform, ITestOutputHelper output)
{
    private const int Buyers = 1000;
    private const int Seats = 100;

    [Fact]
    public async Task A_thousand_buyers_racing_for_a_hundred_seats_buy_exactly_a_hundred_tickets()
    {
        using var http = await platform.IntegratorClientAsync("eu", "acme");
        var (created, seats) = await http.CreateReservedEventAsync("Race " + Guid.NewGuid(), 4, 25);
        Assert.Equal(Seats, seats.Count);

        // buyer i wants seat i % 100: every seat has ten contenders, all released at once
        var start = new TaskCompletionSource();
        var attempts = Enumerable.Range(0, Buyers).Select(async i =>
        {
            await start.Task;
            return await HoldAndConfirmAsync(http, new { event_id = created.Id(), customer_ref = $"buyer-{i}", seat_ids = new[] { seats[i % Seats] } });
        }).ToList();
        start.SetResult();
        var results = await Task.WhenAll(attempts);

        await AssertExactlyOneWinnerPerSeatAsync(results, Guid.Parse(created.Id()));
    }

    [Fact]
    public async Task A_thousand_buyers_racing_for_a_hundred_general_admission_tickets_buy_exactly_a_hundred()
    {
        using var http = await platform.IntegratorClientAsync("eu", "globex");
        var created = await http.PostJsonAsync("/v1/events", Api.GaEvent("GA race " + Guid.NewGuid(), Seats), HttpStatusCode.Created);
        var classId = (string)created["ticket_classes"]![0]!["id"]!;

        var start = new TaskCompletionSource();
        var attempts = Enumerable.Range(0, Buyers).Select(async i =>
        {
            await start.Task;
            return await HoldAndConfirmAsync(http, new { event_id = created.Id(), customer_ref = $"ga-{i}", tickets = new[] { new { class_id = classId, quantity = 1 } } });
        }).ToList();
        start.SetResult();
        var results = await Task.WhenAll(attempts);

        await AssertExactlyOneWinnerPerSeatAsync(results, Guid.Parse(created.Id()), "reseller_globex");
    }

    private async Task AssertExactlyOneWinnerPerSeatAsync(Attempt[] results, Guid eventId, string database = "reseller_acme")
    {
        var statuses = results.GroupBy(r => r.HoldStatus).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine(string.Join(", ", statuses.Select(kv => $"{(int)kv.Key}: {kv.Value}")));
        Assert.Equal(Seats, statuses.GetValueOrDefault(HttpStatusCode.Created));
        Assert.Equal(Buyers - Seats, statuses.GetValueOrDefault(HttpStatusCode.Conflict));
        Assert.All(results.Where(r => r.HoldStatus == HttpStatusCode.Created), r => Assert.Equal(HttpStatusCode.OK, r.ConfirmStatus));
        var soldSeats = results.Where(r => r.SoldSeat is not null).Select(r => r.SoldSeat!).ToList();
        Assert.Equal(Seats, soldSeats.Distinct().Count());

        await using var conn = await platform.OpenDatabaseAsync("eu", database);
        await using var cmd = new Npgsql.NpgsqlCommand(
            "SELECT count(*), count(DISTINCT seat_id) FROM tickets WHERE event_id = $1 AND status = 'valid'", conn)
        { Parameters = { new() { Value = eventId } } };
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(Seats, reader.GetInt64(0));
        Assert.Equal(Seats, reader.GetInt64(1));
    }

    private static async Task<Attempt> HoldAndConfirmAsync(HttpClient http, object body)
    {
        using var hold = await http.PostAsJsonAsync("/v1/holds", body, Api.Json);
        if (hold.StatusCode != HttpStatusCode.Created)
        {
            var problem = JsonNode.Parse(await hold.Content.ReadAsStringAsync())!;
            Assert.Contains((string)problem["code"]!, new[] { "seat_unavailable", "sold_out" });
            return new Attempt(hold.StatusCode, null, null);
        }

        var held = JsonNode.Parse(await hold.Content.ReadAsStringAsync())!;
        var order = await http.PayAndConfirmAsync(held.Id());
        return new Attempt(hold.StatusCode, HttpStatusCode.OK, (string?)order["tickets"]?[0]?["seat_id"]);
    }

    private sealed record Attempt(HttpStatusCode HoldStatus, HttpStatusCode? ConfirmStatus, string? SoldSeat);
}
