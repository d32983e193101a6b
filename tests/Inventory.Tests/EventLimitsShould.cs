using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Events;
using TicketAspire.Inventory.Holds;
using TicketAspire.Inventory.Infrastructure;
using TicketAspire.Inventory.Orders;
using TicketAspire.Inventory.Tests.Infrastructure;
using Xunit.Abstractions;

namespace TicketAspire.Inventory.Tests;

/// <summary>
/// An event's size and prices are bounded on the command, before a seat is built: an over-cap body costs next to no
/// memory, a maximal one a bounded amount (measured as bytes allocated, printed to the test output).
/// </summary>
[Collection(PostgresCollectionDefinition.Name)]
public sealed class EventLimitsShould(PostgresServer postgres, ITestOutputHelper output) : IAsyncLifetime
{
    private InventoryHarness _inventory = null!;

    public async Task InitializeAsync() => _inventory = await InventoryHarness.CreateAsync(postgres, nameof(EventLimitsShould));

    public async Task DisposeAsync() => await _inventory.DisposeAsync();

    [Fact]
    public async Task RefuseAnOverCapEventBeforeBuildingItsSeats()
    {
        // 1,000 rows of 1,000 seats: five times the 200,000 seats an event may have, in a body of ~45 KB
        var cmd = Rows(1_000, 1_000);
        var catalog = Unreachable();

        var before = GC.GetAllocatedBytesForCurrentThread();
        var result = await catalog.CreateAsync(cmd, InventoryHarness.Currency, CancellationToken.None);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        output.WriteLine($"over-cap event (1,000,000 seats): {allocated:N0} bytes allocated to refuse it");
        Assert.Contains("sections", result.ShouldFailWith(ErrorCodes.Validation).FieldErrors!.Keys);
        Assert.True(allocated < 1_000_000, $"refusing an over-cap event allocated {allocated:N0} bytes");
    }

    [Fact]
    public async Task CreateAMaximalEventWithinBoundedMemory()
    {
        var cmd = Rows(200, 1_000);

        var before = GC.GetTotalAllocatedBytes(precise: true);
        var created = await _inventory.CreateEventAsync(cmd);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        output.WriteLine($"maximal event (200,000 seats): {allocated:N0} bytes allocated to create it");
        Assert.Equal(200_000, created.TotalTicketCnt);
        Assert.True(allocated < 400_000_000, $"creating a maximal event allocated {allocated:N0} bytes");
    }

    [Theory]
    [InlineData(100_000_000L)]
    [InlineData(4_611_686_018_427_387_904L)]
    [InlineData(long.MaxValue)]
    public async Task RefusePricesAboveWhatOnePaymentMayBe(long price)
    {
        var catalog = Unreachable();
        var reserved = TestEvents.Reserved(2);
        var perClass = reserved with { TicketClasses = [new TicketClassInput("Standard", price, null)] };
        var perSeat = reserved with
        {
            Sections = [new SectionInput("Floor", [new RowInput("A", "Standard", null, [new SeatInput("1", null, price)])])],
        };

        var byClass = await catalog.CreateAsync(perClass, InventoryHarness.Currency, CancellationToken.None);
        var bySeat = await catalog.CreateAsync(perSeat, InventoryHarness.Currency, CancellationToken.None);

        Assert.Contains("ticket_classes[0].price_minor", byClass.ShouldFailWith(ErrorCodes.Validation).FieldErrors!.Keys);
        Assert.Contains("sections[0].rows[0].seats[0].price_minor", bySeat.ShouldFailWith(ErrorCodes.Validation).FieldErrors!.Keys);
    }

    [Fact]
    public async Task AcceptTheHighestPrice()
    {
        var reserved = TestEvents.Reserved(1) with { TicketClasses = [new TicketClassInput("Standard", 99_999_999, null)] };

        var created = await _inventory.CreateEventAsync(reserved);

        Assert.Equal(99_999_999, created.TicketClasses[0].Price.MinorUnits);
    }

    [Theory]
    [InlineData("description")]
    [InlineData("performer")]
    [InlineData("venue.address")]
    [InlineData("venue.country")]
    [InlineData("sections[0].name")]
    [InlineData("sections[0].rows[0].label")]
    [InlineData("ticket_classes")]
    [InlineData("sections")]
    [InlineData("sections[0].rows")]
    public async Task RefuseTooLongTextsAndTooManyParts(string field)
    {
        var reserved = TestEvents.Reserved(1);
        var longText = new string('x', 5_000);
        var cmd = field switch
        {
            "description" => reserved with { Description = longText },
            "performer" => reserved with { Performer = longText },
            "venue.address" => reserved with { Venue = reserved.Venue! with { Address = longText } },
            "venue.country" => reserved with { Venue = reserved.Venue! with { Country = longText } },
            "sections[0].name" => reserved with { Sections = [new SectionInput(longText, [new RowInput("A", "Standard", 1, null)])] },
            "sections[0].rows[0].label" => reserved with { Sections = [new SectionInput("Floor", [new RowInput(longText, "Standard", 1, null)])] },
            "ticket_classes" => reserved with { TicketClasses = [.. Enumerable.Range(0, 101).Select(i => new TicketClassInput($"C{i}", 100, null))] },
            "sections" => reserved with { Sections = [.. Enumerable.Range(0, 1_001).Select(i => new SectionInput($"S{i}", [new RowInput("A", "Standard", 1, null)]))] },
            _ => reserved with { Sections = [new SectionInput("Floor", [.. Enumerable.Range(0, 1_001).Select(i => new RowInput($"R{i}", "Standard", 1, null))])] },
        };

        var result = await Unreachable().CreateAsync(cmd, InventoryHarness.Currency, CancellationToken.None);

        Assert.Contains(field, result.ShouldFailWith(ErrorCodes.Validation).FieldErrors!.Keys);
    }

    [Fact]
    public async Task ReportAtMostFiftyErrors()
    {
        var seats = Enumerable.Range(0, 1_000).Select(_ => new SeatInput("7", null, null)).ToList();
        var cmd = TestEvents.Reserved(1) with { Sections = [new SectionInput("Floor", [new RowInput("A", "Standard", null, seats)])] };

        var result = await Unreachable().CreateAsync(cmd, InventoryHarness.Currency, CancellationToken.None);

        Assert.Equal(50, result.ShouldFailWith(ErrorCodes.Validation).FieldErrors!.Values.Sum(v => v.Length));
    }

    /// <summary>One section of <paramref name="rows"/> rows of <paramref name="seats"/> seats.</summary>
    private static CreateEventCommand Rows(int rows, int seats) => TestEvents.Reserved(1) with
    {
        Sections = [new SectionInput("Floor", [.. Enumerable.Range(1, rows).Select(r => new RowInput($"R{r}", "Standard", seats, null))])],
    };

    /// <summary>Nothing listens on port 1: any database access would throw instead of returning a validation error.</summary>
    private static readonly NpgsqlDataSource Nowhere = NpgsqlDataSource.Create("Host=127.0.0.1;Port=1;Username=postgres;Timeout=1");

    /// <summary>A catalog without a database: validation must answer without one.</summary>
    private static EventCatalog Unreachable() => new(Nowhere, InventoryCache.None(NullLogger.Instance), new FakeTimeProvider(DateTimeOffset.UtcNow));
}
