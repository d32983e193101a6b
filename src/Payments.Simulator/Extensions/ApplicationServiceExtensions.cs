using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TicketAspire.Payments.Simulator.Infrastructure;

namespace TicketAspire.Payments.Simulator.Extensions;

/// <summary>Everything the simulator needs besides the service defaults.</summary>
public static class ApplicationServiceExtensions
{
    /// <summary>Options, JSON, problem details, storage, the webhook sender and the scheduled work.</summary>
    public static IHostApplicationBuilder AddPaymentsSimulator(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<PspOptions>()
            .Configure<IConfiguration>((o, config) => o.Bind(config.GetSection(PspOptions.SectionName)))
            .Validate(o => !string.IsNullOrWhiteSpace(o.ApiKey), "Psp:ApiKey is required")
            .Validate(o => string.IsNullOrWhiteSpace(o.WebhookUrl) || Uri.TryCreate(o.WebhookUrl, UriKind.Absolute, out _), "Psp:WebhookUrl must be an absolute URL")
            .Validate(o => string.IsNullOrWhiteSpace(o.WebhookUrl) || !string.IsNullOrEmpty(o.WebhookSecret), "Psp:WebhookSecret is required when Psp:WebhookUrl is set")
            .Validate(o => o.DisputeFeeMinor >= 0 && o.AsyncDelay >= TimeSpan.Zero && o.DisputeDelay >= TimeSpan.Zero && o.FraudDelay >= TimeSpan.Zero
                           && o.PollInterval > TimeSpan.Zero && o.WebhookTimeout > TimeSpan.Zero && o.WebhookRetrySchedule.All(d => d >= TimeSpan.Zero),
                "Psp: delays must not be negative, PollInterval and WebhookTimeout must be positive")
            .ValidateOnStart();

        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.DictionaryKeyPolicy = null;
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        });
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            // problems the framework writes (unknown route, wrong method) get a stable code too
            var code = PspProblems.CodeForStatus(ctx.ProblemDetails.Status ?? ctx.HttpContext.Response.StatusCode);
            if (ctx.ProblemDetails.Extensions.TryAdd("code", code))
            {
                ctx.ProblemDetails.Type = PspProblems.TypeBase + code;
            }
        });
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddExceptionHandler<BadRequestExceptionHandler>();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<PspDatabase>();
        services.AddSingleton<WebhookOutbox>();
        services.AddSingleton<PaymentStore>();
        services.AddSingleton<IdempotencyStore>();
        services.AddSingleton<FaultInjector>();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("sqlite");
        services.AddHostedService<ScheduledWorkProcessor>();
        services.AddHostedService<WebhookSender>();
        // one attempt per delivery: retries follow Psp:WebhookRetrySchedule, not the standard resilience handler
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental; it is the documented way to opt out
        services.AddHttpClient(WebhookSender.HttpClientName, (sp, client) =>
                client.Timeout = sp.GetRequiredService<IOptions<PspOptions>>().Value.WebhookTimeout + TimeSpan.FromSeconds(1))
            .RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        return builder;
    }

    /// <summary>
    /// The request pipeline: problem details for errors, then per endpoint the API key check, armed faults and
    /// idempotency, in that order (a fault's 503 is never stored; a timeout's response is).
    /// </summary>
    public static WebApplication UsePaymentsSimulator(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // requests of an earlier process are not running any more: their unfinished idempotency claims would block retries
        app.Services.GetRequiredService<IdempotencyStore>().ReleaseAbandonedAsync().GetAwaiter().GetResult();

        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRouting();
        app.UseMiddleware<ApiKeyMiddleware>();
        app.UseMiddleware<FaultMiddleware>();
        app.UseMiddleware<IdempotencyMiddleware>();
        return app;
    }
}
