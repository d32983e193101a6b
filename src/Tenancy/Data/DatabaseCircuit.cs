using Microsoft.Extensions.Logging;

namespace TicketAspire.Tenancy.Data;

/// <summary>
/// Fast failure for one reseller database: once a request finds the server out of reach (<see cref="Trip"/>), the
/// circuit is open and the reseller's requests are answered <c>503 database_unavailable</c> at once instead of each
/// waiting for a connection. One probe at a time (never a request) tries the server again every
/// <see cref="ResellerStorageOptions.ProbeInterval"/>, the first at once; when it answers, the circuit closes. A single
/// broken connection to a healthy server therefore costs one quick probe, not an outage.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The outage sources have no timer or wait handle to release; a replaced one stays cancelled for the requests still linked to it.")]
public sealed partial class DatabaseCircuit
{
    private readonly string _name;
    private readonly Func<CancellationToken, Task> _probe;
    private readonly Action _closed;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationToken _stopping;
    private int _open;
    private CancellationTokenSource _outage = new();

    /// <summary>A closed circuit for <paramref name="name"/>; <paramref name="probe"/> throws while the server is out of reach.</summary>
    public DatabaseCircuit(string name, Func<CancellationToken, Task> probe, Action closed, TimeSpan interval, TimeProvider time, ILogger logger,
        CancellationToken stopping)
    {
        _name = name;
        _probe = probe;
        _closed = closed;
        _interval = interval;
        _time = time;
        _logger = logger;
        _stopping = stopping;
    }

    /// <summary>True while the database is known to be out of reach.</summary>
    public bool IsOpen => Volatile.Read(ref _open) == 1;

    /// <summary>
    /// Cancelled when the circuit opens: a request that entered while the database answered waits on it (for a pooled
    /// connection, a connect) no longer than until the outage is known (<c>DatabaseGate</c> links it to the request).
    /// </summary>
    public CancellationToken OutageToken => Volatile.Read(ref _outage).Token;

    /// <summary>Records that <paramref name="failure"/> found the server out of reach: opens the circuit and starts probing.</summary>
    public void Trip(Exception failure)
    {
        if (Interlocked.CompareExchange(ref _open, 1, 0) != 0)
        {
            return;
        }

        LogOpened(_logger, failure, _name);
        var outage = Volatile.Read(ref _outage);
        // the waiters' cancellation callbacks run on the pool, not on the request that tripped the circuit
        _ = Task.Run(outage.Cancel, CancellationToken.None);
        _ = Task.Run(ProbeAsync, CancellationToken.None);
    }

    private async Task ProbeAsync()
    {
        var started = _time.GetTimestamp();
        for (var attempt = 1; !_stopping.IsCancellationRequested; attempt++)
        {
            try
            {
                await _probe(_stopping);
                _closed();
                // a fresh token for the next outage before requests are let in again (the old one stays cancelled)
                Volatile.Write(ref _outage, new CancellationTokenSource());
                Volatile.Write(ref _open, 0);
                LogClosed(_logger, _name, attempt, (long)_time.GetElapsedTime(started).TotalMilliseconds);
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException && !_stopping.IsCancellationRequested)
            {
                LogProbeFailed(_logger, _name, attempt, ex.Message);
            }

            try
            {
                await Task.Delay(_interval, _time, _stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database {Name} is out of reach: its requests are answered 503 until a probe connects")]
    private static partial void LogOpened(ILogger logger, Exception failure, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "Database {Name} answers again (probe {Attempt}, after {Elapsed} ms)")]
    private static partial void LogClosed(ILogger logger, string name, int attempt, long elapsed);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Database {Name}: probe {Attempt} failed: {Error}")]
    private static partial void LogProbeFailed(ILogger logger, string name, int attempt, string error);
}
