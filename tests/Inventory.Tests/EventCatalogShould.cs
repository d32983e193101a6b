using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Events;
using TicketAspire.Inventory.Holds;
using TicketAspire.Inventory.Infrastructure;
using TicketAspire.Inventory.Orders;
using TicketAspire.Inventory.Tests.Infrastructure;

namespace TicketAspire.Inventory.Tests;

[Collection(PostgresCollectionDefinition.Name)]
public sealed class EventCatalogShould(PostgresServer postgres) : IAsyncLifetime
{
    private InventoryHarness _inventory = null!;

    public async Task InitializeAsync() => _inventory = await InventoryHarness.CreateAsync(postgres, nameof(EventCatalogShould));

    public async Task DisposeAsync() => await _inventory.DisposeAsync();

    [Fact]
    public async Task CreateReservedEventFromSeatCountsAndExplicitSeats()
    {
        var cmd = new CreateEventCommand("Opera Gala", "theater", "Ensemble", "Arias", TestEvents.StartsAt,
            new VenueInput("Opera House", "Vienna", "AT", "Ring 1"), "reserved", "EUR",
            [new TicketClassInput("Standard", 5000, null), new TicketClassInput("VIP", 9000, null)],
            [new SectionInput("Stalls",
            [
                new RowInput("A", "VIP", 3, null),
                new RowInput("B", "Standard", null, [new SeatInput("1", null, null), new SeatInput("2", null, 4500), new SeatInput("3", "VIP", null)]),
            ])]);

        var created = await _inventory.CreateEventAsync(cmd);

        Assert.Equal(SeatingKind.Reserved, created.Seating);
        Assert.Equal(("Opera Gala", "theater", "EUR"), (created.Name, created.Type, created.Currency));
        Assert.Equal(("Opera House", "Vienna", "AT"), (created.Venue.Name, created.Venue.City, created.Venue.Country));
        Assert.Equal(TestEvents.StartsAt, created.StartsAt);
        Assert.Equal((6, 6), (created.TotalTicketCnt, created.AvailableTicketCnt));
        Assert.Collection(created.TicketClasses,
            vip => Assert.Equal(("VIP", new Money(9000, "EUR"), 4, 4), (vip.Name, vip.Price, vip.Capacity, vip.Available)),
            standard => Assert.Equal(("Standard", new Money(5000, "EUR"), 2, 2), (standard.Name, standard.Price, standard.Capacity, standard.Available)));
        var map = await _inventory.SeatMapAsync(created.Id);
        Assert.Equal(
            ["A/1 VIP 9000", "A/2 VIP 9000", "A/3 VIP 9000", "B/1 Standard 5000", "B/2 Standard 4500", "B/3 VIP 9000"],
            map.Seats.Select(s => $"{s.Row}/{s.Number} {s.ClassName} {s.Price.MinorUnits}"));
        Assert.All(map.Seats, s => Assert.Equal(("Stalls", SeatStatus.Available), (s.Section, s.Status)));
    }

    [Fact]
    public async Task CreateGeneralAdmissionEventWithQuantitiesPerClass()
    {
        var cmd = TestEvents.GeneralAdmission(100) with
        {
            TicketClasses = [new TicketClassInput("GA", 3000, 100), new TicketClassInput("Front", 6000, 20)],
        };

        var created = await _inventory.CreateEventAsync(cmd);

        Assert.Equal(SeatingKind.GeneralAdmission, created.Seating);
        Assert.Equal((120, 120), (created.TotalTicketCnt, created.AvailableTicketCnt));
        Assert.Equal(["Front:20", "GA:100"], created.TicketClasses.Select(c => $"{c.Name}:{c.Capacity}"));
        var map = await _inventory.SeatMapAsync(created.Id);
        Assert.Equal(SeatingKind.GeneralAdmission, map.Seating);
        Assert.Empty(map.Seats);
    }

