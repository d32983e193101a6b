namespace TicketAspire.Payments.Simulator.Infrastructure;

/// <summary>
/// Idempotency records (<c>idempotency_keys</c>), one per scope (API key + path) and key: claimed atomically under the
/// writer lock before the work starts, completed with the response once it is done.
/// </summary>
public sealed class IdempotencyStore(PspDatabase db, TimeProvider time)
{
    private const string InFlight = "in_flight";
    private const string Done = "done";

    /// <summary>Claims the key for a request whose body hashes to <paramref name="requestHash"/>, or says why not.</summary>
    public Task<IdempotencyClaim> TryBeginAsync(string scope, string key, string requestHash) => db.WriteAsync(async (c, tx) =>
    {
        var inserted = await Sql.ExecuteAsync(c, tx,
            "INSERT INTO idempotency_keys (scope, key, request_hash, state, created) VALUES ($scope, $key, $hash, $state, $now) ON CONFLICT DO NOTHING",
            ("$scope", scope), ("$key", key), ("$hash", requestHash), ("$state", InFlight), ("$now", time.GetUtcNow().ToUnixTimeSeconds()));
        if (inserted == 1)
        {
            return new IdempotencyClaim(IdempotencyClaimResult.Claimed, null);
        }

        var rows = await Sql.QueryAsync(c, tx, "SELECT request_hash, state, status, content_type, body FROM idempotency_keys WHERE scope = $scope AND key = $key",
            r => (Hash: r.GetString(0), State: r.GetString(1), Status: r.NullableInt64(2), ContentType: r.NullableString(3),
                Body: r.IsDBNull(4) ? [] : (byte[])r.GetValue(4)),
            ("$scope", scope), ("$key", key));
        var row = rows.Single();
        if (!string.Equals(row.Hash, requestHash, StringComparison.Ordinal))
        {
            return new IdempotencyClaim(IdempotencyClaimResult.Reused, null);
        }

        return row.State == InFlight
            ? new IdempotencyClaim(IdempotencyClaimResult.InFlight, null)
            : new IdempotencyClaim(IdempotencyClaimResult.Replay, new StoredResponse((int)row.Status!.Value, row.ContentType, row.Body));
    });

    /// <summary>Stores the response of a claimed key.</summary>
    public Task CompleteAsync(string scope, string key, StoredResponse response) => db.WriteAsync((c, tx) => Sql.ExecuteAsync(c, tx,
        "UPDATE idempotency_keys SET state = $state, status = $status, content_type = $type, body = $body WHERE scope = $scope AND key = $key",
        ("$scope", scope), ("$key", key), ("$state", Done), ("$status", response.Status), ("$type", response.ContentType), ("$body", response.Body)));

    /// <summary>Releases a claimed key without a response (the request failed with a server error: a retry runs again).</summary>
    public Task ReleaseAsync(string scope, string key) => db.WriteAsync((c, tx) => Sql.ExecuteAsync(c, tx,
        "DELETE FROM idempotency_keys WHERE scope = $scope AND key = $key AND state = $state",
        ("$scope", scope), ("$key", key), ("$state", InFlight)));

    /// <summary>At start: no request of an earlier process is still running, so its unfinished claims are dropped.</summary>
    public Task ReleaseAbandonedAsync() => db.WriteAsync((c, tx) => Sql.ExecuteAsync(c, tx,
        "DELETE FROM idempotency_keys WHERE state = $state", ("$state", InFlight)));
}

/// <summary>What <see cref="IdempotencyStore.TryBeginAsync"/> decided.</summary>
public enum IdempotencyClaimResult
{
    /// <summary>First use: run the request.</summary>
    Claimed = 0,

    /// <summary>Done before with the same body: answer <see cref="IdempotencyClaim.Response"/>.</summary>
    Replay = 1,

    /// <summary>Same key, different body.</summary>
    Reused = 2,

    /// <summary>Same key, still running.</summary>
    InFlight = 3,
}

/// <summary>A claim decision and, for a replay, the stored response.</summary>
public sealed record IdempotencyClaim(IdempotencyClaimResult Result, StoredResponse? Response);

/// <summary>A response as stored for replays.</summary>
public sealed record StoredResponse(int Status, string? ContentType, byte[] Body);
