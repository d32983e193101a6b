using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http.HttpResults;
using TicketAspire.Api.Infrastructure;
using TicketAspire.Api.Infrastructure.Live;
using TicketAspire.Api.Infrastructure.Security;
using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Queue;

namespace TicketAspire.Api.Apis;

/// <summary>
/// Waiting rooms of high-demand events: support or the reseller's integrator turns one on with an on-sale time and an
/// admission rate; buyers join the queue, follow their place (JSON or server-sent events) and, once admitted, hold with the
/// admission token. End users act for themselves; integrators join for a <c>customer_ref</c> (joining again is the poll).
/// </summary>
public static class WaitingRoomApi
{
    /// <summary>Retry-After of a queue stream refused by a cap.</summary>
    public const int StreamRetryAfterSeconds = 5;

    public static RouteGroupBuilder MapWaitingRoomApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/").WithTags("Waiting room");

        api.MapPut("/events/{id:guid}/waiting-room", ConfigureWaitingRoom).WithName("ConfigureWaitingRoom")
            .WithSummary("Turn on (or change) an event's waiting room: on-sale time, admissions per minute, purchase window")
            .RequireAuthorization(ApiPolicies.WaitingRoomManage);
        api.MapGet("/events/{id:guid}/waiting-room", GetWaitingRoom).WithName("GetWaitingRoom")
            .WithSummary("An event's waiting room with the numbers waiting, admitted and used")
            .RequireAuthorization(ApiPolicies.WaitingRoomManage);
        api.MapDelete("/events/{id:guid}/waiting-room", DisableWaitingRoom).WithName("DisableWaitingRoom")
            .WithSummary("Turn an event's waiting room off: holds no longer need admission")
            .RequireAuthorization(ApiPolicies.WaitingRoomManage);
        api.MapPost("/queue/events/{id:guid}/join", JoinQueue).WithName("JoinQueue")
            .WithSummary("Join an event's queue (once: joining again returns the same place)")
            .RequireAuthorization(ApiPolicies.Checkout);
        api.MapGet("/queue/events/{id:guid}/me", GetMyQueueEntry).WithName("GetMyQueueEntry")
            .WithSummary("The signed-in end user's place in line, estimated wait and, once admitted, the admission token")
            .RequireAuthorization(ApiPolicies.Buyer);
        api.MapGet("/queue/events/{id:guid}/me/stream", StreamMyQueueEntry).WithName("StreamMyQueueEntry")
            .WithSummary("The same as server-sent events, sent when it changes")
            .RequireAuthorization(ApiPolicies.Buyer);

        return api;
    }

    public static async Task<Results<Ok<WaitingRoomView>, ProblemHttpResult>> ConfigureWaitingRoom(
        Guid id, WaitingRoomSettings settings, HttpContext context, WaitingRoomService rooms, CancellationToken ct)
    {
        var actor = context.GetActor();
        var result = await rooms.ConfigureAsync(id, settings, $"{actor.Kind.ToString().ToLowerInvariant()}:{actor.ClientId}", ct);
        return result.Error is { } error ? Problems.From(error) : TypedResults.Ok(result.Value!);
    }

    public static async Task<Results<Ok<WaitingRoomView>, ProblemHttpResult>> GetWaitingRoom(Guid id, WaitingRoomService rooms, CancellationToken ct) =>
        await rooms.GetAsync(id, ct) is { } room ? TypedResults.Ok(room) : Problems.From(InventoryError.NotFound(ErrorCodes.WaitingRoomNotFound, "Waiting room of event", id));

    public static async Task<Results<Ok<WaitingRoomView>, ProblemHttpResult>> DisableWaitingRoom(Guid id, WaitingRoomService rooms, CancellationToken ct)
    {
        var result = await rooms.DisableAsync(id, ct);
        return result.Error is { } error ? Problems.From(error) : TypedResults.Ok(result.Value!);
    }

    public static async Task<Results<Ok<QueueEntryView>, ProblemHttpResult>> JoinQueue(
        Guid id, JoinQueueRequest? request, HttpContext context, WaitingRoomService rooms, CancellationToken ct)
    {
        var actor = context.GetActor();
        if (actor.IsCustomer && request?.CustomerRef is { Length: > 0 } requested && requested != actor.CustomerRef)
        {
            return Problems.Forbidden("An end user joins the queue for themselves only; leave customer_ref out (it comes from the token).");
        }

        var result = await rooms.JoinAsync(id, actor.CustomerRef ?? request?.CustomerRef ?? "", ct);
        return result.Error is { } error ? Problems.From(error) : TypedResults.Ok(result.Value!);
    }

    public static async Task<Results<Ok<QueueEntryView>, ProblemHttpResult>> GetMyQueueEntry(
        Guid id, HttpContext context, WaitingRoomService rooms, CancellationToken ct)
    {
        var result = await rooms.GetEntryAsync(id, context.GetActor().CustomerRef!, ct);
        return result.Error is { } error ? Problems.From(error) : TypedResults.Ok(result.Value!);
    }

    public static async Task<Results<ServerSentEventsResult<QueueEntryView>, ProblemHttpResult>> StreamMyQueueEntry(
        Guid id, HttpContext context, WaitingRoomService rooms, QueueStreamHub hub, ResellerStorage storage, CancellationToken ct)
    {
        var customerRef = context.GetActor().CustomerRef!;
        var first = await rooms.GetEntryAsync(id, customerRef, ct);
        if (first.Error is { } error)
        {
            return Problems.From(error);
        }

        var (watch, result) = hub.Watch(storage.Tenant, id, first.Value!);
        if (watch is null)
        {
            context.Response.Headers.RetryAfter = StreamRetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return result == StreamQuotaResult.KeyFull
                ? Problems.From(new InventoryError(ErrorCodes.StreamLimitExceeded, "This customer has as many queue streams open as allowed; close one first."))
                : Problems.From(new InventoryError(ErrorCodes.StreamCapacityReached, "This server has as many queue streams open as it allows; poll GET …/me or try again shortly."));
        }

        // the stream disposes the watch when it ends; this covers a response that fails before the stream starts
        context.Response.RegisterForDispose(watch);
        return TypedResults.ServerSentEvents(Follow(watch, ct), "queue");
    }

    /// <summary>The entry now and whenever its place or status changes, until it is used or expired (or the client leaves).</summary>
    private static async IAsyncEnumerable<QueueEntryView> Follow(QueueWatch watch, [EnumeratorCancellation] CancellationToken ct)
    {
        using (watch)
        {
            // the feed may have read the place again already (null: no longer in line)
            if (watch.Last is not { } last)
            {
                yield break;
            }

            yield return last;
            while (last.Status is QueueStatus.Waiting or QueueStatus.Admitted)
            {
                QueueEntryView? current;
                try
                {
                    current = await watch.Updates.ReadAsync(ct);
                }
                catch (Exception ex) when (ex is OperationCanceledException or System.Threading.Channels.ChannelClosedException)
                {
                    yield break;
                }

                if (current is null)
                {
                    yield break;
                }

                if (current.Status != last.Status || current.PeopleAhead != last.PeopleAhead || current.QueueNumber != last.QueueNumber)
                {
                    yield return current;
                    last = current;
                }
            }
        }
    }
}

/// <summary>An integrator joins for a customer; end users leave it out.</summary>
public sealed record JoinQueueRequest(string? CustomerRef);
