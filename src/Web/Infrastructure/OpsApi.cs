using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace TicketAspire.Web.Infrastructure;

/// <summary>
/// The cell's API as the support and operator console calls it: always with the signed-in staff member's own access
/// token, on the target reseller's host for that reseller's data (the API serves staff a reseller's data on its host) or
/// on the cell's own host for <c>/v1/admin</c>. Every call of staff is in the reseller's audit log; the console never
/// reaches a database.
/// </summary>
public sealed class OpsApi(HttpClient http)
{
    /// <summary>Each reseller's database, Redis and issuer, checked now (operators).</summary>
    public Task<ApiResult<ResellerHealthReport>> HealthAsync(string platformHost, string token, CancellationToken ct) =>
        SendAsync<ResellerHealthReport>(HttpMethod.Get, "/v1/admin/resellers/health", platformHost, token, null, ct);

    /// <summary>The reseller's support tickets, newest first (<paramref name="status"/> empty: all).</summary>
    public Task<ApiResult<StaffTicketPage>> TicketsAsync(ResellerSite site, string token, string? status, CancellationToken ct) =>
        SendAsync<StaffTicketPage>(HttpMethod.Get, "/v1/support/tickets?size=100" + (string.IsNullOrEmpty(status) ? "" : "&status=" + Uri.EscapeDataString(status)),
            site.Hosts[0], token, null, ct);

    public Task<ApiResult<StaffTicket>> TicketAsync(ResellerSite site, string token, Guid id, CancellationToken ct) =>
        SendAsync<StaffTicket>(HttpMethod.Get, $"/v1/support/tickets/{id}", site.Hosts[0], token, null, ct);

    public Task<ApiResult<JsonElement>> ReplyAsync(ResellerSite site, string token, Guid id, string body, CancellationToken ct) =>
        SendAsync<JsonElement>(HttpMethod.Post, $"/v1/support/tickets/{id}/messages", site.Hosts[0], token, new { body }, ct);

    public Task<ApiResult<JsonElement>> SetTicketStatusAsync(ResellerSite site, string token, Guid id, string status, CancellationToken ct) =>
        SendAsync<JsonElement>(HttpMethod.Post, $"/v1/support/tickets/{id}/status", site.Hosts[0], token, new { status }, ct);

    public Task<ApiResult<StaffOrder>> OrderAsync(ResellerSite site, string token, Guid id, CancellationToken ct) =>
        SendAsync<StaffOrder>(HttpMethod.Get, $"/v1/orders/{id}", site.Hosts[0], token, null, ct);

    /// <summary>Refunds the order past the event's policy (support forces it; audited).</summary>
    public Task<ApiResult<JsonElement>> ForceRefundAsync(ResellerSite site, string token, Guid id, string reason, CancellationToken ct) =>
        SendAsync<JsonElement>(HttpMethod.Post, $"/v1/orders/{id}/refund", site.Hosts[0], token, new { reason }, ct, idempotencyKey: Guid.NewGuid().ToString("N"));

    /// <summary>Queues the order confirmation e-mail with the order's valid tickets again.</summary>
    public Task<ApiResult<TicketsResent>> ResendTicketsAsync(ResellerSite site, string token, Guid id, CancellationToken ct) =>
        SendAsync<TicketsResent>(HttpMethod.Post, $"/v1/orders/{id}/resend-tickets", site.Hosts[0], token, null, ct);

    /// <summary>Ends the account's hold-abuse block.</summary>
    public Task<ApiResult<JsonElement>> UnblockAccountAsync(ResellerSite site, string token, string customerRef, CancellationToken ct) =>
        SendAsync<JsonElement>(HttpMethod.Delete, $"/v1/account-blocks/{Uri.EscapeDataString(customerRef)}", site.Hosts[0], token, null, ct);

