using System.Text.Json.Nodes;

namespace TicketAspire.AppHost.Tests;

/// <summary>
/// Accessible seating through the running AppHost: wheelchair and companion seats declared per row, flagged and counted
/// apart on the seat map, the companion held together with its wheelchair seat, and a bad pairing answered with problem
/// details.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class AccessibleSeatingTests(PlatformFixture platform)
{
    [Fact]
    public async Task Create_show_the_accessible_seats_apart_and_hold_a_wheelchair_seat_with_its_companion()
    {
        using var acme = await platform.IntegratorClientAsync("eu", "acme");
        var created = await acme.PostJsonAsync("/v1/events", AccessibleEvent(new Dictionary<string, string[]> { ["3"] = ["2"] }), HttpStatusCode.Created);
        var eventId = created.Id();

        var map = await acme.GetJsonAsync($"/v1/events/{eventId}/seats");
        var seats = map["seats"]!.AsArray().ToDictionary(s => (string)s!["number"]!, s => s!.AsObject());
        Assert.Equal("wheelchair", (string?)seats["3"]["accessibility"]);
        Assert.Equal("companion", (string?)seats["2"]["accessibility"]);
        Assert.Equal(seats["3"].Id(), (string?)seats["2"]["companion_of"]);
        Assert.Equal((1, 1), ((int)map["accessible"]!["wheelchair_available"]!, (int)map["accessible"]!["companion_available"]!));

        // the storefront's event page marks them, for the eye and for screen readers; the companion seat is not a choice of its own
        using (var storefront = new HttpClient { BaseAddress = platform.App.GetEndpoint("router", "http") })
        {
            storefront.DefaultRequestHeaders.Host = "acme.eu.localhost";
            var page = await storefront.GetStringAsync($"/events/{eventId}");
            Assert.Contains("seat 3, wheelchair space", page, StringComparison.Ordinal);
            Assert.Contains("seat 2, companion seat of wheelchair space 3, held with it", page, StringComparison.Ordinal);
            Assert.Contains("1 of 1 wheelchair spaces", page, StringComparison.Ordinal);
            Assert.Matches($"data-seat-id=\"{seats["2"].Id()}\"[^>]*disabled", page);
        }

        // the companion alone is refused; the wheelchair seat brings its companion, at the companion class's price
        var alone = await acme.PostJsonAsync("/v1/holds", new { event_id = eventId, customer_ref = "companion-" + Guid.NewGuid().ToString("N"), seat_ids = new[] { seats["2"].Id() } }, HttpStatusCode.Conflict);
        Assert.Equal("seat_unavailable", (string)alone["code"]!);
        var hold = await acme.PostJsonAsync("/v1/holds", new { event_id = eventId, customer_ref = "wheelchair-" + Guid.NewGuid().ToString("N"), seat_ids = new[] { seats["3"].Id() } }, HttpStatusCode.Created);
        Assert.Equal(["2", "3"], hold["seats"]!.AsArray().Select(s => (string)s!["number"]!).Order(StringComparer.Ordinal));
        Assert.Equal(7_000, (long)hold["total"]!["minor_units"]!);

        map = await acme.GetJsonAsync($"/v1/events/{eventId}/seats");
        Assert.Equal((0, 0), ((int)map["accessible"]!["wheelchair_available"]!, (int)map["accessible"]!["companion_available"]!));
    }

    [Fact]
    public async Task A_companion_outside_the_row_or_of_a_seat_that_is_no_wheelchair_seat_is_a_problem()
    {
        using var acme = await platform.IntegratorClientAsync("eu", "acme");
        foreach (var companions in new[] { new Dictionary<string, string[]> { ["3"] = ["9"] }, new Dictionary<string, string[]> { ["1"] = ["2"] } })
        {
            var problem = await acme.PostJsonAsync("/v1/events", AccessibleEvent(companions), HttpStatusCode.BadRequest);
            Assert.Contains("sections[0].rows[0].companions", problem["errors"]!.AsObject().Select(e => e.Key));
        }
    }

    /// <summary>Row 1 of seats 1..4 at 45.00, seat 2 of the class "Companion" at 25.00; seat 3 a wheelchair seat.</summary>
    private static object AccessibleEvent(Dictionary<string, string[]> companions) => new
    {
        name = "Accessible show " + Guid.NewGuid(),
        type = "concert",
        performer = "Test Band",
        starts_at = "2027-03-01T20:00:00Z",
        venue = new { name = "Test Arena", city = "Paris", country = "FR" },
        seating = "reserved",
        ticket_classes = new[] { new { name = "Standard", price_minor = 4500L }, new { name = "Companion", price_minor = 2500L } },
        sections = new[]
        {
            new
            {
                name = "A",
                rows = new[]
                {
                    new
                    {
                        label = "1", @class = "Standard",
                        seats = Enumerable.Range(1, 4).Select(n => new { number = $"{n}", @class = n == 2 ? "Companion" : null }).ToArray(),
                        wheelchair_seats = new[] { "3" }, companions,
                    },
                },
            },
        },
    };
}
