using System.Collections.Concurrent;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace TicketAspire.Api.Infrastructure.Security;

/// <summary>
/// Validates an access token once, not once per request: a token that passed every check (signature, issuer, audience,
/// type, lifetime) is believed again, as the very same string, for at most <c>ttl</c> and never past its own expiry. A
/// back end selling through the API sends one token for thousands of requests; each RS256 verification costs more CPU than
/// the rest of the token pipeline together (bench/RESULTS.md). What the short time-to-live bounds: a signing key withdrawn
/// or an issuer removed from the catalog keeps accepting an already validated token for up to <c>ttl</c>. The claims rules
/// (<see cref="TokenRules.CheckClaims"/>) still run on every request, and every request gets its own copy of the identity.
/// Failed validations are never cached. At most <c>capacity</c> tokens are remembered; when full, expired ones are
/// dropped first, then everything.
/// </summary>
public sealed class CachingTokenHandler(TimeProvider time, TimeSpan ttl, int capacity) : JsonWebTokenHandler
{
    private readonly ConcurrentDictionary<string, Validated> _validated = new(StringComparer.Ordinal);

    /// <summary>Tokens remembered now (for tests and metrics).</summary>
    public int Count => _validated.Count;

    /// <inheritdoc />
    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var now = time.GetUtcNow();
        if (token is not null && _validated.TryGetValue(token, out var known))
        {
            if (known.Until > now)
            {
                return new TokenValidationResult
                {
                    IsValid = true,
                    SecurityToken = known.Result.SecurityToken,
                    ClaimsIdentity = known.Result.ClaimsIdentity.Clone(),
                    Issuer = known.Result.Issuer,
                    TokenType = known.Result.TokenType,
                };
            }

            _validated.TryRemove(token, out _);
        }

        var result = await base.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid && token is not null && result.SecurityToken is JsonWebToken jwt)
        {
            var expires = new DateTimeOffset(DateTime.SpecifyKind(jwt.ValidTo, DateTimeKind.Utc));
            var until = expires < now + ttl ? expires : now + ttl;
            if (until > now)
            {
                MakeRoom(now);
                _validated[token] = new Validated(result, until);
            }
        }

        return result;
    }

    private void MakeRoom(DateTimeOffset now)
    {
        if (_validated.Count < capacity)
        {
            return;
        }

        foreach (var (key, value) in _validated)
        {
            if (value.Until <= now)
            {
                _validated.TryRemove(key, out _);
            }
        }

        if (_validated.Count >= capacity)
        {
            _validated.Clear();
        }
    }

    private sealed record Validated(TokenValidationResult Result, DateTimeOffset Until);
}
