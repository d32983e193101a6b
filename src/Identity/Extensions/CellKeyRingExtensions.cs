using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;
using TicketAspire.Identity.Infrastructure;

namespace TicketAspire.Identity.Extensions;

/// <summary>Hands the cell's key ring to OpenIddict.</summary>
public static class CellKeyRingExtensions
{
    /// <summary>
    /// Binds <see cref="IdentityKeyOptions"/> and adds every certificate of the ring (<see cref="CellKeyRing.Load"/>) to
    /// OpenIddict's signing and encryption credentials, all of them published or used for decryption. OpenIddict sorts
    /// them once when its options are built and signs with the first, so a replica picks its signing key when it starts.
    /// The ring is loaded at start-up: a key problem stops the service with a message naming the setting.
    /// </summary>
    public static IServiceCollection AddCellKeyRing(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<IdentityKeyOptions>().BindConfiguration(IdentityKeyOptions.Section);
        services.AddOptions<OpenIddictServerOptions>()
            .Configure<IOptions<IdentityKeyOptions>, TimeProvider, ILoggerFactory>((options, keys, time, loggers) =>
            {
                var ring = CellKeyRing.Load(keys.Value, time, loggers.CreateLogger(typeof(CellKeyRing).FullName!));
                options.SigningCredentials.AddRange(ring.Signing.Select(certificate =>
                    new SigningCredentials(new X509SecurityKey(certificate), SecurityAlgorithms.RsaSha256)));
                options.EncryptionCredentials.AddRange(ring.Encryption.Select(certificate =>
                    new EncryptingCredentials(new X509SecurityKey(certificate), SecurityAlgorithms.RsaOAEP,
                        SecurityAlgorithms.Aes256CbcHmacSha512)));
            })
            .ValidateOnStart();
        return services;
    }
}
