using System.Security.Claims;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using TicketAspire.Identity.Infrastructure;
using TicketAspire.Identity.Infrastructure.Users;
using TicketAspire.Tenancy.Security;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace TicketAspire.Identity.Apis;

/// <summary>
/// A reseller's clients at its own issuer (<c>/{reseller}/clients/{client_id}</c>): what the reseller console shows of
/// one, and the rotation of a confidential client's secret (<c>POST …/secret</c>). Here rather than in the cell's API
/// because the clients live in OpenIddict's tables of the issuer's database and only OpenIddict's application manager
/// may hash a secret the way the token endpoint checks it; the API neither references OpenIddict nor writes those
/// tables. The caller is the reseller's administrator: an access token of this very issuer, issued to the reseller
/// console's client (<c>&lt;reseller&gt;-console</c>), whose subject is an account of this reseller that holds the
/// administrator role now (checked at every call, like every code exchange). Every rotation is written to the reseller's
/// audit log (who, when, which client; never the secret) before it is answered.
/// </summary>
public static class ClientsApi
{
    private const string ProblemBase = "https://ticketaspire.dev/problems/";
    private const int MaxClientIdLength = 100;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static IEndpointRouteBuilder MapClientsApi(this IEndpointRouteBuilder app)
    {
        var clients = app.MapGroup("/clients").WithTags("Clients");
        clients.MapGet("/{clientId}", GetClient).WithName("GetClient")
            .WithSummary("A client of the reseller: whether it has a secret, when it was last set and by whom");
        clients.MapPost("/{clientId}/secret", RotateClientSecret).WithName("RotateClientSecret")
            .WithSummary("A new random secret for a confidential client, shown once; the old secret stops at once");
        return app;
    }

    private static async Task<IResult> GetClient(string clientId, HttpContext context, Issuer issuer, IServiceProvider services)
    {
        if (await AdministratorAsync(context, issuer, services) is { Refusal: { } refusal })
        {
            return refusal;
        }

        return clientId.Length <= MaxClientIdLength && await services.GetRequiredService<ClientSecrets>().FindAsync(clientId, context.RequestAborted) is { } state
            ? Results.Json(ClientResponse.Of(state), Json)
            : ClientMissing(clientId);
    }

    private static async Task<IResult> RotateClientSecret(string clientId, HttpContext context, Issuer issuer, IServiceProvider services)
    {
        var (admin, refusal) = await AdministratorAsync(context, issuer, services);
        if (refusal is not null)
        {
            return refusal;
        }

        var secrets = services.GetRequiredService<ClientSecrets>();
        var state = clientId.Length > MaxClientIdLength ? null : await secrets.FindAsync(clientId, context.RequestAborted);
        if (state is null)
        {
            return ClientMissing(clientId);
        }

        if (!state.Confidential)
        {
            return Problem(StatusCodes.Status409Conflict, "client.public", "The client has no secret",
                $"'{clientId}' is a public client (a console or storefront signs people in with PKCE): there is no secret to rotate.");
        }

        var audit = services.GetRequiredService<ClientAudit>();
        var line = await audit.BeginAsync(issuer.Reseller, admin!, clientId, context, context.RequestAborted);
        var status = StatusCodes.Status500InternalServerError;
        try
        {
            (ClientSecretState State, string Secret)? rotated;
            try
            {
                rotated = await secrets.RotateAsync(clientId, admin!.Email, context.RequestAborted);
            }
            catch (OpenIddictExceptions.ConcurrencyException)
            {
                status = StatusCodes.Status409Conflict;
                return Problem(status, "client.changed", "The client changed meanwhile",
                    "Someone else changed the client at the same moment: look at it again before rotating.");
            }

            if (rotated is not var (after, secret))
            {
                status = StatusCodes.Status404NotFound;
                return ClientMissing(clientId);
            }

            status = StatusCodes.Status200OK;
            context.Response.Headers.CacheControl = "no-store";
            context.Response.Headers.Pragma = "no-cache";
            return Results.Json(new RotatedClientSecret(after.ClientId, secret, after.SecretSetAt, after.SecretSetBy), Json);
        }
        finally
        {
            await audit.CompleteAsync(issuer.Reseller, line, status);
        }
    }

