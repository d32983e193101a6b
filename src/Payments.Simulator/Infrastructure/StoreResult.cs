namespace TicketAspire.Payments.Simulator.Infrastructure;

/// <summary>The outcome of a store operation: a value, or an error code of <see cref="PspProblems.Codes"/> with a detail.</summary>
public sealed record StoreResult<T>(T? Value, string? ErrorCode, string? Detail)
    where T : class
{
    /// <summary>Success.</summary>
    public static StoreResult<T> Ok(T value) => new(value, null, null);

    /// <summary>Refusal.</summary>
    public static StoreResult<T> Fail(string code, string detail) => new(null, code, detail);
}
