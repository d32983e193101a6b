namespace TicketAspire.Tenancy.Provisioning;

/// <summary>
/// What is wrong with a <see cref="ResellerRegistration"/>: <see cref="Missing"/> holds fields that are absent or
/// out of length bounds (the request is malformed: 400), <see cref="Invalid"/> fields present but unacceptable (a bad
/// IBAN checksum, a VAT id of the wrong format, a host that is no host name: 422). Field names are snake_case paths
/// (<c>billing.payout.iban</c>).
/// </summary>
public sealed class RegistrationErrors
{
    /// <summary>Absent or out-of-bounds fields.</summary>
    public Dictionary<string, string[]> Missing { get; } = new(StringComparer.Ordinal);

    /// <summary>Present but unacceptable fields.</summary>
    public Dictionary<string, string[]> Invalid { get; } = new(StringComparer.Ordinal);

    /// <summary>True when nothing is wrong.</summary>
    public bool IsEmpty => Missing.Count == 0 && Invalid.Count == 0;

    internal void Require(string field, string message) => Add(Missing, field, message);

    internal void Reject(string field, string message) => Add(Invalid, field, message);

    private static void Add(Dictionary<string, string[]> errors, string field, string message) =>
        errors[field] = errors.TryGetValue(field, out var existing) ? [.. existing, message] : [message];
}
