using Microsoft.AspNetCore.Http.HttpResults;

namespace TicketAspire.Api.Infrastructure.Shedding;

/// <summary>Wiring of load shedding.</summary>
public static class SheddingExtensions
{
    /// <summary>Binds and validates <see cref="SheddingOptions"/> and registers the process's <see cref="LoadMeter"/>.</summary>
    public static IServiceCollection AddLoadShedding(this IServiceCollection services)
    {
        services.AddOptions<SheddingOptions>().BindConfiguration(SheddingOptions.SectionName)
            .Validate(o => o.IsValid(), "Shedding: MaxInFlight >= 1, 0 < BrowseThreshold <= PurchaseThreshold <= 1, RetryAfterSeconds >= 1, SimulatedLoad 0..1")
            .ValidateOnStart();
        services.AddSingleton<LoadMeter>();
        return services;
    }

    /// <summary>Sheds API requests under overload; first in the pipeline so a refusal costs next to nothing.</summary>
    public static IApplicationBuilder UseLoadShedding(this IApplicationBuilder app) => app.UseMiddleware<LoadSheddingMiddleware>();

    /// <summary>
    /// <c>GET/PUT /test/shedding</c>: read and set the simulated load. Mapped only with <c>Shedding:EnableTestControl=true</c>
    /// (the AppHost tests); never in a deployment.
    /// </summary>
    public static IEndpointRouteBuilder MapSheddingTestControl(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (!app.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<SheddingOptions>>().Value.EnableTestControl)
        {
            return app;
        }

        app.MapGet("/test/shedding", (LoadMeter meter) => State(meter)).ExcludeFromDescription();
        app.MapPut("/test/shedding", Results<Ok<SheddingState>, ProblemHttpResult> (SimulatedLoadRequest request, LoadMeter meter) =>
        {
            if (request.SimulatedLoad is < 0 or > 1)
            {
                return Problems.Invalid("simulated_load", "Between 0 and 1.");
            }

            meter.SimulatedLoad = request.SimulatedLoad;
            return State(meter);
        }).ExcludeFromDescription();
        return app;
    }

    private static Ok<SheddingState> State(LoadMeter meter) =>
        TypedResults.Ok(new SheddingState(meter.Load, meter.InFlight, meter.SimulatedLoad, meter.AverageReadLatency().TotalMilliseconds));
}

/// <summary>Sets the simulated load (null: back to the configured one).</summary>
public sealed record SimulatedLoadRequest(double? SimulatedLoad);

/// <summary>The shedding state of this process.</summary>
public sealed record SheddingState(double Load, int InFlight, double? SimulatedLoad, double AverageReadLatencyMs);
