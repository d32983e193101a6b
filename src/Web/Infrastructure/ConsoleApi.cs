using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace TicketAspire.Web.Infrastructure;

/// <summary>
/// The cell's public API as the reseller console calls it: with the reseller's host name and the signed-in
/// administrator's own access token (which carries the reseller integrator's scopes), so the API's authorization, audit,
/// limits and tenancy apply to every call exactly as to the reseller's back end. The console never reaches a database.
/// </summary>
public sealed class ConsoleApi(HttpClient http)
{
    private static readonly JsonSerializerOptions Json = TicketApi.Json;

    public Task<ApiResult<EventTypeList>> EventTypesAsync(ConsoleCaller caller, CancellationToken ct) =>
        SendAsync<EventTypeList>(HttpMethod.Get, "/v1/event-types", caller, null, ct);

    public Task<ApiResult<ResellerRules>> RulesAsync(ConsoleCaller caller, CancellationToken ct) =>
        SendAsync<ResellerRules>(HttpMethod.Get, "/v1/rules", caller, null, ct);

    /// <summary>The reseller's events, latest start first (<paramref name="search"/>: city, venue or country).</summary>
    public Task<ApiResult<EventPage>> EventsAsync(ConsoleCaller caller, int page, string? search, CancellationToken ct)
    {
        var query = $"page={page.ToString(CultureInfo.InvariantCulture)}&size=25&sort_by=date&order=desc";
        if (!string.IsNullOrWhiteSpace(search))
        {
            query += "&location=" + Uri.EscapeDataString(search.Trim());
        }

        return SendAsync<EventPage>(HttpMethod.Get, $"/v1/events?{query}", caller, null, ct);
    }

    public Task<ApiResult<ConsoleEvent>> EventAsync(ConsoleCaller caller, Guid id, CancellationToken ct) =>
        SendAsync<ConsoleEvent>(HttpMethod.Get, $"/v1/events/{id}", caller, null, ct);

    /// <summary><c>POST /v1/events</c> with a body the event form built (<see cref="EventForm.ToCreateRequest"/>).</summary>
    public Task<ApiResult<ConsoleEvent>> CreateEventAsync(ConsoleCaller caller, object body, CancellationToken ct) =>
        SendAsync<ConsoleEvent>(HttpMethod.Post, "/v1/events", caller, body, ct);

    /// <summary><c>PATCH /v1/events/{id}</c> with only the fields that changed.</summary>
    public Task<ApiResult<EventUpdated>> UpdateEventAsync(ConsoleCaller caller, Guid id, object body, CancellationToken ct) =>
        SendAsync<EventUpdated>(HttpMethod.Patch, $"/v1/events/{id}", caller, body, ct);

    public Task<ApiResult<EventCancelled>> CancelEventAsync(ConsoleCaller caller, Guid id, string? reason, CancellationToken ct) =>
        SendAsync<EventCancelled>(HttpMethod.Post, $"/v1/events/{id}/cancel", caller, new { reason }, ct);

    /// <summary>The sales report grouped by <paramref name="groupBy"/> (<c>event</c>, <c>class</c> or <c>day</c>) over [from, to).</summary>
    public Task<ApiResult<SalesReport>> SalesAsync(ConsoleCaller caller, string groupBy, DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct) =>
        SendAsync<SalesReport>(HttpMethod.Get, $"/v1/reports/sales?group_by={Uri.EscapeDataString(groupBy)}{Period(from, to)}", caller, null, ct);

    public Task<ApiResult<Statement>> StatementAsync(ConsoleCaller caller, DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct) =>
        SendAsync<Statement>(HttpMethod.Get, "/v1/reports/statement?" + Period(from, to).TrimStart('&'), caller, null, ct);

    public Task<ApiResult<PayoutForecast>> PayoutsAsync(ConsoleCaller caller, CancellationToken ct) =>
        SendAsync<PayoutForecast>(HttpMethod.Get, "/v1/reports/payouts", caller, null, ct);

    /// <summary>
    /// One of the API's CSV reports (<c>sales</c>, <c>statement</c>, <c>payouts</c>), with <paramref name="query"/> passed on:
    /// the response, unread, for the caller to stream on (and dispose), or the problem.
    /// </summary>
    public async Task<CsvReport> CsvAsync(ConsoleCaller caller, string report, string query, CancellationToken ct)
    {
        using var request = Request(HttpMethod.Get, $"/v1/reports/{report}?format=csv{(query.Length > 0 ? "&" + query : "")}", caller);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (response.IsSuccessStatusCode)
        {
            return new CsvReport(response, null);
        }

        using (response)
        {
            return new CsvReport(null, await ProblemAsync(response, ct));
        }
    }

