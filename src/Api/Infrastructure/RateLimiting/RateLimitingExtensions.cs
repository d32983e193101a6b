using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TicketAspire.Tenancy;
using TicketAspire.Tenancy.Options;

namespace TicketAspire.Api.Infrastructure.RateLimiting;

/// <summary>
/// Per-client, per-end-user and per-IP rate limiting of the public API on ASP.NET Core's rate limiting middleware,
/// with budgets shared by every replica through each reseller's own Redis (see <see cref="RateLimitOptions"/>).
/// </summary>
public static class RateLimitingExtensions
{
    /// <summary>
    /// Binds <see cref="RateLimitOptions"/> from <c>RateLimiting</c>, each reseller's own budgets from
    /// <c>Resellers:&lt;id&gt;:RateLimiting</c> (all validated on start), and registers the limiter.
    /// Needs the tenancy services (<c>AddMultiTenant</c>) and the reseller registries (<c>AddResellerStorage</c>).
    /// </summary>
    public static IServiceCollection AddApiRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<RateLimitOptions>()
            .Bind(configuration.GetSection(RateLimitOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RateLimitOptions>>(new RateLimitOptionsValidator(configuration)));
        // a reseller's own request budgets (Resellers:<id>:RateLimiting, from the cell file) on top of the section
        services.ConfigurePerTenant<RateLimitOptions, ResellerTenantInfo>((options, reseller) =>
            configuration.GetSection(RateLimitOptionsValidator.ResellerSection(reseller.Id)).Bind(options));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<InProcessSlidingWindow>();
        services.TryAddSingleton<ApiRateLimiter>();
        services.AddProblemDetails();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<ApiRateLimiter>((options, limiter) =>
        {
            options.GlobalLimiter = limiter;
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = RateLimitRejection.WriteAsync;
        });
        return services;
    }

    /// <summary>
    /// Makes the endpoints of <paramref name="builder"/> spend a budget of their own, per client address, instead of the
    /// caller's (supported: <see cref="PartitionKind.PspWebhook"/>).
    /// </summary>
    public static TBuilder WithRateLimitPartition<TBuilder>(this TBuilder builder, PartitionKind kind) where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (kind != PartitionKind.PspWebhook)
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Only the PSP webhook endpoint has a partition of its own.");
        }

        return builder.WithMetadata(new RateLimitPartitionMetadata(kind));
    }

    /// <summary>
    /// Adds the rate limiting middleware (nothing when <c>RateLimiting:Enabled</c> is false). Place it after
    /// authentication and after the reseller has been resolved, so partitions see the caller and the reseller's Redis.
    /// </summary>
    public static IApplicationBuilder UseApiRateLimiting(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.ApplicationServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
        return options.Enabled ? app.UseRateLimiter() : app;
    }
}
