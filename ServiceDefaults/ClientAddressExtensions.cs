using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The client address of a request behind the cell's proxies (section <c>ForwardedHeaders</c>, from the cell file):
/// <c>X-Forwarded-For</c> is honoured only from <c>KnownProxies</c> (addresses) and <c>KnownNetworks</c> (CIDR ranges),
/// at most <c>ForwardLimit</c> hops (default 1); from anyone else it is ignored. Nothing is trusted by default, loopback
/// included. Everything that reads <c>Connection.RemoteIpAddress</c> afterwards (rate limits, audit, hold guard, sign-in
/// limits) sees the resulting address.
/// </summary>
public static class ClientAddressExtensions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "ForwardedHeaders";

    /// <summary>Binds <see cref="ForwardedHeadersOptions"/> from <see cref="SectionName"/>; a bad address stops start-up.</summary>
    public static TBuilder AddClientAddresses<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        var section = builder.Configuration.GetSection(SectionName);
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure(options => Configure(options, section)).ValidateOnStart();
        return builder;
    }

    /// <summary>Rewrites the client address from <c>X-Forwarded-For</c> of known proxies; the first middleware of the pipeline.</summary>
    public static WebApplication UseClientAddresses(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseForwardedHeaders();
        return app;
    }

    /// <summary>Applies <paramref name="section"/> to <paramref name="options"/>: only X-Forwarded-For, only from what it lists.</summary>
    public static void Configure(ForwardedHeadersOptions options, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(section);
        // the framework trusts loopback by default; a cell trusts exactly what its file lists
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in section.GetSection("KnownProxies").Get<string[]>() ?? [])
        {
            options.KnownProxies.Add(IPAddress.TryParse(proxy, out var address)
                ? address
                : throw new OptionsValidationException(SectionName, typeof(ForwardedHeadersOptions), [$"{SectionName}:KnownProxies: '{proxy}' is not an IP address"]));
        }

        foreach (var network in section.GetSection("KnownNetworks").Get<string[]>() ?? [])
        {
            options.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network, out var parsed)
                ? parsed
                : throw new OptionsValidationException(SectionName, typeof(ForwardedHeadersOptions), [$"{SectionName}:KnownNetworks: '{network}' is not a CIDR range"]));
        }

        // with both lists empty the middleware would believe every peer: then it reads nothing at all
        options.ForwardedHeaders = options.KnownProxies.Count + options.KnownIPNetworks.Count > 0 ? ForwardedHeaders.XForwardedFor : ForwardedHeaders.None;
        var limit = section.GetValue<int?>("ForwardLimit") ?? 1;
        options.ForwardLimit = limit is >= 1 and <= 10
            ? limit
            : throw new OptionsValidationException(SectionName, typeof(ForwardedHeadersOptions), [$"{SectionName}:ForwardLimit must be 1..10 (was {limit})"]);
    }
}
