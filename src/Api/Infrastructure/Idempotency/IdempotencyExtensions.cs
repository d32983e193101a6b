namespace TicketAspire.Api.Infrastructure.Idempotency;

/// <summary>Wiring of <c>Idempotency-Key</c>.</summary>
public static class IdempotencyExtensions
{
    /// <summary>Binds and validates <see cref="IdempotencyOptions"/>.</summary>
    public static IServiceCollection AddIdempotency(this IServiceCollection services)
    {
        services.AddOptions<IdempotencyOptions>().BindConfiguration(IdempotencyOptions.SectionName)
            .Validate(o => o.Retention > TimeSpan.Zero && o.AbandonedAfter > TimeSpan.Zero && o.AbandonedAfter < o.Retention && o.MaxBodyBytes > 0,
                "Idempotency: Retention > 0, 0 < AbandonedAfter < Retention, MaxBodyBytes > 0")
            .ValidateOnStart();
        return services;
    }

    /// <summary>Honours <c>Idempotency-Key</c> on marked endpoints; after authorization, so only permitted requests claim keys.</summary>
    public static IApplicationBuilder UseIdempotency(this IApplicationBuilder app) => app.UseMiddleware<IdempotencyMiddleware>();

    /// <summary>Marks the endpoint as honouring <c>Idempotency-Key</c>.</summary>
    public static TBuilder WithIdempotency<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(IdempotencyMetadata.Instance);
}
