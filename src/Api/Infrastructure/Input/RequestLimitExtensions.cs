using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace TicketAspire.Api.Infrastructure.Input;

/// <summary>Request body limits on endpoints and groups (<see cref="RequestLimitOptions"/>).</summary>
public static class RequestLimitExtensions
{
    /// <summary>Binds and validates <see cref="RequestLimitOptions"/>.</summary>
    public static IServiceCollection AddRequestLimits(this IServiceCollection services)
    {
        services.AddOptions<RequestLimitOptions>().BindConfiguration(RequestLimitOptions.SectionName)
            .Validate(o => o.MaxBodyBytes >= 1024 && o.MaxEventBodyBytes >= o.MaxBodyBytes,
                "RequestLimits: MaxBodyBytes >= 1024, MaxEventBodyBytes >= MaxBodyBytes")
            .ValidateOnStart();
        return services;
    }

    /// <summary>Every endpoint of <paramref name="group"/> reads at most <see cref="RequestLimitOptions.MaxBodyBytes"/>.</summary>
    public static RouteGroupBuilder WithDefaultBodyLimit(this RouteGroupBuilder group, IServiceProvider services) =>
        group.WithMetadata(new RequestSizeLimitAttribute(Options(services).MaxBodyBytes));

    /// <summary>This endpoint reads at most <see cref="RequestLimitOptions.MaxEventBodyBytes"/>.</summary>
    public static RouteHandlerBuilder WithEventBodyLimit(this RouteHandlerBuilder endpoint, IServiceProvider services) =>
        endpoint.WithMetadata(new RequestSizeLimitAttribute(Options(services).MaxEventBodyBytes));

    private static RequestLimitOptions Options(IServiceProvider services) =>
        services.GetRequiredService<IOptions<RequestLimitOptions>>().Value;
}
