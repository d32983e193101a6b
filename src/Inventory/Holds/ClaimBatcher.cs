using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Npgsql;
using TicketAspire.Inventory.Events;
using TicketAspire.Inventory.Infrastructure;
using TicketAspire.Inventory.Orders;

namespace TicketAspire.Inventory.Holds;

/// <summary>How concurrent seat claims are grouped (section <c>ClaimBatching</c>).</summary>
public sealed class ClaimBatchingOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "ClaimBatching";

    /// <summary>Off: every hold runs its own statements on its own connection.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Most claims sent in one batch.</summary>
    public int MaxBatch { get; set; } = 64;

    /// <summary>Batches of one event in flight at once per API process (each on its own connection).</summary>
    public int LoopsPerEvent { get; set; } = 2;

    /// <summary>True when the values can work.</summary>
    public bool IsValid() => MaxBatch is >= 1 and <= 1000 && LoopsPerEvent is >= 1 and <= 16;
}

/// <summary>
/// Groups the concurrent claims of one reseller database into batches: claims wait in a channel per event, and up to
/// <see cref="ClaimBatchingOptions.LoopsPerEvent"/> drain loops each take everything waiting (at most
/// <see cref="ClaimBatchingOptions.MaxBatch"/>) and run it as one round trip and one transaction
/// (<see cref="SeatClaim.RunAsync(NpgsqlDataSource, IReadOnlyList{SeatClaim}, CancellationToken)"/>). There is no artificial wait: a lone claim goes at once, and claims arriving while a
/// batch is in flight form the next one, so batches grow exactly when Postgres is the bottleneck. Each claim stays
/// all-or-nothing and keeps its own purchase-limit check and admission token (its statement is unchanged); claims of a
/// batch take their customer locks in one order. If a batch fails (a deadlock with another process, a bad statement),
/// its claims run again one by one, so one claim's error reaches only its own hold; if its connection failed (the server
/// is out of reach) every claim of the batch fails at once instead, and if the connection was refused or broke (not a
/// timeout) every claim queued behind it too, without waiting for the server again. Loops start with work and end when
/// the channel is empty: an idle reseller costs nothing.
/// </summary>
public sealed class ClaimBatcher
{
    private readonly NpgsqlDataSource _db;
    private readonly ClaimBatchingOptions _options;
    private const int MaxLanes = 1_000;
    private readonly ConcurrentDictionary<Guid, Lane> _lanes = new();

    /// <summary>A batcher for <paramref name="db"/>.</summary>
    public ClaimBatcher(NpgsqlDataSource db, ClaimBatchingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _db = db;
        _options = options;
    }

    /// <summary>Claims waiting for a drain loop, over all events.</summary>
    public int Waiting => _lanes.Values.Sum(l => l.Waiting);

    internal async Task<ClaimOutcome> ClaimAsync(SeatClaim claim, CancellationToken ct)
    {
        var pending = new Pending(claim, ct);
        if (!_lanes.TryGetValue(claim.EventId, out var lane))
        {
            // only when an event gets its first lane (Count takes every lock of the dictionary): events that sold or
            // ended leave idle lanes behind; a lane removed while a claim enters it still drains
            if (_lanes.Count > MaxLanes)
            {
                foreach (var (eventId, idle) in _lanes)
                {
                    if (idle.IsIdle)
                    {
                        _lanes.TryRemove(eventId, out _);
                    }
                }
            }

            lane = _lanes.GetOrAdd(claim.EventId, static (_, self) => new Lane(self), this);
        }

        lane.Enqueue(pending);
        return await pending.Completion.Task.WaitAsync(ct);
    }

    /// <summary>Runs one batch; returns the failure of a connection that was refused or broke under it, if any.</summary>
    private async Task<Exception?> RunAsync(List<Pending> batch)
    {
        InventoryMetrics.ClaimBatchSize.Record(batch.Count);
        batch.Sort(static (a, b) => string.CompareOrdinal(a.Claim.LockKey, b.Claim.LockKey));
        try
        {
            var outcomes = await SeatClaim.RunAsync(_db, batch.ConvertAll(p => p.Claim), CancellationToken.None);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Completion.TrySetResult(outcomes[i]);
            }
        }
        catch (Exception ex) when (IsConnectionFailure(ex))
        {
            // the server is out of reach: running each claim again alone would only make every one wait for it in turn
            foreach (var pending in batch)
            {
                pending.Completion.TrySetException(ex);
            }

            return ex.InnerException is TimeoutException ? null : ex;
        }
        catch (Exception) when (batch.Count > 1)
        {
            InventoryMetrics.ClaimBatchesRetried.Add(1);
            foreach (var pending in batch)
            {
                await RunAloneAsync(pending);
            }
        }
        catch (Exception ex)
        {
            batch[0].Completion.TrySetException(ex);
        }

