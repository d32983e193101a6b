using Microsoft.Extensions.Options;

namespace TicketAspire.Api.Infrastructure.Shedding;

/// <summary>
/// The saturation of this API process: requests in flight, and an exponentially weighted average of read latency that
/// decays while no reads complete (so a process that shed everything recovers by itself).
/// </summary>
public sealed class LoadMeter(IOptionsMonitor<SheddingOptions> options, TimeProvider time)
{
    private const double Weight = 0.2;
    private readonly Lock _lock = new();
    private int _inFlight;
    private double _latencySeconds;
    private DateTimeOffset _lastSample;

    /// <summary>Requests in flight now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>The simulated load set at run time (test control); null falls back to the configured one.</summary>
    public double? SimulatedLoad { get; set; }

    /// <summary>The current load, 0 (idle) and up (1 = full).</summary>
    public double Load
    {
        get
        {
            var o = options.CurrentValue;
            var load = Math.Max(SimulatedLoad ?? o.SimulatedLoad, (double)InFlight / o.MaxInFlight);
            return o.LatencyCeiling > TimeSpan.Zero ? Math.Max(load, AverageReadLatency(o).TotalSeconds / o.LatencyCeiling.TotalSeconds) : load;
        }
    }

    /// <summary>The read latency average now (decayed since the last sample).</summary>
    public TimeSpan AverageReadLatency() => AverageReadLatency(options.CurrentValue);

    /// <summary>Counts a request in; dispose the result when it completed.</summary>
    public void Enter() => Interlocked.Increment(ref _inFlight);

    /// <summary>Counts a request out; a read's latency goes into the average.</summary>
    public void Exit(RequestClass kind, TimeSpan elapsed)
    {
        Interlocked.Decrement(ref _inFlight);
        if (kind != RequestClass.Browse)
        {
            return;
        }

        lock (_lock)
        {
            var decayed = Decayed(options.CurrentValue, time.GetUtcNow());
            _latencySeconds = decayed + Weight * (elapsed.TotalSeconds - decayed);
            _lastSample = time.GetUtcNow();
        }
    }

    private TimeSpan AverageReadLatency(SheddingOptions o)
    {
        lock (_lock)
        {
            return TimeSpan.FromSeconds(Decayed(o, time.GetUtcNow()));
        }
    }

    private double Decayed(SheddingOptions o, DateTimeOffset now)
    {
        var idle = (now - _lastSample).TotalSeconds;
        return idle <= 0 ? _latencySeconds : _latencySeconds * Math.Pow(0.5, idle / o.LatencyHalfLife.TotalSeconds);
    }
}
