using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace TicketAspire.Bench.HoldBench;

/// <summary>Creates benchmark events through the public API and reads their seat maps.</summary>
public static class BenchEvents
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Creates a reserved-seating event of <paramref name="seats"/> seats (sections of 10 rows of up to 1000 seats, one class).</summary>
    public static async Task<Guid> CreateAsync(HttpClient http, string name, int seats, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(http);
        var rows = new List<object>();
        for (var left = seats; left > 0; left -= 1000)
        {
            rows.Add(new { Label = $"R{rows.Count + 1:D3}", Class = "Standard", SeatCount = Math.Min(1000, left) });
        }

        var sections = rows.Chunk(10).Select((chunk, i) => new { Name = $"S{i + 1:D2}", Rows = chunk }).ToList();
        var command = new
        {
            Name = name,
            Type = "concert",
            Description = "HoldBench load-test event",
            StartsAt = DateTimeOffset.UtcNow.AddDays(30),
            Venue = new { Name = "HoldBench Arena", City = "Berlin", Country = "DE" },
            Seating = "reserved",
            TicketClasses = new[] { new { Name = "Standard", PriceMinor = 5000L } },
            Sections = sections,
        };
        using var response = await http.PostAsJsonAsync("/v1/events", command, Json, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"POST /v1/events answered {(int)response.StatusCode}: {body}");
        }

        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.GetProperty("id").GetGuid();
    }

    /// <summary>Creates a general-admission event of one class with <paramref name="tickets"/> tickets; its id and the class id.</summary>
    public static async Task<(Guid EventId, Guid ClassId)> CreateGeneralAdmissionAsync(HttpClient http, string name, int tickets, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(http);
        var command = new
        {
            Name = name,
            Type = "festival",
            Description = "HoldBench on-sale event",
            StartsAt = DateTimeOffset.UtcNow.AddDays(30),
            Venue = new { Name = "HoldBench Field", City = "Berlin", Country = "DE" },
            Seating = "general_admission",
            TicketClasses = new[] { new { Name = "Day pass", PriceMinor = 5000L, Quantity = tickets } },
        };
        using var response = await http.PostAsJsonAsync("/v1/events", command, Json, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"POST /v1/events answered {(int)response.StatusCode}: {body}");
        }

        using var doc = JsonDocument.Parse(body);
        return (doc.RootElement.GetProperty("id").GetGuid(), doc.RootElement.GetProperty("ticket_classes")[0].GetProperty("id").GetGuid());
    }

    /// <summary>Seat ids of the event's seat map, in seat-map order (by ordinal), page by page (next_cursor).</summary>
    public static async Task<Guid[]> SeatIdsAsync(HttpClient http, Guid eventId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(http);
        var ids = new List<Guid>();
        string? cursor = null;
        do
        {
            var path = $"/v1/events/{eventId}/seats" + (cursor is null ? "" : $"?cursor={Uri.EscapeDataString(cursor)}");
            using var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, ct);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
            }

            await using var stream = await response.Content.ReadAsStreamAsync(ct);
            using var doc = await JsonDocument.ParseAsync(stream, cancellationToken: ct);
            ids.AddRange(doc.RootElement.GetProperty("seats").EnumerateArray().Select(s => s.GetProperty("id").GetGuid()));
            cursor = doc.RootElement.TryGetProperty("next_cursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (cursor is not null);

        return [.. ids];
    }
}
