using TicketAspire.Inventory.Model;

namespace TicketAspire.Inventory.Waitlist;

/// <summary>
/// Why a waitlist entry closed as <c>expired</c> (<see cref="WaitlistEntryView.ClosedReason"/>): its offer lapsed, or the
/// worker skipped it because no hold can be made for it, so the entries behind it are served.
/// </summary>
public static class WaitlistClosedReasons
{
    /// <summary>The customer did not pay for the offered hold in time.</summary>
    public const string OfferLapsed = "offer_lapsed";

    /// <summary>The offered hold was cancelled (the customer declined the offer).</summary>
    public const string OfferCancelled = "offer_cancelled";

    /// <summary>A hold refuses the entry's <c>customer_email</c>.</summary>
    public const string InvalidCustomerEmail = "invalid_customer_email";

    /// <summary>A hold refuses another field of the entry (its quantity above the reseller's per-hold limit, …).</summary>
    public const string InvalidEntry = "invalid_entry";

    /// <summary>The customer already has as many tickets of the event as one customer may have.</summary>
    public const string PurchaseLimitExceeded = ErrorCodes.PurchaseLimitExceeded;

    /// <summary>
    /// The reason to skip an entry whose offer hold failed with <paramref name="error"/>, or null when the failure is
    /// not the entry's (too few units came back yet, someone was faster): then the entry stays first in line.
    /// </summary>
    public static string? ForHoldError(InventoryError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.Code switch
        {
            ErrorCodes.PurchaseLimitExceeded => PurchaseLimitExceeded,
            ErrorCodes.Validation when error.FieldErrors?.ContainsKey("customer_email") == true => InvalidCustomerEmail,
            ErrorCodes.Validation => InvalidEntry,
            _ => null,
        };
    }

    /// <summary>The hold's refusal in words, with its field errors, as kept on the entry.</summary>
    public static string Detail(InventoryError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var fields = error.FieldErrors is { Count: > 0 } errors
            ? " " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"))
            : "";
        return error.Detail + fields;
    }
}
