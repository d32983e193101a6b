namespace TicketAspire.Inventory.Events;

/// <summary>
/// The accessible seats of one row: <c>wheelchair_seats</c> and the <c>companions</c> paired to each of them. Every
/// number must be a seat of the row; a companion belongs to exactly one wheelchair seat and is not itself one.
/// </summary>
internal static class AccessibleSeats
{
    /// <summary>seats.accessibility of a wheelchair space.</summary>
    public const short Wheelchair = 1;

    /// <summary>seats.accessibility of a companion seat.</summary>
    public const short Companion = 2;

    /// <summary>Marks the row's planned seats (units from <paramref name="rowStart"/> on), or adds the errors.</summary>
    public static void Apply(Model.RowInput row, string at, List<PlannedSeat> units, int rowStart, FieldErrors errors)
    {
        if (row.WheelchairSeats is null && row.Companions is null)
        {
            return;
        }

        var byNumber = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = rowStart; i < units.Count; i++)
        {
            byNumber[units[i].Number!] = i;
        }

        var wheelchairs = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var number in row.WheelchairSeats ?? [])
        {
            if (number is null || !byNumber.TryGetValue(number, out var index)) { errors.Add($"{at}.wheelchair_seats", $"Seat '{number}' is not a seat of this row."); return; }
            if (!wheelchairs.TryAdd(number, index)) { errors.Add($"{at}.wheelchair_seats", $"Seat '{number}' is listed twice."); return; }
        }

        var companions = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (wheelchair, seats) in row.Companions ?? new Dictionary<string, IReadOnlyList<string>>())
        {
            if (!wheelchairs.TryGetValue(wheelchair, out var owner)) { errors.Add($"{at}.companions", $"'{wheelchair}' is not one of the row's wheelchair_seats."); return; }
            foreach (var number in seats ?? [])
            {
                if (number is null || !byNumber.TryGetValue(number, out var index)) { errors.Add($"{at}.companions", $"Seat '{number}' is not a seat of this row."); return; }
                if (wheelchairs.ContainsKey(number)) { errors.Add($"{at}.companions", $"Seat '{number}' is a wheelchair seat, it cannot be a companion."); return; }
                if (!companions.Add(number)) { errors.Add($"{at}.companions", $"Seat '{number}' is a companion of more than one wheelchair seat."); return; }
                units[index] = units[index] with { Accessibility = Companion, CompanionOf = owner };
            }
        }

        foreach (var index in wheelchairs.Values)
        {
            units[index] = units[index] with { Accessibility = Wheelchair };
        }
    }
}
