using System.Text.RegularExpressions;
using TicketAspire.Inventory.Model;

namespace TicketAspire.Inventory.Vouchers;

/// <summary>The form of a voucher code and the refusals a hold gets when its voucher cannot be redeemed.</summary>
public static partial class VoucherCodes
{
    /// <summary>The rule, as a field error says it.</summary>
    public const string Rule = "3 to 40 letters, digits, '-' or '_' (case does not matter).";

    /// <summary>The code in its stored form (trimmed, upper case), or null when it does not follow <see cref="Rule"/>.</summary>
    public static string? Normalize(string? code)
    {
        if (code is null)
        {
            return null;
        }

        var upper = code.Trim().ToUpperInvariant();
        return CodePattern().IsMatch(upper) ? upper : null;
    }

    /// <summary>The error of a hold whose voucher <paramref name="code"/> was refused for <paramref name="refusal"/>; nothing was held.</summary>
    public static InventoryError Refusal(VoucherRefusal refusal, string code) => refusal switch
    {
        VoucherRefusal.Unknown => new(ErrorCodes.VoucherInvalid, $"No voucher '{code}' exists for this event; nothing was held."),
        VoucherRefusal.NotValidNow => new(ErrorCodes.VoucherInvalid, $"Voucher '{code}' is disabled or not valid at this time; nothing was held."),
        VoucherRefusal.Exhausted => new(ErrorCodes.VoucherExhausted, $"Every use of voucher '{code}' is taken; nothing was held."),
        VoucherRefusal.CustomerLimit => new(ErrorCodes.VoucherLimitReached, $"This customer has used voucher '{code}' as often as one customer may; nothing was held."),
        _ => new(ErrorCodes.VoucherNotApplicable, $"Voucher '{code}' is for another ticket class; nothing was held."),
    };

    [GeneratedRegex("^[A-Z0-9_-]{3,40}$", RegexOptions.CultureInvariant)]
    private static partial Regex CodePattern();
}
