using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TicketAspire.AppHost.Extensions;

/// <summary>Marks a resource the AppHost starts again when its process dies (<see cref="SelfHealing"/>).</summary>
public sealed class RestartOnExitAnnotation : IResourceAnnotation;

/// <summary>
/// A cell that heals: the cell's Postgres and each reseller's Redis are started again when their process dies (killed,
/// crashed), after 1 s, then 2, 4, … up to 30 s while they keep dying. A stop an operator asked for (the dashboard's
/// Stop, which passes through <c>Stopping</c>) is respected: the resource stays down until started.
/// </summary>
public static partial class SelfHealing
{
    /// <summary>Starts <paramref name="resource"/> again whenever its process dies without being asked to stop.</summary>
    public static IResourceBuilder<T> WithRestartOnExit<T>(this IResourceBuilder<T> resource) where T : IResource
    {
        ArgumentNullException.ThrowIfNull(resource);
        // registered once however many resources ask (AddHostedService adds an implementation type only once)
        resource.ApplicationBuilder.Services.AddHostedService<Healer>();

        return resource.WithAnnotation(new RestartOnExitAnnotation());
    }

    /// <summary>Watches every resource's state; restarts the annotated ones that died.</summary>
    private sealed partial class Healer(ResourceNotificationService notifications, ResourceCommandService commands, ILogger<Healer> logger)
        : BackgroundService
    {
        private static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(30);
        private readonly Dictionary<string, string?> _last = new(StringComparer.Ordinal);
        private readonly Dictionary<string, (int Restarts, DateTimeOffset At)> _history = new(StringComparer.Ordinal);

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            try
            {
                await foreach (var e in notifications.WatchAsync(stoppingToken))
                {
                    var state = e.Snapshot.State?.Text;
                    _last.TryGetValue(e.ResourceId, out var previous);
                    _last[e.ResourceId] = state;
                    if (!e.Resource.Annotations.OfType<RestartOnExitAnnotation>().Any() || state == previous
                        || state is not ("Exited" or "Finished" or "FailedToStart") || previous is not ("Running" or "Starting"))
                    {
                        continue;
                    }

                    var (restarts, at) = _history.GetValueOrDefault(e.ResourceId);
                    // a resource that ran a minute since its last restart starts over at the first delay
                    restarts = DateTimeOffset.UtcNow - at > TimeSpan.FromMinutes(1) ? 0 : restarts;
                    var delay = TimeSpan.FromTicks(Math.Min(MaxDelay.Ticks, FirstDelay.Ticks << Math.Min(restarts, 5)));
                    _history[e.ResourceId] = (restarts + 1, DateTimeOffset.UtcNow);
                    LogDied(logger, e.ResourceId, state, delay.TotalSeconds);
                    _ = RestartAsync(e.ResourceId, delay, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
        }

        private async Task RestartAsync(string resourceId, TimeSpan delay, CancellationToken ct)
        {
            try
            {
                await Task.Delay(delay, ct);
                var result = await commands.ExecuteCommandAsync(resourceId, KnownResourceCommands.StartCommand, ct);
                if (result.Success)
                {
                    LogRestarted(logger, resourceId);
                }
                else
                {
                    LogRestartFailed(logger, resourceId, result.Message);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
            }
        }

        [LoggerMessage(Level = LogLevel.Warning, Message = "{Resource} died ({State}): starting it again in {Seconds} s")]
        private static partial void LogDied(ILogger logger, string resource, string? state, double seconds);

        [LoggerMessage(Level = LogLevel.Information, Message = "{Resource} started again")]
        private static partial void LogRestarted(ILogger logger, string resource);

        [LoggerMessage(Level = LogLevel.Warning, Message = "{Resource} could not be started again: {Message}")]
        private static partial void LogRestartFailed(ILogger logger, string resource, string? message);
    }
}
