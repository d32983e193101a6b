using System.Net;
using System.Net.Sockets;
using System.Security.Claims;
using Microsoft.AspNetCore.RateLimiting;

namespace TicketAspire.Api.Infrastructure.RateLimiting;

/// <summary>
/// Maps a request to its partition from the authenticated principal (JWT claim names as issued: <c>kind</c>,
/// <c>client_id</c>, <c>sub</c>) or, without one, from the client IP address.
/// </summary>
/// <remarks>
/// Keys: integrator <c>ta:rl:client:{client_id}</c>, customer <c>ta:rl:user:{sub}</c> (writes
/// <c>ta:rl:write:user:{sub}</c>), staff <c>ta:rl:staff:{sub}</c>, anonymous <c>ta:rl:ip:{address}</c> (writes
/// <c>ta:rl:write:ip:{address}</c>), the PSP's webhook endpoint <c>ta:rl:psp:ip:{address}</c>. IPv6 addresses count per /64, the block one subscriber usually holds, so rotating
/// addresses inside it gains nothing. A principal whose kind is unknown or whose id claim is missing counts as anonymous.
/// </remarks>
internal static class ApiPartitioner
{
    /// <summary>Prefix of every rate limit key.</summary>
    public const string KeyPrefix = "ta:rl:";

    private const string ClientPrefix = KeyPrefix + "client:";
    private const string UserPrefix = KeyPrefix + "user:";
    private const string UserWritePrefix = KeyPrefix + "write:user:";
    private const string StaffPrefix = KeyPrefix + "staff:";
    private const string IpPrefix = KeyPrefix + "ip:";
    private const string IpWritePrefix = KeyPrefix + "write:ip:";
    private const string PspPrefix = KeyPrefix + "psp:ip:";

    /// <summary>
    /// Anything outside the API (<see cref="ApiPaths.IsApi"/>: health probes, documentation) and endpoints marked
    /// <c>DisableRateLimiting</c> are never limited.
    /// </summary>
    public static bool IsExempt(HttpContext context) =>
        !ApiPaths.IsApi(context.Request.Path)
        || context.GetEndpoint()?.Metadata.GetMetadata<DisableRateLimitingAttribute>() is not null;

    /// <summary>The partition of <paramref name="context"/>.</summary>
    public static ApiPartition Resolve(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<RateLimitPartitionMetadata>() is { Kind: PartitionKind.PspWebhook })
        {
            // the PSP proves itself with a signature, not a token: a budget per address that no other caller spends
            return new ApiPartition(PartitionKind.PspWebhook, IpKey(PspPrefix, context.Connection.RemoteIpAddress));
        }

        var write = IsWrite(context.Request.Method);
        var user = context.User;
        if (user.Identity is { IsAuthenticated: true })
        {
            switch (user.FindFirst("kind")?.Value)
            {
                case "integrator" when (Id(user, "client_id") ?? Id(user, "sub")) is { } client:
                    return new ApiPartition(PartitionKind.Integrator, ClientPrefix + client);
                case "customer" when Id(user, "sub") is { } sub:
                    return write
                        ? new ApiPartition(PartitionKind.CustomerWrite, UserWritePrefix + sub)
                        : new ApiPartition(PartitionKind.Customer, UserPrefix + sub);
                case "guest" when Id(user, "sub") is { } sub:
                    // a guest buyer spends a customer's budget (a guest's subject is as random as an end user's id)
                    return write
                        ? new ApiPartition(PartitionKind.CustomerWrite, UserWritePrefix + "guest:" + sub)
                        : new ApiPartition(PartitionKind.Customer, UserPrefix + "guest:" + sub);
                case "staff" when Id(user, "sub") is { } sub:
                    return new ApiPartition(PartitionKind.Staff, StaffPrefix + sub);
            }
        }

        return write
            ? new ApiPartition(PartitionKind.AnonymousWrite, IpKey(IpWritePrefix, context.Connection.RemoteIpAddress))
            : new ApiPartition(PartitionKind.Anonymous, IpKey(IpPrefix, context.Connection.RemoteIpAddress));
    }

    private static bool IsWrite(string method) =>
        HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method) || HttpMethods.IsDelete(method);

    private static string? Id(ClaimsPrincipal user, string claimType) =>
        user.FindFirst(claimType)?.Value is { Length: > 0 } value ? value : null;

    /// <summary>
    /// The rate-limit key of a client address under <paramref name="prefix"/>: IPv4-mapped addresses as IPv4, IPv6 per /64.
    /// </summary>
    public static string IpKey(string prefix, IPAddress? address)
    {
        if (address is null)
        {
            return prefix + "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var suffix = "";
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            Span<byte> bytes = stackalloc byte[16];
            address.TryWriteBytes(bytes, out _);
            bytes[8..].Clear();
            address = new IPAddress(bytes);
            suffix = "/64";
        }

        // prefix + address (at most 45 characters) + suffix, formatted in place: one string per request
        Span<char> buffer = stackalloc char[prefix.Length + 48];
        prefix.CopyTo(buffer);
        address.TryFormat(buffer[prefix.Length..], out var written);
        var length = prefix.Length + written;
        suffix.CopyTo(buffer[length..]);
        return new string(buffer[..(length + suffix.Length)]);
    }
}