    [Theory]
    [InlineData("name")]
    [InlineData("type")]
    [InlineData("starts_at")]
    [InlineData("venue")]
    [InlineData("venue.name")]
    [InlineData("venue.city")]
    [InlineData("currency")]
    [InlineData("seating")]
    [InlineData("ticket_classes")]
    [InlineData("ticket_classes[0].name")]
    [InlineData("ticket_classes[0].price_minor")]
    [InlineData("ticket_classes[0].quantity")]
    [InlineData("sections")]
    [InlineData("sections[0].rows[0]")]
    [InlineData("sections[0].rows[0].class")]
    [InlineData("sections[0].rows[0].seat_count")]
    [InlineData("sections[0].rows[0].seats[1]")]
    public async Task RejectInvalidFieldWithoutTouchingTheDatabase(string field)
    {
        // Nothing listens on port 1: any database access would throw instead of returning a validation error.
        await using var unreachable = NpgsqlDataSource.Create("Host=127.0.0.1;Port=1;Username=postgres;Timeout=1");
        var catalog = new EventCatalog(unreachable, InventoryCache.None(NullLogger.Instance), new FakeTimeProvider(DateTimeOffset.UtcNow));

        var result = await catalog.CreateAsync(Break(field), InventoryHarness.Currency, CancellationToken.None);

        var error = result.ShouldFailWith(ErrorCodes.Validation);
        Assert.Contains(field, error.FieldErrors!.Keys);
    }

    [Fact]
    public async Task ListEventsOfOneType()
    {
        await CreateThreeEventsAsync();

        var page = await ListAsync(Query() with { Type = "concert" });

        Assert.Equal(["Charlie", "Bravo"], page.Events.Select(e => e.Name));
        Assert.Equal(2, page.Total);
    }

    [Theory]
    [InlineData("paris", "Bravo")]        // city, case-insensitive
    [InlineData("Zurich Hall", "alpha")]  // venue name
    [InlineData("CH", "alpha")]           // country
    public async Task ListEventsByLocation(string location, string expected)
    {
        await CreateThreeEventsAsync();

        var page = await ListAsync(Query() with { Location = location });

        Assert.Equal([expected], page.Events.Select(e => e.Name));
    }

    [Fact]
    public async Task TreatLocationWildcardsLiterally()
    {
        await CreateThreeEventsAsync();

        var page = await ListAsync(Query() with { Location = "%" });

        Assert.Empty(page.Events);
        Assert.Equal(0, page.Total);
    }

    [Theory]
    [InlineData(2, null, "Bravo,alpha")]
    [InlineData(null, 2, "Charlie,Bravo")]
    [InlineData(2, 2, "Bravo")]
    public async Task ListEventsBetweenDates(int? fromDays, int? toDays, string expected)
    {
        await CreateThreeEventsAsync();

        var page = await ListAsync(Query() with
        {
            DateFrom = fromDays is { } f ? TestEvents.StartsAt.AddDays(f).ToOffset(TimeSpan.FromHours(-5)) : null,
            DateTo = toDays is { } t ? TestEvents.StartsAt.AddDays(t) : null,
        });

        Assert.Equal(expected.Split(','), page.Events.Select(e => e.Name));
    }

    [Theory]
    [InlineData("date", false, "Charlie,Bravo,alpha")]
    [InlineData("date", true, "alpha,Bravo,Charlie")]
    [InlineData("name", false, "alpha,Bravo,Charlie")]
    [InlineData("name", true, "Charlie,Bravo,alpha")]
    [InlineData("location", false, "Charlie,Bravo,alpha")]
    [InlineData("location", true, "alpha,Bravo,Charlie")]
    public async Task SortEvents(string sortBy, bool descending, string expected)
    {
        await CreateThreeEventsAsync();

        var page = await ListAsync(Query() with { SortBy = sortBy, Descending = descending });

        Assert.Equal(expected.Split(','), page.Events.Select(e => e.Name));
    }

