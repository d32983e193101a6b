using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TicketAspire.Inventory.Payments;

/// <summary>
/// <see cref="IPaymentGateway"/> over the payment service's HTTP API (docs/payments.md §1). The HTTP client's resilience
/// policy retries timeouts and 5xx; every POST carries an idempotency key, so retries are safe.
/// </summary>
public sealed class HttpPaymentGateway(HttpClient http, PaymentOptions options) : IPaymentGateway
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <inheritdoc />
    public async Task<PaymentIntent> CreateIntentAsync(CreatePaymentIntent request, string idempotencyKey, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = new { amount = request.Amount, currency = request.Currency, description = request.Description, metadata = request.Metadata };
        var node = await SendAsync(HttpMethod.Post, "v1/payment_intents", JsonContent.Create(body, options: Json), idempotencyKey, ct);
        return ReadIntent(node);
    }

    /// <inheritdoc />
    public async Task<PaymentIntent> GetIntentAsync(string intentId, CancellationToken ct) =>
        ReadIntent(await SendAsync(HttpMethod.Get, $"v1/payment_intents/{Uri.EscapeDataString(intentId)}", null, null, ct));

    /// <inheritdoc />
    public async Task<PspRefund> RefundAsync(string intentId, long amount, string reason, string idempotencyKey, CancellationToken ct)
    {
        var body = new { payment_intent = intentId, amount, reason };
        var node = await SendAsync(HttpMethod.Post, "v1/refunds", JsonContent.Create(body, options: Json), idempotencyKey, ct);
        return new PspRefund((string)node["id"]!, (string)node["status"]!, (long)node["amount"]!, (string)node["payment_intent"]!);
    }

    /// <inheritdoc />
    public Uri ConfirmUrl(string intentId) =>
        new(options.PublicOrigin ?? options.BaseUrl ?? throw new InvalidOperationException("Payments:PublicOrigin is not configured."),
            $"v1/payment_intents/{Uri.EscapeDataString(intentId)}/confirm");

    /// <summary>Reads an intent from the PSP's JSON.</summary>
    public static PaymentIntent ReadIntent(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node["metadata"] is JsonObject meta)
        {
            foreach (var (key, value) in meta)
            {
                if (value is not null)
                {
                    metadata[key] = value.GetValueKind() == JsonValueKind.String ? (string)value! : value.ToJsonString();
                }
            }
        }

        var error = node["last_payment_error"] is JsonObject e
            ? new PaymentError((string?)e["code"], (string?)e["decline_code"], (string?)e["message"])
            : null;
        return new PaymentIntent((string)node["id"]!, (string)node["status"]!, (long)node["amount"]!, ((string)node["currency"]!).ToUpperInvariant(),
            (string?)node["client_secret"], metadata, error, (long?)node["amount_refunded"] ?? 0);
    }

    private async Task<JsonNode> SendAsync(HttpMethod method, string path, HttpContent? content, string? idempotencyKey, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // connection refused, the client's timeout, or the resilience policy giving up (its own exception types)
            throw new PaymentGatewayException($"The payment service did not answer {method} {path}: {ex.Message}", transient: true, inner: ex);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            if (response.IsSuccessStatusCode)
            {
                return JsonNode.Parse(text) ?? throw new PaymentGatewayException($"The payment service answered {method} {path} with an empty body.", transient: true);
            }

            string? code = null;
            string? detail = null;
            try
            {
                var problem = JsonNode.Parse(text);
                code = (string?)problem?["code"];
                detail = (string?)problem?["detail"];
            }
            catch (JsonException)
            {
                // not a problem document
            }

            var transient = (int)response.StatusCode >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests or HttpStatusCode.Conflict;
            throw new PaymentGatewayException(
                string.Create(CultureInfo.InvariantCulture, $"The payment service refused {method} {path}: {(int)response.StatusCode} {code} {detail}"),
                transient, code, statusCode: (int)response.StatusCode);
        }
    }
}
