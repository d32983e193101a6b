using Microsoft.AspNetCore.Http.HttpResults;
using TicketAspire.Api.Infrastructure;
using TicketAspire.Api.Infrastructure.Security;
using TicketAspire.Inventory.Vouchers;

namespace TicketAspire.Api.Apis;

/// <summary>
/// An event's vouchers (promo codes): the organizer creates, lists and disables them; buyers redeem one by sending its code
/// as <c>voucher_code</c> with a hold (<see cref="HoldsApi"/>).
/// </summary>
public static class VouchersApi
{
    public static RouteGroupBuilder MapVouchersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/events/{eventId:guid}/vouchers").WithTags("Vouchers");

        api.MapPost("/", CreateVoucher).WithName("CreateVoucher")
            .WithSummary("Create a voucher: percentage, fixed amount or free ticket; per event or class; valid from/until; total and per-customer uses")
            .RequireAuthorization(ApiPolicies.InventoryWrite);
        api.MapGet("/", ListVouchers).WithName("ListVouchers").WithSummary("List the event's vouchers with their uses")
            .RequireAuthorization(ApiPolicies.InventoryRead);
        api.MapGet("/{id:guid}", GetVoucher).WithName("GetVoucher").WithSummary("Get a voucher with its uses")
            .RequireAuthorization(ApiPolicies.InventoryRead);
        api.MapDelete("/{id:guid}", DisableVoucher).WithName("DisableVoucher")
            .WithSummary("Disable a voucher: no further hold redeems it (holds that did keep their discount)")
            .RequireAuthorization(ApiPolicies.InventoryWrite);

        return api;
    }

    public static async Task<Results<Created<VoucherView>, ProblemHttpResult>> CreateVoucher(
        Guid eventId, CreateVoucherCommand? command, VoucherService vouchers, CancellationToken ct)
    {
        if (command is null)
        {
            return Problems.Invalid("code", "A voucher: code, kind and its amount.");
        }

        var result = await vouchers.CreateAsync(eventId, command, ct);
        return result.Error is { } error
            ? Problems.From(error)
            : TypedResults.Created($"/v1/events/{eventId}/vouchers/{result.Value!.Id}", result.Value);
    }

    public static async Task<Results<Ok<VoucherList>, ProblemHttpResult>> ListVouchers(Guid eventId, VoucherService vouchers, CancellationToken ct)
    {
        var result = await vouchers.ListAsync(eventId, ct);
        return result.Error is { } error ? Problems.From(error) : TypedResults.Ok(result.Value!);
    }

    public static async Task<Results<Ok<VoucherView>, ProblemHttpResult>> GetVoucher(Guid eventId, Guid id, VoucherService vouchers, CancellationToken ct)
    {
        var result = await vouchers.GetAsync(eventId, id, ct);
        return result.Error is { } error ? Problems.From(error) : TypedResults.Ok(result.Value!);
    }

    public static async Task<Results<Ok<VoucherView>, ProblemHttpResult>> DisableVoucher(Guid eventId, Guid id, VoucherService vouchers, CancellationToken ct)
    {
        var result = await vouchers.DisableAsync(eventId, id, ct);
        return result.Error is { } error ? Problems.From(error) : TypedResults.Ok(result.Value!);
    }
}
