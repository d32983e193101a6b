using System.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Gives memory back while a service idles: every <c>IdleTrim:Interval</c>, if the process allocated less than
/// <c>IdleTrim:MaxAllocationRate</c> bytes a second since the last look (it is idle, not serving load), one aggressive
/// full GC compacts the heap, decommits what it no longer needs and lets the array pools trim. Off unless the interval
/// is set (the AppHost sets it for every service of a local run, AppHost/Extensions/IdleMemory.cs). An idle service
/// otherwise only allocates a little a second (telemetry export, periodic loops), so its rare full GCs leave the large
/// object heap and pooled buffers of its start and its last burst in place: about 10-20 MiB a process after a few minutes
/// (bench/RESULTS.md, footprint).
/// </summary>
internal sealed partial class IdleMemoryTrimmer(TimeSpan interval, long maxAllocationRate, TimeProvider time, ILogger<IdleMemoryTrimmer> logger)
    : BackgroundService
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "IdleTrim";

    /// <summary>Registers the trimmer when <c>IdleTrim:Interval</c> is set (a positive time span).</summary>
    public static void AddTo(IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        if (!TimeSpan.TryParse(section["Interval"], System.Globalization.CultureInfo.InvariantCulture, out var interval) || interval <= TimeSpan.Zero)
        {
            return;
        }

        // default: below 1 MiB a second the process is idle (an API replica under load allocates hundreds)
        var rate = long.TryParse(section["MaxAllocationRate"], System.Globalization.CultureInfo.InvariantCulture, out var r) && r > 0 ? r : 1 << 20;
        services.AddHostedService(sp => new IdleMemoryTrimmer(interval, rate,
            sp.GetService<TimeProvider>() ?? TimeProvider.System, sp.GetRequiredService<ILogger<IdleMemoryTrimmer>>()));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        var allocated = GC.GetTotalAllocatedBytes();
        var at = time.GetTimestamp();
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var now = GC.GetTotalAllocatedBytes();
                var rate = (now - allocated) / Math.Max(time.GetElapsedTime(at).TotalSeconds, 0.001);
                if (rate <= maxAllocationRate)
                {
                    GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
                    GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                    LogTrimmed(logger, rate / 1024, GC.GetGCMemoryInfo().TotalCommittedBytes / 1024);
                }

                allocated = GC.GetTotalAllocatedBytes();
                at = time.GetTimestamp();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Idle ({RateKiB:F0} KiB/s allocated): heap compacted, {CommittedKiB} KiB committed")]
    private static partial void LogTrimmed(ILogger logger, double rateKiB, long committedKiB);
}
