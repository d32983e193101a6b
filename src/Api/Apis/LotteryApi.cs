using Microsoft.AspNetCore.Http.HttpResults;
using TicketAspire.Api.Infrastructure;
using TicketAspire.Api.Infrastructure.Security;
using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Queue;

namespace TicketAspire.Api.Apis;

/// <summary>
/// Lotteries: the organizer opens a registration window, buyers register, a seeded draw (by the worker once registration
/// closes, or on request) admits the winners into a purchase window and tells everyone; the seed's hash is public from the
/// start and the seed from the draw, so the result can be recomputed by anyone.
/// </summary>
public static class LotteryApi
{
    /// <summary>Most ranked entries one results page returns.</summary>
    public const int MaxResults = 10_000;

    public static RouteGroupBuilder MapLotteryApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/events/{id:guid}/lottery").WithTags("Lotteries");

        api.MapPut("/", ConfigureLottery).WithName("ConfigureLottery")
            .WithSummary("Open (or, until drawn, change) the event's lottery: holds then need a winner's admission")
            .RequireAuthorization(ApiPolicies.WaitingRoomManage);
        api.MapGet("/", GetLottery).WithName("GetLottery").WithSummary("The event's lottery: window, counts, the seed's SHA-256 and, once drawn, the seed");
        api.MapPost("/draw", DrawLottery).WithName("DrawLottery")
            .WithSummary("Draw the lottery once registration closed (the worker also does it); drawing again answers the same result")
            .RequireAuthorization(ApiPolicies.WaitingRoomManage);
        api.MapGet("/results", ListLotteryResults).WithName("ListLotteryResults")
            .WithSummary("The ranked entries of a drawn lottery with the hash that ranked each (audit)")
            .RequireAuthorization(ApiPolicies.WaitingRoomManage);
        api.MapPost("/entries", RegisterForLottery).WithName("RegisterForLottery")
            .WithSummary("Register for the lottery while registration is open (once: registering again is the same entry)")
            .RequireAuthorization(ApiPolicies.OrdersWrite);
        api.MapGet("/entry", GetLotteryEntry).WithName("GetLotteryEntry")
            .WithSummary("An entry: registered, won (with the admission token to hold with), lost; an end user's own, a back end's by customer_ref")
            .RequireAuthorization(ApiPolicies.OrdersRead);

        return api;
    }

    public static async Task<Results<Ok<LotteryView>, ProblemHttpResult>> ConfigureLottery(
        Guid id, LotterySettings settings, HttpContext context, LotteryService lotteries, CancellationToken ct)
    {
        var actor = context.GetActor();
        var result = await lotteries.ConfigureAsync(id, settings, $"{actor.Kind.ToString().ToLowerInvariant()}:{actor.ClientId}", ct);
        return result.Error is { } error ? Problems.From(error) : TypedResults.Ok(result.Value!);
    }

    public static async Task<Results<Ok<LotteryView>, ProblemHttpResult>> GetLottery(Guid id, LotteryService lotteries, CancellationToken ct) =>
        await lotteries.GetAsync(id, ct) is { } lottery ? TypedResults.Ok(lottery) : Problems.From(InventoryError.NotFound(ErrorCodes.LotteryNotFound, "Lottery of event", id));

    public static async Task<Results<Ok<LotteryView>, ProblemHttpResult>> DrawLottery(Guid id, LotteryService lotteries, CancellationToken ct)
    {
        var result = await lotteries.DrawAsync(id, ct);
        return result.Error is { } error ? Problems.From(error) : TypedResults.Ok(result.Value!);
    }

    public static async Task<Results<Ok<LotteryResults>, ProblemHttpResult>> ListLotteryResults(Guid id, int? limit, LotteryService lotteries, CancellationToken ct)
    {
        if (limit is < 1 or > MaxResults)
        {
            return Problems.Invalid("limit", $"Between 1 and {MaxResults}.");
        }

        var result = await lotteries.ResultsAsync(id, limit ?? 1000, ct);
        return result.Error is { } error ? Problems.From(error) : TypedResults.Ok(new LotteryResults(id, result.Value!.Count > 0 || (await lotteries.GetAsync(id, ct))?.DrawnAt is not null, result.Value!));
    }

    public static async Task<Results<Ok<LotteryEntryView>, ProblemHttpResult>> RegisterForLottery(
        Guid id, LotteryRegistration? request, HttpContext context, LotteryService lotteries, CancellationToken ct)
    {
        var actor = context.GetActor();
        if (actor.IsCustomer && request?.CustomerRef is { Length: > 0 } requested && requested != actor.CustomerRef)
        {
            return Problems.Forbidden("An end user registers for themselves only; leave customer_ref out (it comes from the token).");
        }

        var email = actor.IsCustomer ? actor.Email ?? request?.CustomerEmail : request?.CustomerEmail;
        var result = await lotteries.RegisterAsync(id, actor.CustomerRef ?? request?.CustomerRef ?? "", email?.Trim(), ct);
        return result.Error is { } error ? Problems.From(error) : TypedResults.Ok(result.Value!);
    }

    public static async Task<Results<Ok<LotteryEntryView>, ProblemHttpResult>> GetLotteryEntry(
        Guid id, string? customer_ref, HttpContext context, LotteryService lotteries, CancellationToken ct)
    {
        var actor = context.GetActor();
        if (actor.IsCustomer && customer_ref is { Length: > 0 } && customer_ref != actor.CustomerRef)
        {
            return Problems.From(new InventoryError(ErrorCodes.LotteryEntryNotFound, "No such entry of yours."));
        }

        var who = actor.CustomerRef ?? customer_ref;
        if (string.IsNullOrWhiteSpace(who) || who.Length > 200)
        {
            return Problems.Invalid("customer_ref", "Name the entrant (customer_ref, at most 200 characters).");
        }

        var result = await lotteries.GetEntryAsync(id, who, ct);
        return result.Error is { } error ? Problems.From(error) : TypedResults.Ok(result.Value!);
    }
}

/// <summary>A registration: a back end names the entrant (and an address to tell them the result); an end user is themselves.</summary>
public sealed record LotteryRegistration(string? CustomerRef, string? CustomerEmail);

/// <summary>A lottery's ranked entries: none until it is <paramref name="Drawn"/>.</summary>
public sealed record LotteryResults(Guid EventId, bool Drawn, IReadOnlyList<LotteryResultRow> Entries);
