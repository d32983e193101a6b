using TicketAspire.Inventory.Model;

namespace TicketAspire.Inventory.Services;

/// <summary>Validates a <see cref="CreateEventCommand"/> and expands it into the rows to insert.</summary>
internal static class EventValidation
{
    public const int MaxUnitsPerEvent = 200_000;

    public static Result<EventPlan> Plan(CreateEventCommand cmd, string cellCurrency)
    {
        var errors = new Dictionary<string, List<string>>();
        void Add(string field, string message)
        {
            if (!errors.TryGetValue(field, out var list))
            {
                errors[field] = list = [];
            }

            list.Add(message);
        }

        if (string.IsNullOrWhiteSpace(cmd.Name) || cmd.Name.Length > 200) { Add("name", "Required, at most 200 characters."); }
        if (!EventTypes.IsKnown(cmd.Type)) { Add("type", $"Must be one of: {string.Join(", ", EventTypes.All.Select(t => t.Type))}."); }
        if (cmd.StartsAt is null) { Add("starts_at", "Required (ISO 8601 with offset)."); }
        if (cmd.RefundCutoffHours is < 0 or > 8760) { Add("refund_cutoff_hours", "0 to 8760 hours before the start."); }
        if (cmd.Venue is null) { Add("venue", "Required."); }
        else
        {
            if (string.IsNullOrWhiteSpace(cmd.Venue.Name)) { Add("venue.name", "Required."); }
            if (string.IsNullOrWhiteSpace(cmd.Venue.City)) { Add("venue.city", "Required."); }
        }

        if (cmd.Currency is not null && !string.Equals(cmd.Currency, cellCurrency, StringComparison.Ordinal))
        {
            Add("currency", $"This cell sells in {cellCurrency}.");
        }

        SeatingKind? seating = cmd.Seating switch
        {
            "reserved" => SeatingKind.Reserved,
            "general_admission" => SeatingKind.GeneralAdmission,
            _ => null,
        };
        if (seating is null) { Add("seating", "Must be 'reserved' or 'general_admission'."); }

        var classes = new List<PlannedClass>();
        if (cmd.TicketClasses is null || cmd.TicketClasses.Count == 0) { Add("ticket_classes", "At least one class is required."); }
        else
        {
            for (var i = 0; i < cmd.TicketClasses.Count; i++)
            {
                var c = cmd.TicketClasses[i];
                var at = $"ticket_classes[{i}]";
                if (string.IsNullOrWhiteSpace(c.Name)) { Add($"{at}.name", "Required."); }
                else if (classes.Any(x => x.Name == c.Name)) { Add($"{at}.name", "Class names must be unique."); }
                if (c.PriceMinor is null or < 0) { Add($"{at}.price_minor", "Required, zero or more (minor units)."); }
                if (seating == SeatingKind.GeneralAdmission && c.Quantity is null or < 1 or > MaxUnitsPerEvent)
                {
                    Add($"{at}.quantity", $"Required for general admission, 1..{MaxUnitsPerEvent}.");
                }

                if (seating == SeatingKind.Reserved && c.Quantity is not null) { Add($"{at}.quantity", "Reserved seating counts seats, not quantities."); }
                classes.Add(new PlannedClass(Guid.CreateVersion7(), c.Name ?? "", c.PriceMinor ?? 0, seating == SeatingKind.GeneralAdmission ? c.Quantity ?? 0 : 0));
            }
        }

        var units = new List<PlannedSeat>();
        if (seating == SeatingKind.Reserved)
        {
            PlanSeats(cmd.Sections, classes, units, Add);
        }
        else if (seating == SeatingKind.GeneralAdmission)
        {
            if (cmd.Sections is { Count: > 0 }) { Add("sections", "General admission has no sections."); }
            var total = classes.Sum(c => (long)c.Capacity);
            if (total > MaxUnitsPerEvent) { Add("ticket_classes", $"At most {MaxUnitsPerEvent} tickets per event."); }
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
            return InventoryError.Validation(errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
        }

        var capacities = units.GroupBy(u => u.ClassId).ToDictionary(g => g.Key, g => g.Count());
        classes = [.. classes.Select(c => c with { Capacity = capacities.GetValueOrDefault(c.Id) })];
        return new EventPlan(seating!.Value, classes, units);
    }

    private static void PlanSeats(IReadOnlyList<SectionInput>? sections, List<PlannedClass> classes, List<PlannedSeat> units, Action<string, string> add)
    {
        if (sections is null || sections.Count == 0)
        {
            add("sections", "Reserved seating needs at least one section with rows.");
            return;
        }

        var byName = classes.GroupBy(c => c.Name).ToDictionary(g => g.Key, g => g.First());
        var labels = new HashSet<(string, string, string)>();
        for (var s = 0; s < sections.Count; s++)
        {
            var section = sections[s];
            var sAt = $"sections[{s}]";
            if (string.IsNullOrWhiteSpace(section.Name)) { add($"{sAt}.name", "Required."); }
            if (section.Rows is null || section.Rows.Count == 0) { add($"{sAt}.rows", "At least one row."); continue; }
            for (var r = 0; r < section.Rows.Count; r++)
            {
                var row = section.Rows[r];
                var rAt = $"{sAt}.rows[{r}]";
                if (string.IsNullOrWhiteSpace(row.Label)) { add($"{rAt}.label", "Required."); }
                PlannedClass? rowClass = null;
                if (row.Class is not null && !byName.TryGetValue(row.Class, out rowClass)) { add($"{rAt}.class", $"Unknown class '{row.Class}'."); }
                if ((row.SeatCount is null) == (row.Seats is null)) { add(rAt, "Give either seat_count or seats."); continue; }
                if (row.SeatCount is { } count)
                {
                    if (count is < 1 or > 1000) { add($"{rAt}.seat_count", "1..1000."); continue; }
                    if (rowClass is null) { add($"{rAt}.class", "Required with seat_count."); continue; }
                    for (var n = 1; n <= count; n++)
                    {
                        AddSeat(n.ToString(System.Globalization.CultureInfo.InvariantCulture), rowClass, null, $"{rAt}.seat_count");
                    }
                }
                else
                {
                    for (var i = 0; i < row.Seats!.Count; i++)
                    {
                        var seat = row.Seats[i];
                        var seatAt = $"{rAt}.seats[{i}]";
                        PlannedClass? seatClass = rowClass;
                        if (seat.Class is not null && !byName.TryGetValue(seat.Class, out seatClass)) { add($"{seatAt}.class", $"Unknown class '{seat.Class}'."); continue; }
                        if (seatClass is null) { add($"{seatAt}.class", "Required (on the seat or its row)."); continue; }
                        if (string.IsNullOrWhiteSpace(seat.Number)) { add($"{seatAt}.number", "Required."); continue; }
                        if (seat.PriceMinor is < 0) { add($"{seatAt}.price_minor", "Zero or more."); continue; }
                        AddSeat(seat.Number, seatClass, seat.PriceMinor, seatAt);
                    }
                }

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

        if (units.Count > MaxUnitsPerEvent) { add("sections", $"At most {MaxUnitsPerEvent} seats per event."); }
    }
}

internal sealed record PlannedClass(Guid Id, string Name, long PriceMinor, int Capacity);

internal sealed record PlannedSeat(Guid ClassId, string? Section, string? Row, string? Number, long PriceMinor);

internal sealed record EventPlan(SeatingKind Seating, IReadOnlyList<PlannedClass> Classes, IReadOnlyList<PlannedSeat> Units);
