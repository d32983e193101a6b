using Microsoft.Extensions.Options;
using Npgsql;
using TicketAspire.Inventory.Privacy;
using TicketAspire.Tenancy;
using TicketAspire.Tenancy.Data;

namespace TicketAspire.Worker;

/// <summary>
/// Every <see cref="RetentionOptions.Interval"/>, erases end users' personal data older than the cell's
/// <c>data_retention_days</c> in each reseller's database, inside that reseller's tenant scope (<see cref="RetentionSweeper"/>;
/// what goes and what stays: docs/retention.md). It needs the database only, not Redis. A reseller whose database fails
/// is logged and skipped until the next pass; a retention of 0 (or none) keeps everything and the worker does nothing.
/// </summary>
public sealed partial class RetentionWorker(
    ResellerLoopContext loop,
    ResellerDataSources dataSources,
    IOptions<RetentionOptions> options,
    ILogger<RetentionWorker> logger) : BackgroundService
{
    /// <summary>When the last full pass over every reseller finished without error.</summary>
    public DateTimeOffset? LastSuccess { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.Days <= 0)
        {
            LogKeptForever(logger);
            return;
        }

        using var timer = new PeriodicTimer(options.Value.Interval, loop.Time);
        do
        {
            await RunPassAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One pass over every reseller of the cell; returns what was erased per reseller and table.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>>> RunPassAsync(CancellationToken ct)
    {
        var result = new Dictionary<string, IReadOnlyDictionary<string, long>>(StringComparer.Ordinal);
        var failed = false;
        foreach (var reseller in await loop.Store.GetAllAsync())
        {
            using var scope = loop.Setter.Use(reseller, loop.Accessor);
            using var log = logger.BeginScope(new Dictionary<string, object> { ["reseller"] = reseller.Id, ["cell"] = reseller.Cell });
            try
            {
                var sweeper = new RetentionSweeper(await dataSources.GetAsync(reseller), loop.Time);
                var days = options.Value.Days;
                var counts = await sweeper.RunAsync(days, options.Value.BatchSize, ct);
                result[reseller.Id] = counts;
                LogPass(logger, reseller.Id, days, sweeper.CutoffFor(days),
                    string.Join(", ", counts.Select(c => $"{c.Key} {c.Value}")), counts.Values.Sum());
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                failed = true;
                LogFailed(logger, reseller.Id, ex.Message);
            }
        }

        if (!failed)
        {
            LastSuccess = loop.Time.GetUtcNow();
        }

        return result;
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Data retention is off (CellRules:DataRetentionDays is 0 or absent): end users' personal data is kept for ever")]
    private static partial void LogKeptForever(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Data retention of reseller {Reseller} ({Days} days, before {Cutoff:O}): erased {Tables} ({Total} rows)")]
    private static partial void LogPass(ILogger logger, string reseller, int days, DateTimeOffset cutoff, string tables, long total);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Data retention of reseller {Reseller} failed this pass: {Error}")]
    private static partial void LogFailed(ILogger logger, string reseller, string error);
}
