using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;

namespace TicketAspire.Inventory.Payments;

/// <summary>Registers the cell's payment gateway (the API and the worker both talk to the PSP).</summary>
public static class PaymentGatewayRegistration
{
    /// <summary>Name of the PSP's HTTP client (its resilience options are <c>payments-standard</c>).</summary>
    public const string ClientName = "payments";

    /// <summary>
    /// Binds <see cref="PaymentOptions"/> (section <c>Payments</c>, validated at start) and adds <see cref="IPaymentGateway"/>
    /// over HTTP. Every POST carries an idempotency key, so the standard resilience policy may retry all of them; its
    /// timeouts come from the options.
    /// </summary>
    public static IServiceCollection AddPaymentGateway(this IServiceCollection services)
    {
        services.AddOptions<PaymentOptions>().BindConfiguration(PaymentOptions.SectionName)
            .Validate(o => o.BaseUrl is { IsAbsoluteUri: true }, "Payments:BaseUrl must be an absolute URL (the cell's payment service)")
            .Validate(o => o.ApiKey.Length > 0 && o.WebhookSecret.Length > 0, "Payments:ApiKey and Payments:WebhookSecret are required")
            .Validate(o => o.MaxAttempts is >= 1 and <= 10, "Payments:MaxAttempts is 1 to 10")
            .Validate(o => o.WebhookMaxBodyBytes is >= 1024 and <= 16 * 1024 * 1024, "Payments:WebhookMaxBodyBytes is 1 KiB to 16 MiB")
            .ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<PaymentOptions>>().Value);
        services.AddHttpClient<IPaymentGateway, HttpPaymentGateway>(ClientName, (sp, http) =>
            http.BaseAddress = sp.GetRequiredService<PaymentOptions>().BaseUrl);
        services.AddOptions<HttpStandardResilienceOptions>(ClientName + "-standard").Configure<IOptions<PaymentOptions>>((resilience, payments) =>
        {
            resilience.AttemptTimeout.Timeout = payments.Value.AttemptTimeout;
            resilience.TotalRequestTimeout.Timeout = payments.Value.TotalTimeout;
            resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(30).Ticks, 2 * payments.Value.AttemptTimeout.Ticks));
        });
        return services;
    }
}