        return null;
    }

    /// <summary>
    /// A failure of the connection, not of a statement: an Npgsql error that is not the server's (socket, timeout, broken
    /// stream, pool), or the server refusing or ending connections (class 08, 57P01–57P03, 53300).
    /// </summary>
    private static bool IsConnectionFailure(Exception ex) => ex is NpgsqlException and (not PostgresException
        or PostgresException { SqlState: PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
            or PostgresErrorCodes.TooManyConnections }
        or PostgresException { SqlState: ['0', '8', ..] });

    private async Task RunAloneAsync(Pending pending)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var outcomes = await SeatClaim.RunAsync(_db, [pending.Claim], CancellationToken.None);
                pending.Completion.TrySetResult(outcomes[0]);
                return;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DeadlockDetected && attempt < 3)
            {
                // a lone claim locks its seats in order, but a batch of another process may lock them in its own
                // order; Postgres chose this claim as the victim and rolled it back: run it again
            }
            catch (Exception ex)
            {
                pending.Completion.TrySetException(ex);
                return;
            }
        }
    }

    private sealed record Pending(SeatClaim Claim, CancellationToken Cancellation)
    {
        public TaskCompletionSource<ClaimOutcome> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>The claims waiting for one event and the loops draining them.</summary>
    private sealed class Lane(ClaimBatcher owner)
    {
        private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new() { SingleWriter = false, SingleReader = false });
        private int _loops;

        public int Waiting => _queue.Reader.Count;

        public bool IsIdle => Volatile.Read(ref _loops) == 0 && !_queue.Reader.TryPeek(out _);

        public void Enqueue(Pending pending)
        {
            _queue.Writer.TryWrite(pending);
            TryStartLoop();
        }

        private void TryStartLoop()
        {
            while (true)
            {
                var loops = Volatile.Read(ref _loops);
                if (loops >= owner._options.LoopsPerEvent)
                {
                    return;
                }

                if (Interlocked.CompareExchange(ref _loops, loops + 1, loops) == loops)
                {
                    _ = Task.Run(DrainAsync);
                    return;
                }
            }
        }

        private async Task DrainAsync()
        {
            var batch = new List<Pending>(owner._options.MaxBatch);
            while (true)
            {
                while (batch.Count < owner._options.MaxBatch && _queue.Reader.TryRead(out var pending))
                {
                    if (pending.Cancellation.IsCancellationRequested)
                    {
                        pending.Completion.TrySetCanceled(pending.Cancellation);
                    }
                    else
                    {
                        batch.Add(pending);
                    }
                }

                if (batch.Count > 0)
                {
                    if (await owner.RunAsync(batch) is { } unreachable)
                    {
                        // refused or broken (not merely slow): so do the claims queued behind it, each batch would wait for
                        // the server in turn
                        while (_queue.Reader.TryRead(out var queued))
                        {
                            queued.Completion.TrySetException(unreachable);
                        }
                    }

                    batch = new List<Pending>(owner._options.MaxBatch);
                    continue;
                }

                // nothing waiting: stop, unless a claim arrived between the last read and the decrement and no loop
                // would take it
                Interlocked.Decrement(ref _loops);
                if (!_queue.Reader.TryPeek(out _) || !TryClaimLoop())
                {
                    return;
                }
            }
        }

        private bool TryClaimLoop()
        {
            var loops = Volatile.Read(ref _loops);
            return loops < owner._options.LoopsPerEvent && Interlocked.CompareExchange(ref _loops, loops + 1, loops) == loops;
        }
    }
}

/// <summary>One <see cref="ClaimBatcher"/> per reseller data source, living as long as the data source.</summary>
public sealed class ClaimBatchers(ClaimBatchingOptions options)
{
    private readonly ConditionalWeakTable<NpgsqlDataSource, ClaimBatcher> _batchers = new();

    /// <summary>The batcher of <paramref name="db"/>, or null when batching is off.</summary>
    public ClaimBatcher? For(NpgsqlDataSource db) =>
        options.Enabled ? _batchers.GetValue(db, d => new ClaimBatcher(d, options)) : null;
}
