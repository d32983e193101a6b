using TicketAspire.Api.Infrastructure;
using TicketAspire.Api.Infrastructure.Live;
using TicketAspire.Inventory.Queue;
using TicketAspire.Inventory.Waitlist;

namespace TicketAspire.Api.Extensions;

/// <summary>Waiting rooms (queue, admission tokens) and waitlists.</summary>
public static class WaitingRoomServiceExtensions
{
    public static IServiceCollection AddWaitingRooms(this IServiceCollection services)
    {
        services.AddOptions<WaitingRoomOptions>().BindConfiguration(WaitingRoomOptions.SectionName)
            .Validate(o => o.SigningKey is { Length: >= 32 }, "WaitingRoom:SigningKey must have at least 32 characters")
            .Validate(o => o.MaxStreams >= 1 && o.MaxStreamsPerCustomer >= 1, "WaitingRoom: MaxStreams and MaxStreamsPerCustomer at least 1")
            .ValidateOnStart();
        services.AddSingleton<QueueStreamHub>();
        services.AddSingleton(sp => new AdmissionTokens(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<WaitingRoomOptions>>().Value.SigningKey!));
        return services;
    }
}

/// <summary>The cell's waiting-room settings (<c>WaitingRoom:…</c>).</summary>
public sealed class WaitingRoomOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "WaitingRoom";

    /// <summary>HMAC key of admission tokens, shared by the cell's API replicas and worker (an AppHost secret parameter).</summary>
    public string? SigningKey { get; set; }

    /// <summary>Queue-position streams one API replica keeps open; beyond, a new one is 503 <c>stream_capacity_reached</c>.</summary>
    public int MaxStreams { get; set; } = 5_000;

    /// <summary>Queue-position streams one customer keeps open on one replica; beyond, 429 <c>stream_limit_exceeded</c>.</summary>
    public int MaxStreamsPerCustomer { get; set; } = 3;
}