    public Task<ApiResult<WebhookEndpointList>> WebhookEndpointsAsync(ConsoleCaller caller, CancellationToken ct) =>
        SendAsync<WebhookEndpointList>(HttpMethod.Get, "/v1/webhooks/endpoints", caller, null, ct);

    public Task<ApiResult<WebhookEventTypeList>> WebhookEventTypesAsync(ConsoleCaller caller, CancellationToken ct) =>
        SendAsync<WebhookEventTypeList>(HttpMethod.Get, "/v1/webhooks/event-types", caller, null, ct);

    /// <summary>Registers an endpoint: the answer carries its signing secret, shown this once.</summary>
    public Task<ApiResult<WebhookEndpoint>> CreateWebhookEndpointAsync(ConsoleCaller caller, string url, string? description, IReadOnlyList<string> eventTypes,
        CancellationToken ct) =>
        SendAsync<WebhookEndpoint>(HttpMethod.Post, "/v1/webhooks/endpoints", caller,
            new { url, description = string.IsNullOrWhiteSpace(description) ? null : description, event_types = eventTypes }, ct);

    public Task<ApiResult<WebhookEndpoint>> SetWebhookEndpointEnabledAsync(ConsoleCaller caller, Guid id, bool enabled, CancellationToken ct) =>
        SendAsync<WebhookEndpoint>(HttpMethod.Patch, $"/v1/webhooks/endpoints/{id}", caller, new { enabled }, ct);

    public Task<ApiResult<object>> DeleteWebhookEndpointAsync(ConsoleCaller caller, Guid id, CancellationToken ct) =>
        SendAsync<object>(HttpMethod.Delete, $"/v1/webhooks/endpoints/{id}", caller, null, ct);

    public Task<ApiResult<RotatedSecret>> RotateWebhookSecretAsync(ConsoleCaller caller, Guid id, CancellationToken ct) =>
        SendAsync<RotatedSecret>(HttpMethod.Post, $"/v1/webhooks/endpoints/{id}/secret/rotate", caller, null, ct);

    /// <summary>An endpoint's deliveries, newest first (<paramref name="status"/>: pending, delivered, dead, disabled, or all).</summary>
    public Task<ApiResult<DeliveryPage>> WebhookDeliveriesAsync(ConsoleCaller caller, Guid id, string? status, int page, CancellationToken ct) =>
        SendAsync<DeliveryPage>(HttpMethod.Get,
            $"/v1/webhooks/endpoints/{id}/deliveries?page={page.ToString(CultureInfo.InvariantCulture)}&size=25{(string.IsNullOrEmpty(status) ? "" : "&status=" + Uri.EscapeDataString(status))}",
            caller, null, ct);

    /// <summary>Queues again every delivery of the endpoint with <paramref name="status"/> (dead by default).</summary>
    public Task<ApiResult<Replayed>> ReplayWebhookEndpointAsync(ConsoleCaller caller, Guid id, string status, CancellationToken ct) =>
        SendAsync<Replayed>(HttpMethod.Post, $"/v1/webhooks/endpoints/{id}/replay?status={Uri.EscapeDataString(status)}", caller, null, ct);

    public Task<ApiResult<Replayed>> ReplayWebhookDeliveryAsync(ConsoleCaller caller, Guid deliveryId, CancellationToken ct) =>
        SendAsync<Replayed>(HttpMethod.Post, $"/v1/webhooks/deliveries/{deliveryId}/replay", caller, null, ct);

    public Task<ApiResult<SupportTicketPage>> SupportTicketsAsync(ConsoleCaller caller, string? status, int page, CancellationToken ct) =>
        SendAsync<SupportTicketPage>(HttpMethod.Get,
            $"/v1/support/tickets?page={page.ToString(CultureInfo.InvariantCulture)}&size=25{(string.IsNullOrEmpty(status) ? "" : "&status=" + Uri.EscapeDataString(status))}",
            caller, null, ct);

    public Task<ApiResult<SupportTicket>> SupportTicketAsync(ConsoleCaller caller, Guid id, CancellationToken ct) =>
        SendAsync<SupportTicket>(HttpMethod.Get, $"/v1/support/tickets/{id}", caller, null, ct);