    [Theory]
    [InlineData(1, "Charlie,Bravo")]
    [InlineData(2, "alpha")]
    [InlineData(3, "")]
    public async Task PageEventsWithTheTotalOfAllPages(int pageNumber, string expected)
    {
        await CreateThreeEventsAsync();

        var page = await ListAsync(Query() with { Page = pageNumber, Size = 2 });

        Assert.Equal(expected.Split(',', StringSplitOptions.RemoveEmptyEntries), page.Events.Select(e => e.Name));
        Assert.Equal((pageNumber, 2, 3L), (page.Page, page.Size, page.Total));
    }

    [Fact]
    public async Task ListEventsWithLiveTicketCounts()
    {
        var created = await _inventory.CreateEventAsync(TestEvents.Reserved(10));
        var seats = (await _inventory.SeatMapAsync(created.Id)).Seats;
        (await _inventory.HoldSeatsAsync(created.Id, [seats[0].Id, seats[1].Id])).ShouldSucceed();

        var listed = Assert.Single((await ListAsync(Query())).Events);

        Assert.Equal((10, 8), (listed.TotalTicketCnt, listed.AvailableTicketCnt));
    }

    [Fact]
    public async Task ShowClassesWithLiveAvailableHeldAndSoldCounts()
    {
        var cmd = TestEvents.Reserved(6) with
        {
            TicketClasses = [new TicketClassInput("Standard", 5000, null), new TicketClassInput("VIP", 9000, null)],
            Sections = [new SectionInput("Floor", [new RowInput("A", "VIP", 4, null), new RowInput("B", "Standard", 6, null)])],
        };
        var created = await _inventory.CreateEventAsync(cmd);
        var seats = (await _inventory.SeatMapAsync(created.Id)).Seats;
        var vip = seats.Where(s => s.ClassName == "VIP").ToList();
        var standard = seats.Where(s => s.ClassName == "Standard").ToList();
        (await _inventory.HoldSeatsAsync(created.Id, [standard[0].Id, standard[1].Id])).ShouldSucceed();
        var sold = (await _inventory.HoldSeatsAsync(created.Id, [vip[0].Id])).ShouldSucceed();
        (await _inventory.ConfirmAsync(sold.Id)).ShouldSucceed();

        var detail = (await _inventory.Catalog.GetAsync(created.Id, CancellationToken.None)).ShouldSucceed();

        Assert.Equal(
            ["VIP capacity 4 available 3 held 0 sold 1", "Standard capacity 6 available 4 held 2 sold 0"],
            detail.TicketClasses.Select(c => $"{c.Name} capacity {c.Capacity} available {c.Available} held {c.Held} sold {c.Sold}"));
        Assert.Equal((10, 7), (detail.TotalTicketCnt, detail.AvailableTicketCnt));
    }

    [Fact]
    public async Task ReportUnknownEvent()
    {
        var id = Guid.CreateVersion7();

        (await _inventory.Catalog.GetAsync(id, CancellationToken.None)).ShouldFailWith(ErrorCodes.EventNotFound);
        (await _inventory.Catalog.GetSeatMapAsync(id, CancellationToken.None)).ShouldFailWith(ErrorCodes.EventNotFound);
    }

    [Fact]
    public async Task ShowSeatsAsAvailableHeldOrSold()
    {
        var created = await _inventory.CreateEventAsync(TestEvents.Reserved(5));
        var seats = (await _inventory.SeatMapAsync(created.Id)).Seats;
        (await _inventory.HoldSeatsAsync(created.Id, [seats[0].Id])).ShouldSucceed();
        var sold = (await _inventory.HoldSeatsAsync(created.Id, [seats[1].Id])).ShouldSucceed();
        (await _inventory.ConfirmAsync(sold.Id)).ShouldSucceed();

        var map = await _inventory.SeatMapAsync(created.Id);

        Assert.Equal(
            [SeatStatus.Held, SeatStatus.Sold, SeatStatus.Available, SeatStatus.Available, SeatStatus.Available],
            map.Seats.Select(s => s.Status));
        Assert.Equal((3, 1, 1), (map.Available, map.Held, map.Sold));
    }