    public Task<ApiResult<WaitingRoom>> WaitingRoomAsync(ResellerSite site, string token, Guid eventId, CancellationToken ct) =>
        SendAsync<WaitingRoom>(HttpMethod.Get, $"/v1/events/{eventId}/waiting-room", site.Hosts[0], token, null, ct);

    /// <summary>Marks the show high-traffic: its waiting room on from now, admitting <paramref name="perMinute"/> buyers a minute.</summary>
    public Task<ApiResult<WaitingRoom>> TurnOnWaitingRoomAsync(ResellerSite site, string token, Guid eventId, DateTimeOffset onSaleAt, int perMinute, CancellationToken ct) =>
        SendAsync<WaitingRoom>(HttpMethod.Put, $"/v1/events/{eventId}/waiting-room", site.Hosts[0], token,
            new { on_sale_at = onSaleAt, admit_per_minute = perMinute, window_seconds = 600 }, ct);

    public Task<ApiResult<StaffWebhookEndpointList>> WebhookEndpointsAsync(ResellerSite site, string token, CancellationToken ct) =>
        SendAsync<StaffWebhookEndpointList>(HttpMethod.Get, "/v1/webhooks/endpoints", site.Hosts[0], token, null, ct);

    /// <summary>An endpoint's dead letters (deliveries that gave up), newest first.</summary>
    public Task<ApiResult<StaffDeliveryPage>> DeadDeliveriesAsync(ResellerSite site, string token, Guid endpointId, CancellationToken ct) =>
        SendAsync<StaffDeliveryPage>(HttpMethod.Get, $"/v1/webhooks/endpoints/{endpointId}/deliveries?status=dead&size=100", site.Hosts[0], token, null, ct);

    public Task<ApiResult<JsonElement>> ReplayDeliveryAsync(ResellerSite site, string token, Guid deliveryId, CancellationToken ct) =>
        SendAsync<JsonElement>(HttpMethod.Post, $"/v1/webhooks/deliveries/{deliveryId}/replay", site.Hosts[0], token, null, ct);

    public Task<ApiResult<JsonElement>> ReplayEndpointAsync(ResellerSite site, string token, Guid endpointId, CancellationToken ct) =>
        SendAsync<JsonElement>(HttpMethod.Post, $"/v1/webhooks/endpoints/{endpointId}/replay?status=dead", site.Hosts[0], token, null, ct);

    /// <summary>The reseller's audit log, newest first, filtered.</summary>
    public Task<ApiResult<AuditPage>> AuditAsync(ResellerSite site, string token, AuditFilter filter, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var query = new List<string> { "size=100" };
        void Add(string name, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                query.Add($"{name}={Uri.EscapeDataString(value.Trim())}");
            }
        }

        Add("subject", filter.Actor);
        Add("action", filter.Action);
        Add("resource_id", filter.Resource);
        Add("actor_kind", filter.ActorKind);
        Add("since", filter.Since?.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        Add("until", filter.Until?.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        return SendAsync<AuditPage>(HttpMethod.Get, "/v1/audit?" + string.Join('&', query), site.Hosts[0], token, null, ct);
    }

    /// <summary>The cell's operator actions (the catalog's audit), newest first (operators).</summary>
    public Task<ApiResult<AuditPage>> OperatorAuditAsync(string platformHost, string token, CancellationToken ct) =>
        SendAsync<AuditPage>(HttpMethod.Get, "/v1/admin/audit?size=100", platformHost, token, null, ct);

    private async Task<ApiResult<T>> SendAsync<T>(HttpMethod method, string path, string host, string token, object? body, CancellationToken ct,
        string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Host = host;
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: TicketApi.Json);
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
        catch (HttpRequestException)
        {
            return new ApiResult<T>(default, new ApiProblem(503, "api_unreachable", "The API cannot be reached", "The cell's API did not answer; try again.", null), 503);
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return new ApiResult<T>(default, new ApiProblem(504, "api_timeout", "The API did not answer in time", "The cell's API did not answer in time; try again.", null), 504);
        }

        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                T? value = default;
                if (response.StatusCode != HttpStatusCode.NoContent)
                {
                    try
                    {
                        value = await response.Content.ReadFromJsonAsync<T>(TicketApi.Json, ct);
                    }
                    catch (JsonException)
                    {
                    }
                }

                return new ApiResult<T>(value, null, (int)response.StatusCode);
            }

