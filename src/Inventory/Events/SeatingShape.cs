using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Holds;
using TicketAspire.Inventory.Infrastructure;
using TicketAspire.Inventory.Orders;

namespace TicketAspire.Inventory.Events;

/// <summary>The size of a reserved-seating command, counted before anything is built from it.</summary>
internal static class SeatingShape
{
    /// <summary>
    /// The shape of the seating, counted on the command alone: sections, rows per section, seats per row and in all.
    /// False when it is too large (or empty) to plan.
    /// </summary>
    public static bool Check(IReadOnlyList<SectionInput>? sections, FieldErrors errors)
    {
        if (sections is null || sections.Count == 0)
        {
            errors.Add("sections", "Reserved seating needs at least one section with rows.");
            return false;
        }

        if (sections.Count > EventLimits.MaxSections)
        {
            errors.Add("sections", $"At most {EventLimits.MaxSections} sections.");
            return false;
        }

        var before = errors.Count;
        long seats = 0;
        for (var s = 0; s < sections.Count && !errors.Full; s++)
        {
            var rows = sections[s].Rows;
            if (rows is { Count: > EventLimits.MaxRowsPerSection })
            {
                errors.Add($"sections[{s}].rows", $"At most {EventLimits.MaxRowsPerSection} rows per section.");
                continue;
            }

            for (var r = 0; r < (rows?.Count ?? 0) && !errors.Full; r++)
            {
                var row = rows![r];
                if (row.SeatCount is > EventLimits.MaxSeatsPerRow)
                {
                    errors.Add($"sections[{s}].rows[{r}].seat_count", $"1..{EventLimits.MaxSeatsPerRow}.");
                }
                else if (row.Seats is { Count: > EventLimits.MaxSeatsPerRow })
                {
                    errors.Add($"sections[{s}].rows[{r}].seats", $"At most {EventLimits.MaxSeatsPerRow} seats per row.");
                }

                seats += Math.Max(0, row.SeatCount ?? row.Seats?.Count ?? 0);
            }
        }

        if (seats > EventLimits.MaxUnitsPerEvent)
        {
            errors.Add("sections", $"At most {EventLimits.MaxUnitsPerEvent} seats per event.");
        }

        return errors.Count == before;
    }
}
