namespace TicketAspire.Api.Infrastructure.Live;

/// <summary>
/// Open streams of one replica: at most <c>max</c> in all and <c>maxPerKey</c> per key (a reseller's customer). A stream
/// takes a slot when it opens and gives it back when it ends; a refusal says which cap was reached.
/// </summary>
public sealed class StreamQuota(int max, int maxPerKey)
{
    private readonly Dictionary<string, int> _perKey = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private int _open;

    /// <summary>Streams open now.</summary>
    public int Open
    {
        get
        {
            lock (_gate)
            {
                return _open;
            }
        }
    }

    /// <summary>Takes a slot for <paramref name="key"/>, or says which cap refuses it.</summary>
    public StreamQuotaResult TryAcquire(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            if (_open >= max)
            {
                return StreamQuotaResult.ReplicaFull;
            }

            var mine = _perKey.GetValueOrDefault(key);
            if (mine >= maxPerKey)
            {
                return StreamQuotaResult.KeyFull;
            }

            _perKey[key] = mine + 1;
            _open++;
            return StreamQuotaResult.Acquired;
        }
    }

    /// <summary>Gives back a slot of <paramref name="key"/>.</summary>
    public void Release(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            if (!_perKey.TryGetValue(key, out var mine))
            {
                return;
            }

            if (mine <= 1)
            {
                _perKey.Remove(key);
            }
            else
            {
                _perKey[key] = mine - 1;
            }

            _open--;
        }
    }
}

/// <summary>What <see cref="StreamQuota.TryAcquire"/> decided.</summary>
public enum StreamQuotaResult
{
    /// <summary>A slot was taken: release it when the stream ends.</summary>
    Acquired = 0,

    /// <summary>The replica has as many streams open as it allows (503).</summary>
    ReplicaFull = 1,

    /// <summary>This key has as many streams open on the replica as it may (429).</summary>
    KeyFull = 2,
}
