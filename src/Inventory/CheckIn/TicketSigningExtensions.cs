using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace TicketAspire.Inventory.CheckIn;

/// <summary>The cell's ticket signing settings (<c>Tickets:…</c>).</summary>
public sealed class TicketSigningOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Tickets";

    /// <summary>
    /// The secret every reseller's ticket signing key is derived from (<see cref="TicketSigner"/>), shared by the cell's API
    /// replicas and worker (an AppHost secret parameter; a Kubernetes secret in a deployment). At least 32 characters.
    /// Changing it changes every key: QR codes already sent stop verifying.
    /// </summary>
    public string? SigningSeed { get; set; }
}

/// <summary>Registers the <see cref="TicketSigner"/> of the host (API or worker).</summary>
public static class TicketSigningExtensions
{
    /// <summary>Binds <see cref="TicketSigningOptions"/> (validated at start) and registers the signer.</summary>
    public static IServiceCollection AddTicketSigning(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<TicketSigningOptions>().BindConfiguration(TicketSigningOptions.SectionName)
            .Validate(o => o.SigningSeed is { Length: >= 32 }, "Tickets:SigningSeed must have at least 32 characters")
            .ValidateOnStart();
        services.AddSingleton(sp => new TicketSigner(sp.GetRequiredService<IOptions<TicketSigningOptions>>().Value.SigningSeed!));
        return services;
    }
}
