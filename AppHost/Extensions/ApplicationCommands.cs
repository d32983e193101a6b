using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace TicketAspire.AppHost.Extensions;

/// <summary>
/// The operators' console actions on prospective resellers' self-registrations (the form at
/// <c>http://&lt;cell&gt;.localhost:&lt;web port&gt;/apply</c>), beside "Onboard a reseller" on each cell's provisioner:
/// "Approve a reseller application" (which starts its onboarding, and shows the integrator's secret once) and "Reject a
/// reseller application" (with a reason). Both ask for the application — the pending ones are offered by legal name,
/// reseller id and date, loaded from <c>GET /v1/admin/reseller-applications</c> when the prompt opens — and call the cell's
/// operator endpoints as the cell's operator client, so conflicts and the audit log are the API's.
/// </summary>
public static class ApplicationCommands
{
    /// <summary>The approval command's name.</summary>
    public const string ApproveName = "approve-reseller-application";

    /// <summary>The rejection command's name.</summary>
    public const string RejectName = "reject-reseller-application";

    /// <summary>Adds both commands to the cell's provisioner; they run while it does.</summary>
    public static IResourceBuilder<ProjectResource> WithApplicationCommands(this IResourceBuilder<ProjectResource> provisioner, string cell,
        IResourceBuilder<ProjectResource> api, IResourceBuilder<ProjectResource> identity, IResourceBuilder<ParameterResource> operatorSecret)
    {
        ArgumentNullException.ThrowIfNull(provisioner);
        var client = new OperatorClient(cell, api, identity, operatorSecret);
        provisioner.WithCommand(ApproveName, "Approve a reseller application", async context =>
        {
            if (ApplicationId(context.Arguments) is not { } id)
            {
                return CommandResults.Failure("Choose a pending application (or paste its id).");
            }

            var (accepted, body) = await client.PostAsync($"/v1/admin/reseller-applications/{id}/approve", new { }, context.CancellationToken);
            return accepted
                ? CommandResults.Success($"Application {id} approved: the reseller's onboarding started and it sells within a minute. " +
                    "Hand the integrator's secret (shown here only) to the applicant's contact e-mail.", body, CommandResultFormat.Json)
                : CommandResults.Failure(body);
        }, new CommandOptions
        {
            Description = "Approves a prospective reseller's self-registration: its database, Redis, identity clients and hosts are provisioned without a restart.",
            IconName = "PersonAvailable",
            Arguments = [ApplicationInput(client)],
            UpdateState = Running,
        });

        provisioner.WithCommand(RejectName, "Reject a reseller application", async context =>
        {
            if (ApplicationId(context.Arguments) is not { } id)
            {
                return CommandResults.Failure("Choose a pending application (or paste its id).");
            }

            var reason = context.Arguments.ContainsName("reason") ? context.Arguments.GetString("reason")?.Trim() : null;
            var (decided, body) = await client.PostAsync($"/v1/admin/reseller-applications/{id}/reject", new { reason }, context.CancellationToken);
            return decided ? CommandResults.Success($"Application {id} rejected.", body, CommandResultFormat.Json) : CommandResults.Failure(body);
        }, new CommandOptions
        {
            Description = "Rejects a prospective reseller's self-registration, with the reason the applicant is told.",
            IconName = "PersonDelete",
            Arguments =
            [
                ApplicationInput(client),
                new InteractionInput { Name = "reason", Label = "Reason", Placeholder = "No trading history yet", Required = true, InputType = InputType.Text, MaxLength = 1000 },
            ],
            UpdateState = Running,
        });
        return provisioner;
    }

    /// <summary>The application id the arguments name (the choice's key, or an id pasted), or null.</summary>
    public static Guid? ApplicationId(InteractionInputCollection arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        return arguments.ContainsName("application") && Guid.TryParse(arguments.GetString("application")?.Trim(), out var id) ? id : null;
    }

    private static ResourceCommandState Running(UpdateCommandStateContext state) =>
        state.ResourceSnapshot.State?.Text == KnownResourceStates.Running ? ResourceCommandState.Enabled : ResourceCommandState.Disabled;

    // the pending applications as choices, loaded when the prompt opens (an id can be pasted too)
    private static InteractionInput ApplicationInput(OperatorClient client) => new()
    {
        Name = "application",
        Label = "Application",
        Description = "The pending applications, oldest first: legal name, reseller id, contact, applied at (UTC). Or paste an application id.",
        Placeholder = "Choose a pending application",
        Required = true,
        InputType = InputType.Choice,
        AllowCustomChoice = true,
        DynamicLoading = new InputLoadOptions
        {
            AlwaysLoadOnStart = true,
            LoadCallback = async load =>
            {
                // listed when the API answers; else the list stays empty and an id can still be pasted
                var (ok, body) = await client.GetAsync("/v1/admin/reseller-applications?state=pending", load.CancellationToken);
                var applications = ok ? (JsonNode.Parse(body)?["applications"] as JsonArray ?? []) : [];
                load.Input.Options = [.. applications.OfType<JsonObject>().Select(a => KeyValuePair.Create((string)a["id"]!, Describe(a)))];
            },
        },
    };

    private static string Describe(JsonObject application)
    {
        var registration = application["registration"];
        var legalName = (string?)registration?["billing"]?["legal_name"] ?? (string?)application["name"];
        var created = DateTimeOffset.TryParse((string?)application["created_at"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
            ? at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)
            : "?";
        return $"{legalName} ({application["reseller_id"]}, {application["contact_email"]}), applied {created}";
    }

    /// <summary>The cell's operator endpoints as its operator client (a token per call: commands are rare).</summary>
    private sealed class OperatorClient(string cell, IResourceBuilder<ProjectResource> api, IResourceBuilder<ProjectResource> identity,
        IResourceBuilder<ParameterResource> operatorSecret)
    {
        public Task<(bool Ok, string Body)> GetAsync(string path, CancellationToken ct) => SendAsync(HttpMethod.Get, path, null, ct);

        public Task<(bool Ok, string Body)> PostAsync(string path, object body, CancellationToken ct) => SendAsync(HttpMethod.Post, path, body, ct);

        private async Task<(bool Ok, string Body)> SendAsync(HttpMethod method, string path, object? body, CancellationToken ct)
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            var secret = await operatorSecret.Resource.GetValueAsync(ct) ?? "";
            var (token, error) = await OnboardingCommand.OperatorTokenAsync(http, new Uri(identity.GetEndpoint("http").Url), $"{cell}-operator", secret, ct);
            if (token is null)
            {
                return (false, error!);
            }

            using var request = new HttpRequestMessage(method, new Uri(new Uri(api.GetEndpoint("http").Url), path));
            if (body is not null)
            {
                request.Content = JsonContent.Create(body);
            }

            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request, ct);
            return await OnboardingCommand.OutcomeAsync(response, ct);
        }
    }
}
