namespace TicketAspire.Api.Infrastructure.Input;

/// <summary>
/// Largest request bodies (section <c>RequestLimits</c>). A larger body is refused with 413 <c>request_too_large</c> as it
/// is read, before it is parsed: the limit is set per endpoint (ASP.NET Core's request size metadata).
/// </summary>
public sealed class RequestLimitOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "RequestLimits";

    /// <summary>Any API endpoint (holds, payments, webhooks, …): 64 KiB.</summary>
    public long MaxBodyBytes { get; set; } = 64 * 1024;

    /// <summary><c>POST /v1/events</c>, whose explicit seat lists are the largest bodies the API takes: 4 MiB.</summary>
    public long MaxEventBodyBytes { get; set; } = 4 * 1024 * 1024;
}
