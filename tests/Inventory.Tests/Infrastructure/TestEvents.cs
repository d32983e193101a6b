using TicketAspire.Inventory.Model;

namespace TicketAspire.Inventory.Tests.Infrastructure;

/// <summary>Valid event commands to start from.</summary>
public static class TestEvents
{
    /// <summary>A date far enough ahead that no test cares.</summary>
    public static readonly DateTimeOffset StartsAt = new(2030, 6, 1, 19, 30, 0, TimeSpan.FromHours(2));

    /// <summary>A reserved event: one section, one row "A" of <paramref name="seats"/> seats of class "Standard" at 50.00.</summary>
    public static CreateEventCommand Reserved(
        int seats, string name = "Quartet Night", string type = "concert", string city = "Berlin", DateTimeOffset? startsAt = null) =>
        new(name, type, "The Quartet", "An evening of strings", startsAt ?? StartsAt,
            new VenueInput($"{city} Hall", city, "DE", "Main street 1"), "reserved", InventoryHarness.Currency,
            [new TicketClassInput("Standard", 5000, null)],
            [new SectionInput("Floor", [new RowInput("A", "Standard", seats, null)])]);

    /// <summary>A general-admission event with one class "GA" of <paramref name="quantity"/> tickets at 30.00.</summary>
    public static CreateEventCommand GeneralAdmission(
        int quantity, string name = "Open Air", string type = "festival", string city = "Lyon", DateTimeOffset? startsAt = null) =>
        new(name, type, "Various", null, startsAt ?? StartsAt,
            new VenueInput($"{city} Park", city, "FR", null), "general_admission", InventoryHarness.Currency,
            [new TicketClassInput("GA", 3000, quantity)], null);
}
