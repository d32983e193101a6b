using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TicketAspire.Web.Infrastructure;

/// <summary>
/// The cell API's self-registration endpoint (<c>POST /v1/reseller-applications</c>, anonymous) as the application form
/// calls it, server-side. The applicant's address goes along as <c>X-Forwarded-For</c>: the API counts its per-address
/// limit by it only when the storefront is among the cell's trusted proxies (<c>forwarded_headers</c>), else by the
/// storefront's own address.
/// </summary>
public sealed class ApplicationsApi(HttpClient http)
{
    /// <summary>Submits <paramref name="form"/>: the application's id when accepted, else the API's refusal by field.</summary>
    public async Task<ApplicationOutcome> ApplyAsync(ApplicationForm form, string? clientAddress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/reseller-applications")
        {
            Content = JsonContent.Create(form.ToRegistration(), options: TicketApi.Json),
        };
        if (clientAddress is { Length: > 0 })
        {
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", clientAddress);
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct);
        }
        catch (HttpRequestException)
        {
            return ApplicationOutcome.Refused(null, "The application service cannot be reached just now. Please try again in a few minutes.", new());
        }

        using (response)
        {
            JsonObject? body = null;
            try
            {
                body = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct)) as JsonObject;
            }
            catch (JsonException)
            {
            }

            if (response.IsSuccessStatusCode && Guid.TryParse((string?)body?["id"], out var id))
            {
                return new ApplicationOutcome(id, null, null, new());
            }

            var code = (string?)body?["code"];
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            var unplaced = new List<string>();
            if (body?["errors"] is JsonObject errors)
            {
                foreach (var (key, value) in errors)
                {
                    var message = value is JsonArray list ? string.Join(" ", list.Select(m => (string?)m)) : value?.ToString() ?? "";
                    if (ApplicationForm.FieldOf(key) is { } field)
                    {
                        fields[field] = fields.TryGetValue(field, out var before) ? $"{before} {message}" : message;
                    }
                    else
                    {
                        unplaced.Add(message);
                    }
                }
            }

            // conflicts name a field too: the id or a host someone else has
            switch (code)
            {
                case "reseller.exists":
                    fields[nameof(ApplicationForm.Id)] = (string?)body?["detail"] ?? "This reseller id is taken.";
                    break;
                case "host.taken":
                    fields[nameof(ApplicationForm.Hosts)] = (string?)body?["detail"] ?? "A host name is taken.";
                    break;
            }

            var summary = (int)response.StatusCode switch
            {
                429 => "Too many applications were sent from your address. Please try again in an hour.",
                >= 500 => "The application service cannot take applications just now. Please try again in a few minutes.",
                _ when fields.Count > 0 => fields.Count == 1 ? "One field needs your attention." : $"{fields.Count} fields need your attention.",
                _ => (string?)body?["detail"] ?? (string?)body?["title"] ?? "The application could not be submitted.",
            };
            if (unplaced.Count > 0)
            {
                summary += " " + string.Join(" ", unplaced);
            }

            return ApplicationOutcome.Refused(code, summary, fields);
        }
    }
}

/// <summary>The API's answer to an application: its id, or a summary and the errors by form field.</summary>
public sealed record ApplicationOutcome(Guid? Id, string? Code, string? Summary, Dictionary<string, string> FieldErrors)
{
    public static ApplicationOutcome Refused(string? code, string summary, Dictionary<string, string> fields) => new(null, code, summary, fields);
}
