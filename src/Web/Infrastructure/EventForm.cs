using System.Globalization;
using System.Text.RegularExpressions;

namespace TicketAspire.Web.Infrastructure;

/// <summary>
/// The console's event form: general admission (classes with a price and a quantity) or reserved seating built with the
/// seat-map builder (sections of rows of seats, one class and price per section), turned into the body of
/// <c>POST /v1/events</c>, or into a <c>PATCH /v1/events/{id}</c> of only the fields that changed. Prices are typed in
/// major units (<c>45.00</c>) and sent in minor units; times are UTC.
/// </summary>
public sealed partial class EventForm
{
    public const string GeneralAdmission = "general_admission";
    public const string Reserved = "reserved";

    public string Name { get; set; } = "";
    public string Type { get; set; } = "concert";
    public string? Performer { get; set; }
    public string? Description { get; set; }
    public DateTime? StartsAt { get; set; } = DateTime.UtcNow.Date.AddDays(30).AddHours(20);
    public string VenueName { get; set; } = "";
    public string VenueCity { get; set; } = "";
    public string? VenueCountry { get; set; }
    public string Seating { get; set; } = GeneralAdmission;

    /// <summary>General admission's classes (and, when editing a reserved event, its classes' prices).</summary>
    public List<ClassDraft> Classes { get; } = [new() { Name = "Standard", Price = "45.00", Quantity = 100 }];

    /// <summary>The seat-map builder's sections.</summary>
    public List<SectionDraft> Sections { get; } = [new() { Name = "A", ClassName = "Standard", Price = "45.00", Rows = 5, SeatsPerRow = 10 }];

    /// <summary>The form of an existing event, to edit.</summary>
    public static EventForm Of(ConsoleEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var form = new EventForm
        {
            Name = e.Name,
            Type = e.Type,
            Performer = e.Performer,
            Description = e.Description,
            StartsAt = e.StartsAt.UtcDateTime,
            VenueName = e.Venue.Name,
            VenueCity = e.Venue.City,
            VenueCountry = e.Venue.Country,
            Seating = e.Seating,
        };
        form.Classes.Clear();
        form.Classes.AddRange(e.TicketClasses.Select(c => new ClassDraft { Name = c.Name, Price = Major(c.Price.MinorUnits), Quantity = c.Capacity }));
        form.Sections.Clear();
        return form;
    }

    /// <summary>Seats the builder's sections make.</summary>
    public int SeatCount => Sections.Sum(s => Math.Max(0, s.Rows) * Math.Max(0, s.SeatsPerRow));

    /// <summary>
    /// What is wrong before anything is sent, by the id of the input it concerns (prices that are no amount, a class with
    /// two prices); the API checks everything else and its field errors are placed with <see cref="InputOf"/>.
    /// </summary>
    public Dictionary<string, string> Check()
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        if (StartsAt is null)
        {
            errors["ev-starts"] = "Give the date and time the event starts (UTC).";
        }

        if (Seating == GeneralAdmission)
        {
            for (var i = 0; i < Classes.Count; i++)
            {
                if (Minor(Classes[i].Price) is null)
                {
                    errors[$"class-{i}-price"] = "An amount such as 45 or 45.50.";
                }
            }
        }
        else
        {
            var prices = new Dictionary<string, long>(StringComparer.Ordinal);
            for (var i = 0; i < Sections.Count; i++)
            {
                var s = Sections[i];
                if (Minor(s.Price) is not { } price)
                {
                    errors[$"section-{i}-price"] = "An amount such as 45 or 45.50.";
                }
                else if (prices.TryGetValue(s.ClassName.Trim(), out var other) && other != price)
                {
                    errors[$"section-{i}-price"] = $"Class '{s.ClassName.Trim()}' has the price {Major(other)} in an earlier section: one class, one price.";
                }
                else
                {
                    prices.TryAdd(s.ClassName.Trim(), price);
                }

                if (s.Rows is < 1 or > 200)
                {
                    errors[$"section-{i}-rows"] = "1 to 200 rows.";
                }

                if (s.SeatsPerRow is < 1 or > 1000)
                {
                    errors[$"section-{i}-seats"] = "1 to 1000 seats a row.";
                }
            }
        }

