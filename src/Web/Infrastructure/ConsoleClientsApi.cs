using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace TicketAspire.Web.Infrastructure;

/// <summary>
/// The reseller's clients at its own issuer (<c>{identity}/{reseller}/clients/…</c>), called with the signed-in
/// administrator's access token: the integrator client's secret metadata and its rotation. The identity service, not the
/// API, keeps the clients and hashes their secrets; it checks the token and the administrator's role and audits a
/// rotation in the reseller's audit log.
/// </summary>
public sealed class ConsoleClientsApi(HttpClient http)
{
    /// <summary>What the issuer says of <paramref name="clientId"/> (no secret: when it was set and by whom).</summary>
    public Task<ApiResult<ConsoleClient>> ClientAsync(ConsoleCaller caller, string clientId, CancellationToken ct) =>
        SendAsync<ConsoleClient>(HttpMethod.Get, $"{Uri.EscapeDataString(caller.Site.Id)}/clients/{Uri.EscapeDataString(clientId)}", caller, ct);

    /// <summary>A new secret for <paramref name="clientId"/>: shown once; the old one stops at once.</summary>
    public Task<ApiResult<RotatedClientSecret>> RotateSecretAsync(ConsoleCaller caller, string clientId, CancellationToken ct) =>
        SendAsync<RotatedClientSecret>(HttpMethod.Post, $"{Uri.EscapeDataString(caller.Site.Id)}/clients/{Uri.EscapeDataString(clientId)}/secret", caller, ct);

    private async Task<ApiResult<T>> SendAsync<T>(HttpMethod method, string path, ConsoleCaller caller, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", caller.User.AccessToken);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct);
        }
        catch (HttpRequestException e)
        {
            return new ApiResult<T>(default, new ApiProblem(503, "identity_unreachable", "The identity service cannot be reached", e.Message, null), 503);
        }

        using (response)
        {
            return response.IsSuccessStatusCode
                ? new ApiResult<T>(await response.Content.ReadFromJsonAsync<T>(TicketApi.Json, ct), null, (int)response.StatusCode)
                : new ApiResult<T>(default, await ConsoleApi.ProblemAsync(response, ct), (int)response.StatusCode);
        }
    }
}

/// <summary>A client of the reseller as its issuer describes it.</summary>
public sealed record ConsoleClient(string ClientId, string? DisplayName, string ClientType, DateTimeOffset? SecretSetAt, string? SecretSetBy);

/// <summary>A rotated client secret, shown once.</summary>
public sealed record RotatedClientSecret(string ClientId, string ClientSecret, DateTimeOffset? SecretSetAt, string? SecretSetBy);
