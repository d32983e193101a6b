using Microsoft.Extensions.Options;
using TicketAspire.Api.Infrastructure;
using TicketAspire.Tenancy;
using TicketAspire.Webhooks.Services;

namespace TicketAspire.Api.Extensions;

/// <summary>What the webhook and mailbox endpoints need.</summary>
public static class WebhookServiceExtensions
{
    public static IHostApplicationBuilder AddWebhooks(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.SectionName)
            .Validate(o => o.SecretOverlap >= TimeSpan.Zero, "Webhooks:SecretOverlap must not be negative")
            .Validate(o => o.MaxEndpoints > 0, "Webhooks:MaxEndpoints must be positive")
            .ValidateOnStart();
        // a development cell lets endpoints use http and loopback or private addresses (tests receive on loopback)
        services.AddSingleton(sp => new WebhookUrlPolicy(sp.GetRequiredService<IOptions<CellOptions>>().Value.Development));
        services.AddScoped(sp => new WebhookEndpointStore(sp.GetRequiredService<ResellerStorage>().Db, sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<WebhookOptions>>().Value));
        return builder;
    }
}
