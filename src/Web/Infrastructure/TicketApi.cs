using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace TicketAspire.Web.Infrastructure;

/// <summary>
/// The cell's public API as the storefront calls it: with the reseller's host name (the API resolves the reseller from
/// it, as for any browser) and, for a signed-in buyer, the buyer's own access token, so the API's audit, idempotency,
/// limits and tenancy apply to every call. The storefront never reaches a database.
/// </summary>
public sealed class TicketApi(HttpClient http)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public Task<ApiResult<EventPage>> EventsAsync(ResellerSite site, string? search, CancellationToken ct)
    {
        var query = "page=1&size=50&sort_by=date&order=asc";
        if (!string.IsNullOrWhiteSpace(search))
        {
            query += "&location=" + Uri.EscapeDataString(search.Trim());
        }

        return SendAsync<EventPage>(HttpMethod.Get, $"/v1/events?{query}", site, null, null, ct);
    }

    /// <summary>The jurisdiction's rules as they apply to the reseller (whether guests may buy).</summary>
    public Task<ApiResult<StorefrontRules>> RulesAsync(ResellerSite site, CancellationToken ct) =>
        SendAsync<StorefrontRules>(HttpMethod.Get, "/v1/rules", site, null, null, ct);

    /// <summary>The theme the reseller set (anonymous; null fields are the defaults).</summary>
    public Task<ApiResult<StoredTheme>> StorefrontThemeAsync(ResellerSite site, CancellationToken ct) =>
        SendAsync<StoredTheme>(HttpMethod.Get, "/v1/storefront/theme", site, null, null, ct);

    public Task<ApiResult<EventDetail>> EventAsync(ResellerSite site, Guid id, CancellationToken ct) =>
        SendAsync<EventDetail>(HttpMethod.Get, $"/v1/events/{id}", site, null, null, ct);

    public Task<ApiResult<SeatMap>> SeatsAsync(ResellerSite site, Guid id, CancellationToken ct) =>
        SendAsync<SeatMap>(HttpMethod.Get, $"/v1/events/{id}/seats?limit=5000", site, null, null, ct);

    public Task<ApiResult<Hold>> HoldSeatsAsync(ResellerSite site, string token, Guid eventId, IEnumerable<Guid> seatIds, string? admissionToken, CancellationToken ct) =>
        SendAsync<Hold>(HttpMethod.Post, "/v1/holds", site, token, new { event_id = eventId, seat_ids = seatIds.ToArray(), expire_in_seconds = 600, admission_token = admissionToken }, ct,
            idempotencyKey: Guid.NewGuid().ToString("N"));

    public Task<ApiResult<Hold>> HoldTicketsAsync(ResellerSite site, string token, Guid eventId, Guid classId, int quantity, string? admissionToken, CancellationToken ct) =>
        SendAsync<Hold>(HttpMethod.Post, "/v1/holds", site, token,
            new { event_id = eventId, tickets = new[] { new { class_id = classId, quantity } }, expire_in_seconds = 600, admission_token = admissionToken }, ct,
            idempotencyKey: Guid.NewGuid().ToString("N"));

    /// <summary>Joins the event's waiting room (joining again answers the same place).</summary>
    public Task<ApiResult<QueuePlace>> JoinQueueAsync(ResellerSite site, string token, Guid eventId, CancellationToken ct) =>
        SendAsync<QueuePlace>(HttpMethod.Post, $"/v1/queue/events/{eventId}/join", site, token, new { }, ct);

    /// <summary>The buyer's place in the event's waiting room (404 when not in line).</summary>
    public Task<ApiResult<QueuePlace>> QueuePlaceAsync(ResellerSite site, string token, Guid eventId, CancellationToken ct) =>
        SendAsync<QueuePlace>(HttpMethod.Get, $"/v1/queue/events/{eventId}/me", site, token, null, ct);

    public Task<ApiResult<Hold>> HoldAsync(ResellerSite site, string token, Guid holdId, CancellationToken ct) =>
        SendAsync<Hold>(HttpMethod.Get, $"/v1/holds/{holdId}", site, token, null, ct);

    public Task<ApiResult<Payment>> StartPaymentAsync(ResellerSite site, string token, Guid holdId, CancellationToken ct) =>
        SendAsync<Payment>(HttpMethod.Post, $"/v1/holds/{holdId}/payment", site, token, null, ct);

    public Task<ApiResult<Order>> ConfirmAsync(ResellerSite site, string token, Guid holdId, CancellationToken ct) =>
        SendAsync<Order>(HttpMethod.Post, $"/v1/holds/{holdId}/confirm", site, token, null, ct);

    public Task<ApiResult<object>> CancelHoldAsync(ResellerSite site, string token, Guid holdId, CancellationToken ct) =>
        SendAsync<object>(HttpMethod.Delete, $"/v1/holds/{holdId}", site, token, null, ct);

    public Task<ApiResult<OrderList>> MyOrdersAsync(ResellerSite site, string token, CancellationToken ct) =>
        SendAsync<OrderList>(HttpMethod.Get, "/v1/me/orders", site, token, null, ct);

    public Task<ApiResult<TicketQrPayload>> TicketQrAsync(ResellerSite site, string token, Guid ticketId, CancellationToken ct) =>
        SendAsync<TicketQrPayload>(HttpMethod.Get, $"/v1/tickets/{ticketId}/qr", site, token, null, ct);

    public Task<ApiResult<Order>> RefundMyOrderAsync(ResellerSite site, string token, Guid orderId, CancellationToken ct) =>
        SendAsync<Order>(HttpMethod.Post, $"/v1/me/orders/{orderId}/refund", site, token, new { reason = "Refund requested in the storefront" }, ct,
            idempotencyKey: $"refund-{orderId}");

    /// <summary>
    /// The event's live seat changes (the API's Server-Sent Events), resumed with <c>Last-Event-ID</c> after a dropped
    /// connection; a <c>snapshot</c> with <c>reset</c> means the log moved on: the caller reads the seat map again.
    /// </summary>
    public async IAsyncEnumerable<SseItem<string>> StreamAsync(ResellerSite site, Guid eventId, [EnumeratorCancellation] CancellationToken ct)
    {
        string? lastId = null;
        while (!ct.IsCancellationRequested)
        {
            HttpResponseMessage? response = null;
            try
            {
                using var request = Request(HttpMethod.Get, $"/v1/events/{eventId}/stream", site, null);
                if (lastId is not null)
                {
                    request.Headers.Add("Last-Event-ID", lastId);
                }

                response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            }
            catch (HttpRequestException)
            {
                response?.Dispose();
                response = null;
            }

            if (response is { IsSuccessStatusCode: true })
            {
                using (response)
                {
                    var stream = await response.Content.ReadAsStreamAsync(ct);
                    var items = SseParser.Create(stream).EnumerateAsync(ct).GetAsyncEnumerator(ct);
                    try
                    {
                        while (true)
                        {
                            bool more;
                            try
                            {
                                more = await items.MoveNextAsync();
                            }
                            catch (Exception e) when (e is IOException or HttpRequestException)
                            {
                                break;
                            }

                            if (!more)
                            {
                                break;
                            }

                            if (items.Current.EventId is { Length: > 0 } id)
                            {
                                lastId = id;
                            }

                            yield return items.Current;
                        }
                    }
                    finally
                    {
                        await items.DisposeAsync();
                    }
                }
            }
            else
            {
                response?.Dispose();
            }

            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }
    }

    private async Task<ApiResult<T>> SendAsync<T>(HttpMethod method, string path, ResellerSite site, string? token, object? body, CancellationToken ct,
        string? idempotencyKey = null)
    {
        using var request = Request(method, path, site, token);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: Json);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        using var response = await http.SendAsync(request, ct);
        if (response.IsSuccessStatusCode)
        {
            var value = response.StatusCode == HttpStatusCode.NoContent ? default : await response.Content.ReadFromJsonAsync<T>(Json, ct);
            return new ApiResult<T>(value, null, (int)response.StatusCode);
        }

        ApiProblem? problem = null;
        try
        {
            problem = await response.Content.ReadFromJsonAsync<ApiProblem>(Json, ct);
        }
        catch (JsonException)
        {
        }

        return new ApiResult<T>(default, problem ?? new ApiProblem((int)response.StatusCode, null, response.ReasonPhrase, null, null), (int)response.StatusCode);
    }

    private static HttpRequestMessage Request(HttpMethod method, string path, ResellerSite site, string? token)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Host = site.Hosts[0];
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }
}

/// <summary>An API answer: the value on success, else the problem details.</summary>
public sealed record ApiResult<T>(T? Value, ApiProblem? Problem, int Status)
{
    public bool Ok => Problem is null;
}
