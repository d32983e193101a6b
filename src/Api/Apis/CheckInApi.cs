using Microsoft.AspNetCore.Http.HttpResults;
using TicketAspire.Api.Infrastructure;
using TicketAspire.Api.Infrastructure.Security;
using TicketAspire.Inventory.CheckIn;

namespace TicketAspire.Api.Apis;

/// <summary>
/// Signed tickets and check-in: a valid ticket's QR code (payload and PNG) for its owner, the reseller's public key for
/// offline scanners, an event's scanner bundle (key and the tickets not to admit), and the online check-in that admits a
/// ticket once across every replica.
/// </summary>
public static class CheckInApi
{
    public static RouteGroupBuilder MapCheckInApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/").WithTags("Check-in");

        api.MapGet("/tickets/{id:guid}/qr", GetTicketQr).WithName("GetTicketQr")
            .WithSummary("A valid ticket's signed QR payload (ES256, verifiable offline with the event's signing key)")
            .RequireAuthorization(ApiPolicies.CheckoutRead);
        api.MapGet("/tickets/{id:guid}/qr.png", GetTicketQrImage).WithName("GetTicketQrImage")
            .WithSummary("A valid ticket's QR code as a PNG image").Produces(StatusCodes.Status200OK, contentType: "image/png")
            .RequireAuthorization(ApiPolicies.CheckoutRead);
        api.MapGet("/events/{id:guid}/signing-key", GetSigningKey).WithName("GetTicketSigningKey")
            .WithSummary("The public key (JWK and SPKI) the event's ticket QR codes are signed with");
        api.MapGet("/events/{id:guid}/scanner-bundle", GetScannerBundle).WithName("GetScannerBundle")
            .WithSummary("What an offline scanner downloads: the signing key and the event's tickets not to admit (revoked, already in)")
            .RequireAuthorization(ApiPolicies.CheckIn);
        api.MapPost("/check-in", CheckIn).WithName("CheckIn")
            .WithSummary("Admit the ticket of a scanned QR code, once: 200 admitted, 409 already checked in or no longer valid, 422 not a ticket of this reseller")
            .RequireAuthorization(ApiPolicies.CheckIn);

        return api;
    }

    public static async Task<Results<Ok<TicketQr>, ProblemHttpResult>> GetTicketQr(Guid id, HttpContext context, CheckInService checkIn, CancellationToken ct)
    {
        var result = await checkIn.QrAsync(id, context.GetActor().CustomerRef, ct);
        return result.Error is { } error ? Problems.From(error) : TypedResults.Ok(result.Value!);
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetTicketQrImage(Guid id, HttpContext context, CheckInService checkIn, CancellationToken ct)
    {
        var result = await checkIn.QrAsync(id, context.GetActor().CustomerRef, ct);
        if (result.Error is { } error)
        {
            return Problems.From(error);
        }

        context.Response.Headers.CacheControl = "private, no-store";
        return TypedResults.File(TicketQrImage.Png(result.Value!.Payload), "image/png");
    }

    public static async Task<Results<Ok<SigningKeyView>, ProblemHttpResult>> GetSigningKey(Guid id, CheckInService checkIn, CancellationToken ct)
    {
        var result = await checkIn.KeyForEventAsync(id, ct);
        return result.Error is { } error ? Problems.From(error) : TypedResults.Ok(new SigningKeyView(id, result.Value!));
    }

    public static async Task<Results<Ok<ScannerBundle>, ProblemHttpResult>> GetScannerBundle(Guid id, CheckInService checkIn, CancellationToken ct)
    {
        var result = await checkIn.BundleAsync(id, ct);
        return result.Error is { } error ? Problems.From(error) : TypedResults.Ok(result.Value!);
    }

    public static async Task<Results<Ok<CheckInView>, ProblemHttpResult>> CheckIn(CheckInRequest? request, HttpContext context, CheckInService checkIn, CancellationToken ct)
    {
        if (request?.Qr is not { Length: > 0 } qr)
        {
            return Problems.Invalid("qr", "Give the scanned QR payload (TA1.…).");
        }

        if (qr.Length > TicketSigner.MaxPayloadLength)
        {
            return Problems.Invalid("qr", $"At most {TicketSigner.MaxPayloadLength} characters.");
        }

        var actor = context.GetActor();
        var result = await checkIn.CheckInAsync(qr, request.EventId, request.Gate, $"{actor.Kind.ToString().ToLowerInvariant()}:{actor.ClientId ?? actor.Subject}", ct);
        return result.Error is { } error ? Problems.From(error) : TypedResults.Ok(result.Value!);
    }
}

/// <summary>A scan at the gate: the QR payload, optionally the event the gate admits to and the gate's name.</summary>
public sealed record CheckInRequest(string? Qr, Guid? EventId, string? Gate);

/// <summary>The public key an event's tickets are signed with.</summary>
public sealed record SigningKeyView(Guid EventId, TicketPublicKey Key);
