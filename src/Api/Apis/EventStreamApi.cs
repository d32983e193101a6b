using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using TicketAspire.Api.Infrastructure;
using TicketAspire.Api.Infrastructure.Live;
using TicketAspire.Inventory.Live;
using TicketAspire.Inventory.Model;
using TicketAspire.Tenancy;

namespace TicketAspire.Api.Apis;

/// <summary>
/// Live seat updates of an event as Server-Sent Events: public like the seat map (the reseller comes from the host).
/// Event ids are outbox row ids; a reconnecting client sends the last one as <c>Last-Event-ID</c> and gets what it missed.
/// </summary>
public static class EventStreamApi
{
    public static RouteGroupBuilder MapEventStreamApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/").WithTags("Events");

        api.MapGet("/events/{id:guid}/stream", StreamSeats).WithName("StreamSeats")
            .WithSummary("Watch the event's seats turn held, sold and available (Server-Sent Events; resume with Last-Event-ID)");

        return api;
    }

    public static async Task<Results<ServerSentEventsResult<string>, ProblemHttpResult>> StreamSeats(
        Guid id, HttpRequest request, ResellerStorage storage, EventStreamHub hub, IOptions<JsonOptions> json, CancellationToken ct)
    {
        long? lastEventId = null;
        if (request.Headers["Last-Event-ID"].ToString() is { Length: > 0 } header)
        {
            if (!long.TryParse(header, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                return Problems.From(InventoryError.Validation(new Dictionary<string, string[]>
                {
                    ["Last-Event-ID"] = ["Must be the id of an event this stream sent."],
                }));
            }

            lastEventId = parsed;
        }

        var log = new SeatFeed(storage.Db);
        if (await log.EventStatusAsync(id, ct) is not { } status)
        {
            return Problems.From(InventoryError.NotFound(ErrorCodes.EventNotFound, "Event", id));
        }

        var options = json.Value.SerializerOptions;
        return TypedResults.ServerSentEvents(StreamAsync(hub, storage.Tenant, log, id, lastEventId, status == 1, options, ct));
    }

    private static async IAsyncEnumerable<SseItem<string>> StreamAsync(EventStreamHub hub, ResellerTenantInfo tenant, SeatFeed log, Guid eventId,
        long? lastEventId, bool cancelled, JsonSerializerOptions json, [EnumeratorCancellation] CancellationToken ct)
    {
        // listening first: whatever commits from here on wakes this watcher, and the catch-up below reads the rest
        using var watch = hub.Watch(tenant, eventId);
        await watch.ReadyAsync(ct);
        var from = lastEventId is { } last ? await log.CursorOfAsync(eventId, last, ct) : null;
        if (from is null)
        {
            // a new watcher (or an id we do not know): where the log stands; read the seat map after this event
            var head = await log.HeadAsync(eventId, ct);
            yield return Item("snapshot", head.Id, new SnapshotMessage(eventId, head.Id, Reset: lastEventId is not null), json) with
            {
                ReconnectionInterval = TimeSpan.FromSeconds(1),
            };
            if (cancelled)
            {
                yield return Item("cancelled", head.Id, new CancelledMessage(eventId), json);
                yield break;
            }

            from = head;
        }

        await foreach (var update in watch.UpdatesAsync(eventId, from.Value, log, ct))
        {
            if (update is null)
            {
                yield return new SseItem<string>(string.Empty, "heartbeat");
            }
            else if (update.EventCancelled)
            {
                yield return Item("cancelled", update.Id, new CancelledMessage(eventId), json);
                yield break;
            }
            else
            {
                yield return new SseItem<string>(SeatsJson(update, json), "seats") { EventId = update.Id.ToString(CultureInfo.InvariantCulture) };
            }
        }
    }

    /// <summary>
    /// An update's message as JSON, serialized once however many watchers of this replica it goes to (the feed hands
    /// every watcher the same update instance; the text lives as long as the update does).
    /// </summary>
    private static string SeatsJson(LiveUpdate update, JsonSerializerOptions json)
    {
        if (!Serialized.TryGetValue(update, out var text))
        {
            text = JsonSerializer.Serialize(new SeatsMessage(update.Topic, update.Seats), json);
            Serialized.TryAdd(update, text);
        }

        return text;
    }

    private static readonly ConditionalWeakTable<LiveUpdate, string> Serialized = new();

    private static SseItem<string> Item<T>(string type, long id, T message, JsonSerializerOptions json) =>
        new(JsonSerializer.Serialize(message, json), type) { EventId = id.ToString(CultureInfo.InvariantCulture) };
}

/// <summary>First event of a new watcher: the position of the event's log (the stream continues from there).</summary>
public sealed record SnapshotMessage(Guid EventId, long Cursor, bool Reset);

/// <summary>Seats that changed status with one outbox row.</summary>
public sealed record SeatsMessage(string Topic, IReadOnlyList<SeatChange> Seats);

/// <summary>The event was cancelled: every seat still for sale is void; the stream ends.</summary>
public sealed record CancelledMessage(Guid EventId);
