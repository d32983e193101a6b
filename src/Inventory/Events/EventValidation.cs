using System.Globalization;
using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Holds;
using TicketAspire.Inventory.Infrastructure;
using TicketAspire.Inventory.Orders;

namespace TicketAspire.Inventory.Events;

/// <summary>
/// Validates a <see cref="CreateEventCommand"/> and expands it into the rows to insert. Every bound of
/// <see cref="EventLimits"/> is checked on the command first: a body asking for more seats than an event may have is
/// refused before a single seat is built.
/// </summary>
internal static class EventValidation
{
    public const int MaxUnitsPerEvent = EventLimits.MaxUnitsPerEvent;

    /// <summary>"1" … "1000": seat numbers of <c>seat_count</c> rows, allocated once.</summary>
    private static readonly string[] Numbers = [.. Enumerable.Range(1, EventLimits.MaxSeatsPerRow).Select(n => n.ToString(CultureInfo.InvariantCulture))];

    /// <summary>What is wrong with an event's dynamic pricing, or null.</summary>
    public static string? PricingError(DynamicPricingInput? pricing) =>
        pricing?.MaxPercent is < 100 or > 1000 ? "100 to 1000 (percent of face value; 100: never above face value)." : null;

    public static Result<EventPlan> Plan(CreateEventCommand cmd, string cellCurrency)
    {
        var errors = new FieldErrors();
        var add = errors.Add;

        Text(cmd.Name, "name", EventLimits.MaxNameLength, required: true, add);
        if (!EventTypes.IsKnown(cmd.Type)) { add("type", $"Must be one of: {string.Join(", ", EventTypes.All.Select(t => t.Type))}."); }
        Text(cmd.Performer, "performer", EventLimits.MaxNameLength, required: false, add);
        Text(cmd.Description, "description", EventLimits.MaxDescriptionLength, required: false, add);
        if (cmd.StartsAt is null) { add("starts_at", "Required (ISO 8601 with offset)."); }
        if (cmd.RefundCutoffHours is < 0 or > 8760) { add("refund_cutoff_hours", "0 to 8760 hours before the start."); }
        if (PricingError(cmd.DynamicPricing) is { } pricing) { add("dynamic_pricing.max_percent", pricing); }
        if (cmd.Venue is null) { add("venue", "Required."); }
        else
        {
            Text(cmd.Venue.Name, "venue.name", EventLimits.MaxNameLength, required: true, add);
            Text(cmd.Venue.City, "venue.city", EventLimits.MaxShortTextLength, required: true, add);
            Text(cmd.Venue.Country, "venue.country", EventLimits.MaxShortTextLength, required: false, add);
            Text(cmd.Venue.Address, "venue.address", EventLimits.MaxAddressLength, required: false, add);
        }

        if (cmd.Currency is not null && !string.Equals(cmd.Currency, cellCurrency, StringComparison.Ordinal))
        {
            add("currency", $"This cell sells in {cellCurrency}.");
        }

        SeatingKind? seating = cmd.Seating switch
        {
            "reserved" => SeatingKind.Reserved,
            "general_admission" => SeatingKind.GeneralAdmission,
            _ => null,
        };
        if (seating is null) { add("seating", "Must be 'reserved' or 'general_admission'."); }

        var classes = new List<PlannedClass>();
        if (cmd.TicketClasses is null || cmd.TicketClasses.Count == 0) { add("ticket_classes", "At least one class is required."); }
        else if (cmd.TicketClasses.Count > EventLimits.MaxClasses) { add("ticket_classes", $"At most {EventLimits.MaxClasses} classes."); }
        else
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < cmd.TicketClasses.Count && !errors.Full; i++)
            {
                var c = cmd.TicketClasses[i];
                var at = $"ticket_classes[{i}]";
                if (Text(c.Name, $"{at}.name", EventLimits.MaxShortTextLength, required: true, add) && !names.Add(c.Name!)) { add($"{at}.name", "Class names must be unique."); }
                if (c.PriceMinor is null or < 0 or > EventLimits.MaxPriceMinor) { add($"{at}.price_minor", $"Required, 0 to {EventLimits.MaxPriceMinor} (minor units)."); }
                if (seating == SeatingKind.GeneralAdmission && c.Quantity is null or < 1 or > MaxUnitsPerEvent)
                {
                    add($"{at}.quantity", $"Required for general admission, 1..{MaxUnitsPerEvent}.");
                }

                if (seating == SeatingKind.Reserved && c.Quantity is not null) { add($"{at}.quantity", "Reserved seating counts seats, not quantities."); }
                classes.Add(new PlannedClass(Guid.CreateVersion7(), c.Name ?? "", c.PriceMinor ?? 0, seating == SeatingKind.GeneralAdmission ? c.Quantity ?? 0 : 0));
            }
        }

        var units = new List<PlannedSeat>();
        if (seating == SeatingKind.Reserved)
        {
            if (SeatingShape.Check(cmd.Sections, errors) && !errors.Full)
            {
                PlanSeats(cmd.Sections!, classes, units, errors);
            }
        }
        else if (seating == SeatingKind.GeneralAdmission)
        {
            if (cmd.Sections is { Count: > 0 }) { add("sections", "General admission has no sections."); }
            var total = classes.Sum(c => (long)c.Capacity);
            if (total > MaxUnitsPerEvent) { add("ticket_classes", $"At most {MaxUnitsPerEvent} tickets per event."); }
            else if (errors.Count == 0)
            {
                foreach (var c in classes)
                {
                    for (var n = 0; n < c.Capacity; n++)
                    {
                        units.Add(new PlannedSeat(c.Id, null, null, null, c.PriceMinor));
                    }
                }
            }
        }

        if (errors.Count > 0)
        {
            return InventoryError.Validation(errors.ToDictionary());
        }

        var capacities = units.GroupBy(u => u.ClassId).ToDictionary(g => g.Key, g => g.Count());
        classes = [.. classes.Select(c => c with { Capacity = capacities.GetValueOrDefault(c.Id) })];
        return new EventPlan(seating!.Value, classes, units);
    }

    private static void PlanSeats(IReadOnlyList<SectionInput> sections, List<PlannedClass> classes, List<PlannedSeat> units, FieldErrors errors)
    {
        var add = errors.Add;
        var byName = classes.GroupBy(c => c.Name).ToDictionary(g => g.Key, g => g.First());
        var labels = new HashSet<(string, string, string)>();
        for (var s = 0; s < sections.Count && !errors.Full; s++)
        {
            var section = sections[s];
            var sAt = $"sections[{s}]";
            Text(section.Name, $"{sAt}.name", EventLimits.MaxShortTextLength, required: true, add);
            if (section.Rows is null || section.Rows.Count == 0) { add($"{sAt}.rows", "At least one row."); continue; }
            for (var r = 0; r < section.Rows.Count && !errors.Full; r++)
            {
                var row = section.Rows[r];
                var rAt = $"{sAt}.rows[{r}]";
                Text(row.Label, $"{rAt}.label", EventLimits.MaxLabelLength, required: true, add);
                PlannedClass? rowClass = null;
                if (row.Class is not null && !byName.TryGetValue(row.Class, out rowClass)) { add($"{rAt}.class", "Unknown class."); }
                if ((row.SeatCount is null) == (row.Seats is null)) { add(rAt, "Give either seat_count or seats."); continue; }
                var rowStart = units.Count;
                if (row.SeatCount is { } count)
                {
                    if (count is < 1 or > EventLimits.MaxSeatsPerRow) { add($"{rAt}.seat_count", $"1..{EventLimits.MaxSeatsPerRow}."); continue; }
                    if (rowClass is null) { add($"{rAt}.class", "Required with seat_count."); continue; }
                    for (var n = 1; n <= count && !errors.Full; n++)
                    {
                        AddSeat(Numbers[n - 1], rowClass, null, $"{rAt}.seat_count");
                    }
                }
                else
                {
                    for (var i = 0; i < row.Seats!.Count && !errors.Full; i++)
                    {
                        var seat = row.Seats[i];
                        var seatAt = $"{rAt}.seats[{i}]";
                        PlannedClass? seatClass = rowClass;
                        if (seat.Class is not null && !byName.TryGetValue(seat.Class, out seatClass)) { add($"{seatAt}.class", "Unknown class."); continue; }
                        if (seatClass is null) { add($"{seatAt}.class", "Required (on the seat or its row)."); continue; }
                        if (!Text(seat.Number, $"{seatAt}.number", EventLimits.MaxLabelLength, required: true, add)) { continue; }
                        if (seat.PriceMinor is < 0 or > EventLimits.MaxPriceMinor) { add($"{seatAt}.price_minor", $"0 to {EventLimits.MaxPriceMinor}."); continue; }
                        AddSeat(seat.Number!, seatClass, seat.PriceMinor, seatAt);
                    }
                }

                AccessibleSeats.Apply(row, rAt, units, rowStart, errors);

                void AddSeat(string number, PlannedClass cls, long? price, string at)
                {
                    if (!labels.Add((section.Name ?? "", row.Label ?? "", number)))
                    {
                        add(at, $"Seat {section.Name}/{row.Label}/{number} is listed twice.");
                        return;
                    }

                    units.Add(new PlannedSeat(cls.Id, section.Name, row.Label, number, price ?? cls.PriceMinor));
                }
            }
        }
    }

    /// <summary>Checks one text field; true when it is present and within bounds.</summary>
    internal static bool Text(string? value, string field, int max, bool required, Action<string, string> add)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required) { add(field, $"Required, at most {max} characters."); }
            return false;
        }

        if (value.Length > max) { add(field, $"At most {max} characters."); return false; }
        return true;
    }
}

internal sealed record PlannedClass(Guid Id, string Name, long PriceMinor, int Capacity);

// Accessibility: 0 none, 1 wheelchair, 2 companion (seats.accessibility); CompanionOf: for a companion seat, the index in
// the plan's units of its wheelchair seat.
internal sealed record PlannedSeat(Guid ClassId, string? Section, string? Row, string? Number, long PriceMinor, short Accessibility = 0, int? CompanionOf = null);

internal sealed record EventPlan(SeatingKind Seating, IReadOnlyList<PlannedClass> Classes, IReadOnlyList<PlannedSeat> Units);