    /// <summary>The reseller's administrator behind the request's bearer token, or the answer that refuses it.</summary>
    private static async Task<(Administrator? Admin, IResult? Refusal)> AdministratorAsync(HttpContext context, Issuer issuer, IServiceProvider services)
    {
        if (issuer.IsPlatform)
        {
            return (null, Problem(StatusCodes.Status404NotFound, "client.not_found", "No such client", "The platform issuer's clients are the operators'."));
        }

        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length > 8192)
        {
            return (null, Unauthorized(context, "A reseller administrator's access token is required (Authorization: Bearer)."));
        }

        var keys = services.GetRequiredService<IOptionsMonitor<OpenIddictServerOptions>>().CurrentValue.SigningCredentials.Select(c => c.Key);
        var request = context.Request;
        var validated = await new JsonWebTokenHandler().ValidateTokenAsync(header["Bearer ".Length..].Trim(), new TokenValidationParameters
        {
            // the cell's key ring signs every issuer's tokens: whose issuer it is is checked below (403, not 401)
            ValidateIssuer = false,
            ValidAudience = IdentityScopes.ApiAudience,
            ValidTypes = ["at+jwt"],
            IssuerSigningKeys = keys,
            ClockSkew = TimeSpan.FromSeconds(30),
        });
        if (!validated.IsValid)
        {
            return (null, Unauthorized(context, "The access token is not valid (signature, type, audience or lifetime)."));
        }

        var claims = validated.ClaimsIdentity;
        var admin = validated.Issuer == $"{request.Scheme}://{request.Host}{request.PathBase}"
            && claims.FindFirst(TokenClaims.Kind)?.Value == TokenClaims.Integrator
            && claims.FindFirst(TokenClaims.Reseller)?.Value == issuer.Reseller.Id
            && claims.FindFirst(Claims.ClientId)?.Value == ConsoleClaims.ConsoleClientOf(issuer.Reseller.Id)
            && Guid.TryParse(claims.FindFirst(Claims.Subject)?.Value, out var userId)
            && await services.GetRequiredService<UserStore>().FindAsync(userId, context.RequestAborted) is { ConsoleRole: ConsoleRoles.Admin } user
                ? new Administrator(user.Id, user.Email, claims)
                : null;
        return admin is null
            ? (null, Problem(StatusCodes.Status403Forbidden, "client.forbidden", "Not the reseller's administrator",
                "Only the reseller's administrators, signed in to its console, manage its clients."))
            : (admin, null);
    }

    private static IResult Unauthorized(HttpContext context, string detail)
    {
        context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
        return Problem(StatusCodes.Status401Unauthorized, "invalid_token", "Authentication required", detail);
    }

    private static IResult ClientMissing(string clientId) =>
        Problem(StatusCodes.Status404NotFound, "client.not_found", "No such client", $"The reseller has no client '{Truncate(clientId)}'.");

    private static IResult Problem(int status, string code, string title, string detail) =>
        Results.Problem(detail, statusCode: status, title: title, type: ProblemBase + code, extensions: new Dictionary<string, object?> { ["code"] = code });

    private static string Truncate(string value) => value.Length <= MaxClientIdLength ? value : value[..MaxClientIdLength] + "…";
}

/// <summary>The reseller's administrator who called.</summary>
/// <param name="UserId">The account's id (the token's subject).</param>
/// <param name="Email">The account's e-mail address.</param>
/// <param name="Claims">The access token's claims.</param>
public sealed record Administrator(Guid UserId, string Email, ClaimsIdentity Claims);

/// <summary>A client as <c>GET /{reseller}/clients/{client_id}</c> answers it.</summary>
public sealed record ClientResponse(string ClientId, string? DisplayName, string ClientType, DateTimeOffset? SecretSetAt, string? SecretSetBy)
{
    public static ClientResponse Of(ClientSecretState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new(state.ClientId, state.DisplayName, state.Confidential ? ClientTypes.Confidential : ClientTypes.Public,
            state.Confidential ? state.SecretSetAt : null, state.Confidential ? state.SecretSetBy : null);
    }
}

/// <summary>The answer of a rotation: the new secret, shown this once.</summary>
public sealed record RotatedClientSecret(string ClientId, string ClientSecret, DateTimeOffset? SecretSetAt, string? SecretSetBy);
