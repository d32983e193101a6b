using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using TicketAspire.Tenancy.Provisioning;

namespace TicketAspire.AppHost.Extensions;

/// <summary>
/// The operators' console action "Onboard a reseller" on each cell's provisioner in the Aspire dashboard (also
/// <c>aspire resource command</c> and the MCP clients): the dashboard asks for the registration (the same fields as
/// <c>POST /v1/admin/resellers</c>), the command signs in as the cell's operator client at the platform issuer and
/// submits it to the cell's API, so validation, conflicts and the audit log are the API's. The answer carries the new
/// integrator's client id and secret, shown there once.
/// </summary>
public static class OnboardingCommand
{
    /// <summary>The command's name.</summary>
    public const string Name = "onboard-reseller";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The arguments, in their order on the command line.</summary>
    private static readonly (string Name, string Label, string? Placeholder, bool Required)[] Fields =
    [
        ("id", "Reseller id", "fabrikam (lower case, digits, hyphens)", true),
        ("name", "Name", "Fabrikam Tickets", true),
        ("hosts", "Hosts", "fabrikam.eu.localhost (several: comma-separated)", true),
        ("contact_email", "Billing contact e-mail", "billing@fabrikam.example", true),
        ("legal_name", "Legal name", "Fabrikam Ticketing GmbH", true),
        ("address_line1", "Street and number", "Friedrichstraße 1", true),
        ("city", "City", "Berlin", true),
        ("postal_code", "Postal code", "10117", true),
        ("country", "Country (ISO code)", "DE", true),
        ("tax_id", "VAT or tax id", "DE123456789", true),
        ("account_holder", "Payout account holder", "Fabrikam Ticketing GmbH", true),
        ("iban", "IBAN (or leave empty and give a US routing and account number)", "DE89 3704 0044 0532 0130 00", false),
        ("bic", "BIC", "COBADEFFXXX", false),
        ("routing_number", "US routing number", null, false),
        ("account_number", "US account number", null, false),
    ];

    /// <summary>Adds the command to the cell's provisioner; it runs while the provisioner, the API and the identity service do.</summary>
    public static IResourceBuilder<ProjectResource> WithOnboardingCommand(this IResourceBuilder<ProjectResource> provisioner, string cell,
        IResourceBuilder<ProjectResource> api, IResourceBuilder<ProjectResource> identity, IResourceBuilder<ParameterResource> operatorSecret)
    {
        ArgumentNullException.ThrowIfNull(provisioner);
        return provisioner.WithCommand(Name, "Onboard a reseller", async context =>
        {
            var registration = Registration(context.Arguments);
            var secret = await operatorSecret.Resource.GetValueAsync(context.CancellationToken) ?? "";
            var outcome = await SubmitAsync(new Uri(api.GetEndpoint("http").Url), new Uri(identity.GetEndpoint("http").Url), $"{cell}-operator", secret,
                registration, context.CancellationToken);
            return outcome.Accepted
                ? CommandResults.Success($"Onboarding of '{registration.Id}' started: it sells within a minute. The integrator's secret is shown here only.",
                    outcome.Body, CommandResultFormat.Json)
                : CommandResults.Failure(outcome.Body);
        }, new CommandOptions
        {
            Description = "Registers a reseller in this cell with its billing information: its database, Redis, identity clients and hosts are provisioned without a restart.",
            IconName = "PersonAdd",
            Arguments = [.. Fields.Select(f => new InteractionInput
            {
                Name = f.Name, Label = f.Label, Placeholder = f.Placeholder, Required = f.Required, InputType = InputType.Text, MaxLength = 200,
            })],
            UpdateState = state => state.ResourceSnapshot.State?.Text == KnownResourceStates.Running ? ResourceCommandState.Enabled : ResourceCommandState.Disabled,
        });
    }

    /// <summary>The registration the arguments describe (empty ones left out: the API says what is missing).</summary>
    public static ResellerRegistration Registration(InteractionInputCollection arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        string? Get(string name) => arguments.ContainsName(name) && arguments.GetString(name) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
        return new ResellerRegistration(
            Get("id"),
            Get("name"),
            Get("hosts")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            new BillingDetails(
                Get("legal_name"),
                new PostalAddress(Get("address_line1"), null, Get("city"), Get("postal_code"), null, Get("country")),
                Get("tax_id"),
                new PayoutAccount(Get("account_holder"), Get("iban"), Get("bic"), Get("routing_number"), Get("account_number"))),
            Get("contact_email"));
    }

    /// <summary>
    /// Submits <paramref name="registration"/> to the cell's API as the cell's operator: accepted with the API's answer,
    /// or refused with the API's problem (status, title, detail and the fields in error) in words.
    /// </summary>
    public static async Task<(bool Accepted, string Body)> SubmitAsync(Uri api, Uri identity, string operatorClientId, string operatorSecret,
        ResellerRegistration registration, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var (token, signInError) = await OperatorTokenAsync(http, identity, operatorClientId, operatorSecret, ct);
        if (token is null)
        {
            return (false, signInError!);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(api, "/v1/admin/resellers")) { Content = JsonContent.Create(registration, options: Json) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, ct);
        return await OutcomeAsync(response, ct);
    }

    /// <summary>
    /// An access token of the cell's operator client at the platform issuer (client credentials, scope <c>operator</c>),
    /// or why there is none.
    /// </summary>
    internal static async Task<(string? Token, string? Error)> OperatorTokenAsync(HttpClient http, Uri identity, string operatorClientId, string operatorSecret,
        CancellationToken ct)
    {
        using var response = await http.PostAsync(new Uri(identity, "/platform/connect/token"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = operatorClientId, ["client_secret"] = operatorSecret, ["scope"] = "operator",
        }), ct);
        return response.IsSuccessStatusCode
            ? ((string?)JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))?["access_token"] ?? "", null)
            : (null, $"The operator client could not sign in at the platform issuer: HTTP {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
    }

    /// <summary>The API's answer: its body on success, else its problem (status, title, detail and the fields in error) in words.</summary>
    internal static async Task<(bool Accepted, string Body)> OutcomeAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var body = await response.Content.ReadAsStringAsync(ct);
        if (response.IsSuccessStatusCode)
        {
            return (true, body);
        }

        JsonObject? problem = null;
        try
        {
            problem = JsonNode.Parse(body.Length > 0 ? body : "{}") as JsonObject;
        }
        catch (JsonException)
        {
        }

        var errors = problem?["errors"] is JsonObject fields
            ? " " + string.Join("; ", fields.Select(f => $"{f.Key}: {string.Join(" ", f.Value is JsonArray a ? a.Select(m => (string?)m) : [f.Value?.ToString()])}"))
            : "";
        return (false, $"HTTP {(int)response.StatusCode} {(string?)problem?["title"]}: {(string?)problem?["detail"]}{errors}".Trim());
    }
}