    [Fact]
    public async Task ShowHeldSeatAsAvailableOnceItsHoldExpired()
    {
        var created = await _inventory.CreateEventAsync(TestEvents.Reserved(3));
        var seats = (await _inventory.SeatMapAsync(created.Id)).Seats;
        (await _inventory.HoldSeatsAsync(created.Id, [seats[0].Id], expireInSeconds: 60)).ShouldSucceed();

        _inventory.Time.Advance(TimeSpan.FromSeconds(59));
        var before = await _inventory.SeatMapAsync(created.Id);
        _inventory.Time.Advance(TimeSpan.FromSeconds(1));
        var after = await _inventory.SeatMapAsync(created.Id);

        Assert.Equal(SeatStatus.Held, before.Seats[0].Status);
        Assert.Equal(SeatStatus.Available, after.Seats[0].Status);
        Assert.Equal((3, 0, 0), (after.Available, after.Held, after.Sold));
        var detail = (await _inventory.Catalog.GetAsync(created.Id, CancellationToken.None)).ShouldSucceed();
        Assert.Equal((3, 0), (detail.TicketClasses[0].Available, detail.TicketClasses[0].Held));
    }

    private async Task CreateThreeEventsAsync()
    {
        // Dates, names and cities each sort differently; "alpha" is lower-case to prove name sorting ignores case.
        await _inventory.CreateEventAsync(TestEvents.Reserved(2, "Bravo", "concert", "Paris", TestEvents.StartsAt.AddDays(2)));
        await _inventory.CreateEventAsync(TestEvents.GeneralAdmission(5, "alpha", "sports", "Zurich", TestEvents.StartsAt.AddDays(3)) with
        {
            Venue = new VenueInput("Zurich Hall", "Zurich", "CH", null),
        });
        await _inventory.CreateEventAsync(TestEvents.Reserved(2, "Charlie", "concert", "Berlin", TestEvents.StartsAt.AddDays(1)));
    }

    private Task<EventPage> ListAsync(EventQuery query) => _inventory.Catalog.ListAsync(query, CancellationToken.None);

    private static EventQuery Query() => new(null, null, null, null, "date", false, 1, 20);

    /// <summary>A valid command with exactly the field <paramref name="field"/> made invalid.</summary>
    private static CreateEventCommand Break(string field)
    {
        var reserved = TestEvents.Reserved(5);
        var ga = TestEvents.GeneralAdmission(5);
        var row = reserved.Sections![0].Rows![0];
        CreateEventCommand WithRow(RowInput r) => reserved with { Sections = [new SectionInput("Floor", [r])] };
        return field switch
        {
            "name" => reserved with { Name = "  " },
            "type" => reserved with { Type = "rodeo" },
            "starts_at" => reserved with { StartsAt = null },
            "venue" => reserved with { Venue = null },
            "venue.name" => reserved with { Venue = reserved.Venue! with { Name = "" } },
            "venue.city" => reserved with { Venue = reserved.Venue! with { City = null } },
            "currency" => reserved with { Currency = "USD" },
            "seating" => reserved with { Seating = "standing" },
            "ticket_classes" => reserved with { TicketClasses = [] },
            "ticket_classes[0].name" => reserved with { TicketClasses = [new TicketClassInput(null, 5000, null)] },
            "ticket_classes[0].price_minor" => reserved with { TicketClasses = [new TicketClassInput("Standard", -1, null)] },
            "ticket_classes[0].quantity" => ga with { TicketClasses = [new TicketClassInput("GA", 3000, null)] },
            "sections" => reserved with { Sections = null },
            "sections[0].rows[0]" => WithRow(row with { SeatCount = 3, Seats = [new SeatInput("1", null, null)] }),
            "sections[0].rows[0].class" => WithRow(row with { Class = "Balcony" }),
            "sections[0].rows[0].seat_count" => WithRow(row with { SeatCount = 0 }),
            "sections[0].rows[0].seats[1]" => WithRow(row with { SeatCount = null, Seats = [new SeatInput("7", null, null), new SeatInput("7", null, null)] }),
            _ => throw new ArgumentOutOfRangeException(nameof(field), field, "No way to break this field."),
        };
    }
}