    /// <summary>Opens a ticket; <paramref name="idempotencyKey"/> makes a double submission one ticket.</summary>
    public Task<ApiResult<SupportTicket>> OpenSupportTicketAsync(ConsoleCaller caller, string subject, string body, string category, string priority,
        string idempotencyKey, CancellationToken ct) =>
        SendAsync<SupportTicket>(HttpMethod.Post, "/v1/support/tickets", caller, new { subject, body, category, priority }, ct, idempotencyKey);

    public Task<ApiResult<SupportReply>> ReplySupportTicketAsync(ConsoleCaller caller, Guid id, string body, string idempotencyKey, CancellationToken ct) =>
        SendAsync<SupportReply>(HttpMethod.Post, $"/v1/support/tickets/{id}/messages", caller, new { body }, ct, idempotencyKey);

    public Task<ApiResult<SupportTicketSummary>> CloseSupportTicketAsync(ConsoleCaller caller, Guid id, CancellationToken ct) =>
        SendAsync<SupportTicketSummary>(HttpMethod.Post, $"/v1/support/tickets/{id}/status", caller, new { status = "closed" }, ct);

    public Task<ApiResult<StoredTheme>> StorefrontThemeAsync(ConsoleCaller caller, CancellationToken ct) =>
        SendAsync<StoredTheme>(HttpMethod.Get, "/v1/storefront/theme", caller, null, ct);

    public Task<ApiResult<StoredTheme>> UpdateStorefrontThemeAsync(ConsoleCaller caller, object body, CancellationToken ct) =>
        SendAsync<StoredTheme>(HttpMethod.Put, "/v1/storefront/theme", caller, body, ct);

    /// <summary>Uploads the logo: <paramref name="image"/> is the body, sent with its content type.</summary>
    public Task<ApiResult<StoredLogo>> UploadStorefrontLogoAsync(ConsoleCaller caller, byte[] image, string contentType, CancellationToken ct) =>
        SendAsync<StoredLogo>(HttpMethod.Put, "/v1/storefront/theme/logo", caller, new ByteArrayContent(image) { Headers = { ContentType = new(contentType) } }, ct);

    public Task<ApiResult<object>> RemoveStorefrontLogoAsync(ConsoleCaller caller, CancellationToken ct) =>
        SendAsync<object>(HttpMethod.Delete, "/v1/storefront/theme/logo", caller, null, ct);

    private static string Period(DateTimeOffset? from, DateTimeOffset? to) =>
        (from is { } f ? "&from=" + Uri.EscapeDataString(f.ToString("O", CultureInfo.InvariantCulture)) : "")
        + (to is { } t ? "&to=" + Uri.EscapeDataString(t.ToString("O", CultureInfo.InvariantCulture)) : "");

    private async Task<ApiResult<T>> SendAsync<T>(HttpMethod method, string path, ConsoleCaller caller, object? body, CancellationToken ct,
        string? idempotencyKey = null)
    {
        using var request = Request(method, path, caller);
        if (body is not null)
        {
            request.Content = body as HttpContent ?? JsonContent.Create(body, options: Json);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct);
        }
        catch (HttpRequestException e)
        {
            return new ApiResult<T>(default, new ApiProblem(503, "api_unreachable", "The API cannot be reached", e.Message, null), 503);
        }

        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                var value = response.StatusCode == HttpStatusCode.NoContent ? default : await response.Content.ReadFromJsonAsync<T>(Json, ct);
                return new ApiResult<T>(value, null, (int)response.StatusCode);
            }

            return new ApiResult<T>(default, await ProblemAsync(response, ct), (int)response.StatusCode);
        }
    }

    internal static async Task<ApiProblem> ProblemAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            if (await response.Content.ReadFromJsonAsync<ApiProblem>(Json, ct) is { } problem)
            {
                return problem;
            }
        }
        catch (JsonException)
        {
        }

        return new ApiProblem((int)response.StatusCode, null, response.ReasonPhrase, null, null);
    }

    private static HttpRequestMessage Request(HttpMethod method, string path, ConsoleCaller caller)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Host = caller.Site.Hosts[0];
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", caller.User.AccessToken);
        return request;
    }
}

/// <summary>Who the console calls the API as: the reseller of the host and its signed-in administrator.</summary>
public sealed record ConsoleCaller(ResellerSite Site, ConsoleUser User);