        return errors;
    }

    /// <summary>The body of <c>POST /v1/events</c> (call <see cref="Check"/> first).</summary>
    public object ToCreateRequest()
    {
        var venue = new { name = VenueName.Trim(), city = VenueCity.Trim(), country = Blank(VenueCountry) };
        var startsAt = StartsUtc;
        if (Seating == GeneralAdmission)
        {
            return new
            {
                name = Name.Trim(), type = Type, performer = Blank(Performer), description = Blank(Description), starts_at = startsAt, venue,
                seating = GeneralAdmission,
                ticket_classes = Classes.Select(c => new { name = c.Name.Trim(), price_minor = Minor(c.Price), quantity = c.Quantity }).ToArray(),
            };
        }

        return new
        {
            name = Name.Trim(), type = Type, performer = Blank(Performer), description = Blank(Description), starts_at = startsAt, venue,
            seating = Reserved,
            ticket_classes = Sections.GroupBy(s => s.ClassName.Trim(), StringComparer.Ordinal)
                .Select(g => new { name = g.Key, price_minor = Minor(g.First().Price) }).ToArray(),
            sections = Sections.Select(s => new
            {
                name = s.Name.Trim(),
                rows = Enumerable.Range(0, Math.Max(0, s.Rows)).Select(r => new { label = s.RowLabel(r), @class = s.ClassName.Trim(), seat_count = s.SeatsPerRow }).ToArray(),
            }).ToArray(),
        };
    }

    /// <summary>The body of <c>PATCH /v1/events/{id}</c>: only what differs from <paramref name="current"/> (empty: nothing changed).</summary>
    public Dictionary<string, object?> ToUpdateRequest(ConsoleEvent current)
    {
        ArgumentNullException.ThrowIfNull(current);
        var changes = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (Name.Trim() != current.Name)
        {
            changes["name"] = Name.Trim();
        }

        if (Blank(Performer) != current.Performer)
        {
            changes["performer"] = Blank(Performer) ?? "";
        }

        if (Blank(Description) != current.Description)
        {
            changes["description"] = Blank(Description) ?? "";
        }

        if (StartsUtc is { } starts && starts != current.StartsAt.ToUniversalTime())
        {
            changes["starts_at"] = starts;
        }

        if (VenueName.Trim() != current.Venue.Name || VenueCity.Trim() != current.Venue.City || Blank(VenueCountry) != current.Venue.Country)
        {
            changes["venue"] = new { name = VenueName.Trim(), city = VenueCity.Trim(), country = Blank(VenueCountry), address = current.Venue.Address };
        }

        var classes = new List<object>();
        foreach (var c in Classes)
        {
            if (current.TicketClasses.FirstOrDefault(k => k.Name == c.Name) is not { } before)
            {
                continue;
            }

            var price = Minor(c.Price);
            var quantityChanged = current.Seating == GeneralAdmission && c.Quantity != before.Capacity;
            if (price != before.Price.MinorUnits || quantityChanged)
            {
                classes.Add(current.Seating == GeneralAdmission
                    ? new { name = c.Name, price_minor = price, quantity = (int?)c.Quantity }
                    : new { name = c.Name, price_minor = price, quantity = (int?)null });
            }
        }

        if (classes.Count > 0)
        {
            changes["ticket_classes"] = classes;
        }

        return changes;
    }

    /// <summary>
    /// The input of the form an API field error belongs to (<c>venue.city</c> → <c>ev-city</c>,
    /// <c>ticket_classes[1].price_minor</c> → <c>class-1-price</c>, or the section of that class in the seat-map builder),
    /// or null when it is about the whole form.
    /// </summary>
    public string? InputOf(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        switch (field)
        {
            case "name": return "ev-name";
            case "type": return "ev-type";
            case "performer": return "ev-performer";
            case "description": return "ev-description";
            case "starts_at": return "ev-starts";
            case "venue" or "venue.name": return "ev-venue";
            case "venue.city": return "ev-city";
            case "venue.country": return "ev-country";
        }

        if (ClassField().Match(field) is { Success: true } c)
        {
            var i = int.Parse(c.Groups[1].Value, CultureInfo.InvariantCulture);
            var part = c.Groups[2].Value switch { "price_minor" => "price", "quantity" => "quantity", _ => "name" };
            if (Seating == GeneralAdmission || Sections.Count == 0)
            {
                return i < Classes.Count ? $"class-{i}-{part}" : null;
            }

            // reserved: the classes are the sections' classes, in order of first use
            var name = Sections.Select(s => s.ClassName.Trim()).Distinct(StringComparer.Ordinal).ElementAtOrDefault(i);
            var section = Sections.FindIndex(s => s.ClassName.Trim() == name);
            return section < 0 ? null : $"section-{section}-{(part == "name" ? "class" : "price")}";
        }

        if (SectionField().Match(field) is { Success: true } s)
        {
            var i = int.Parse(s.Groups[1].Value, CultureInfo.InvariantCulture);
            var rest = s.Groups[2].Value;
            var part = rest switch
            {
                ".name" => "name",
                _ when rest.EndsWith(".seat_count", StringComparison.Ordinal) => "seats",
                _ when rest.EndsWith(".class", StringComparison.Ordinal) => "class",
                _ => "rows",
            };
            return i < Sections.Count ? $"section-{i}-{part}" : null;
        }

        return null;
    }

    private DateTimeOffset? StartsUtc => StartsAt is { } s ? new DateTimeOffset(DateTime.SpecifyKind(s, DateTimeKind.Utc)) : null;

    /// <summary>Minor units of a typed amount (<c>45</c>, <c>45.5</c>, <c>45,50</c>), or null when it is none.</summary>
    public static long? Minor(string? amount)
    {
        var text = amount?.Trim().Replace(',', '.');
        if (string.IsNullOrEmpty(text) || !decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            return null;
        }

        var minor = value * 100;
        return minor == decimal.Truncate(minor) && minor <= long.MaxValue ? (long)minor : null;
    }

    /// <summary>Minor units as the form shows them (<c>4550</c> → <c>45.50</c>).</summary>
    public static string Major(long minor) => (minor / 100m).ToString("0.00", CultureInfo.InvariantCulture);

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    [GeneratedRegex(@"^ticket_classes\[(\d+)\](?:\.(\w+))?$")]
    private static partial Regex ClassField();

    [GeneratedRegex(@"^sections\[(\d+)\](.*)$")]
    private static partial Regex SectionField();
}

/// <summary>A ticket class of the form: its name, price (major units) and, for general admission, quantity.</summary>
public sealed class ClassDraft
{
    public string Name { get; set; } = "";
    public string Price { get; set; } = "";
    public int Quantity { get; set; } = 100;
}

/// <summary>
/// A section of the seat-map builder: <see cref="Rows"/> rows of <see cref="SeatsPerRow"/> seats numbered from 1, rows
/// labelled 1, 2, … or A, B, … (after Z: AA, AB, …), all of class <see cref="ClassName"/> at <see cref="Price"/>.
/// </summary>
public sealed class SectionDraft
{
    public string Name { get; set; } = "";
    public string ClassName { get; set; } = "";
    public string Price { get; set; } = "";
    public int Rows { get; set; } = 5;
    public int SeatsPerRow { get; set; } = 10;
    public bool LetterRows { get; set; }

    /// <summary>The label of row <paramref name="index"/> (from 0).</summary>
    public string RowLabel(int index)
    {
        if (!LetterRows)
        {
            return (index + 1).ToString(CultureInfo.InvariantCulture);
        }

        var label = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
        {
            label = (char)('A' + (n - 1) % 26) + label;
        }

        return label;
    }
}