            ApiProblem? problem = null;
            try
            {
                problem = await response.Content.ReadFromJsonAsync<ApiProblem>(TicketApi.Json, ct);
            }
            catch (JsonException)
            {
            }

            return new ApiResult<T>(default, problem ?? new ApiProblem((int)response.StatusCode, null, response.ReasonPhrase, null, null), (int)response.StatusCode);
        }
    }
}

/// <summary>Filters of the audit search (each optional).</summary>
public sealed class AuditFilter
{
    public string? Reseller { get; set; }
    public string? Actor { get; set; }
    public string? Action { get; set; }
    public string? Resource { get; set; }
    public string? ActorKind { get; set; }
    public DateTimeOffset? Since { get; set; }
    public DateTimeOffset? Until { get; set; }
}

// The API's JSON (snake_case) as the console reads it.

public sealed record ComponentHealth(string Name, string Status, double LatencyMs, string? Error);

public sealed record ResellerHealthLine(string Id, string Name, IReadOnlyList<string> Hosts, string Status, IReadOnlyList<ComponentHealth> Components);

public sealed record ResellerHealthReport(DateTimeOffset CheckedAt, IReadOnlyList<ResellerHealthLine> Resellers);

public sealed record StaffTicketSummary(Guid Id, long Number, string Subject, string Category, string Priority, string Status, string OpenedByKind,
    string OpenedBy, int MessageCount, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record StaffTicketPage(IReadOnlyList<StaffTicketSummary> Tickets, int Page, int Size);

public sealed record SupportTicketMessage(Guid Id, int Seq, string AuthorKind, string Author, string Body, DateTimeOffset CreatedAt);

public sealed record StaffTicket(Guid Id, long Number, string Subject, string Category, string Priority, string Status, string OpenedByKind,
    string OpenedBy, int MessageCount, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, IReadOnlyList<SupportTicketMessage> Messages);

public sealed record StaffRefund(Guid Id, string Status, Money Amount, string Reason, string InitiatedBy, string SeatDisposition, DateTimeOffset CreatedAt);

/// <summary>An order as staff see it (with the buyer's reference and address).</summary>
public sealed record StaffOrder(Guid Id, Guid HoldId, Guid EventId, string CustomerRef, string Status, Money Total, DateTimeOffset CreatedAt,
    IReadOnlyList<Ticket> Tickets, string? CustomerEmail, StaffRefund? Refund);

public sealed record TicketsResent(Guid OrderId, string To, int Tickets, long OutboxId);

public sealed record WaitingRoom(Guid EventId, bool Enabled, DateTimeOffset OnSaleAt, int AdmitPerMinute, int WindowSeconds, long Waiting, long Admitted, long Used);

public sealed record StaffWebhookEndpoint(Guid Id, string Url, string? Description, bool Enabled, string? DisabledReason);

public sealed record StaffWebhookEndpointList(IReadOnlyList<StaffWebhookEndpoint> Endpoints);

public sealed record StaffWebhookDelivery(Guid Id, string MessageId, Guid EndpointId, string EventType, string Status, int Attempts, int? LastStatus,
    string? LastError, DateTimeOffset CreatedAt);

public sealed record StaffDeliveryPage(IReadOnlyList<StaffWebhookDelivery> Items, int Page, int Size, long Total);

public sealed record AuditLine(long Id, DateTimeOffset At, string? ActorKind, string? Subject, string? ClientId, string Action, string Method, string Path,
    string? ResourceId, int? Status, string? ClientIp);

public sealed record AuditPage(IReadOnlyList<AuditLine> Entries, int Page, int Size);
