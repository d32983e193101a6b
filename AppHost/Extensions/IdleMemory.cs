using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Eventing;

namespace TicketAspire.AppHost.Extensions;

/// <summary>
/// What a running platform costs at idle (bench/footprint.sh measures it): settings that trim the memory of processes
/// that mostly wait, and of the orchestrator, without taking any resource out of the model.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Every service process but the API and the resellers' Garnet servers (worker, identity, payments, router,
/// migrator) and the dashboard run the workstation GC without the background GC thread, with at most a 4 MiB gen0
/// budget and without tiered PGO's instrumentation (<see cref="IdleServiceEnvironment"/>): they keep less garbage
/// between their few requests. The API and Garnet keep the runtime's defaults (the API: server GC with dynamic
/// adaptation; both with PGO): every request of an on-sale passes through them.</item>
/// <item>Every service built on the service defaults (API included) looks every 30 s whether it allocated less than
/// 1 MiB a second since, and if so runs one aggressive, compacting full GC (<c>IdleTrim__Interval</c>): an idle process
/// otherwise keeps the large objects and pooled buffers of its start and of its last burst for minutes.</item>
/// <item>DCP starts a watchdog process (<c>dcp monitor-process</c>, about 20 MiB each) beside every process it runs,
/// which kills the process should DCP itself die without cleaning up. The AppHost turns them off
/// (<c>DCP_DISABLE_MONITOR_PROCESS</c>): DCP still stops every process when the AppHost stops or dies (it watches the
/// AppHost), only a DCP killed outright would leave its processes behind. <c>TicketAspire:ProcessMonitors=true</c> keeps
/// them.</item>
/// <item>DCP and every process it starts inherit <see cref="AmbientEnvironment"/> from the AppHost: DCP's Go heap grows
/// by half before a collection, glibc keeps two malloc arenas per process.</item>
/// </list>
/// <c>TicketAspire:TrimIdleMemory=false</c> turns the GC settings, the idle compaction and the ambient environment off
/// (each process's own defaults apply).
/// </remarks>
public static class IdleMemory
{
    private const string DashboardResourceName = "aspire-dashboard";

    /// <summary>How often a service looks whether it idles and, if so, compacts its heap (ServiceDefaults' IdleMemoryTrimmer).</summary>
    public const string IdleTrimInterval = "00:00:30";

    /// <summary>The AppHost's own environment for DCP and the processes DCP starts (each set only when not set already).</summary>
    public static IReadOnlyList<(string Name, string Value)> AmbientEnvironment { get; } = [("GOGC", "50"), ("MALLOC_ARENA_MAX", "2")];

    /// <summary>The environment of a .NET process that mostly waits.</summary>
    public static IReadOnlyList<(string Name, string Value)> IdleServiceEnvironment { get; } =
    [
        ("DOTNET_gcServer", "0"),
        ("DOTNET_gcConcurrent", "0"),
        // hexadecimal, as every DOTNET_GC* number: 0x400000 = 4 MiB
        ("DOTNET_GCgen0MaxBudget", "400000"),
        ("DOTNET_TieredPGO", "0"),
    ];

    /// <summary>
    /// Applies the settings of the class remarks to the model as it is now (call it after the last resource) and to DCP,
    /// which the AppHost starts after this. Run mode only.
    /// </summary>
    /// <param name="builder">The AppHost's builder.</param>
    /// <param name="isThroughputCritical">The projects that keep the runtime's GC defaults (the cells' APIs, the Garnet servers).</param>
    public static void TrimIdleMemory(this IDistributedApplicationBuilder builder, Func<ProjectResource, bool> isThroughputCritical)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(isThroughputCritical);
        if (!builder.ExecutionContext.IsRunMode)
        {
            return;
        }

        var config = builder.Configuration;
        if (!string.Equals(config["TicketAspire:ProcessMonitors"], "true", StringComparison.OrdinalIgnoreCase))
        {
            // DCP inherits the AppHost's environment when it is started (after Build)
            Environment.SetEnvironmentVariable("DCP_DISABLE_MONITOR_PROCESS", "1");
        }

        if (string.Equals(config["TicketAspire:TrimIdleMemory"], "false", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        // inherited by DCP and, through it, by every process it runs (unless set already): DCP's Go heap is collected at
        // half its default growth, and glibc keeps at most two malloc arenas per process instead of one per thread
        foreach (var (name, value) in AmbientEnvironment)
        {
            if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name)))
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }

        foreach (var project in builder.Resources.OfType<ProjectResource>())
        {
            // every service (the API too: it is skipped while it serves load) compacts its heap when it idles
            project.Annotations.Add(new EnvironmentCallbackAnnotation(context => context.EnvironmentVariables["IdleTrim__Interval"] = IdleTrimInterval));
            if (!isThroughputCritical(project))
            {
                project.Annotations.Add(new EnvironmentCallbackAnnotation(SetIdleEnvironment));
            }
        }

        // the dashboard joins the model only when the application starts: give it the same settings just before it runs
        var dashboardTrimmed = 0;
        builder.Eventing.Subscribe<BeforeResourceStartedEvent>((e, _) =>
        {
            if (string.Equals(e.Resource.Name, DashboardResourceName, StringComparison.Ordinal)
                && Interlocked.Exchange(ref dashboardTrimmed, 1) == 0)
            {
                e.Resource.Annotations.Add(new EnvironmentCallbackAnnotation(SetIdleEnvironment));
            }

            return Task.CompletedTask;
        });
    }

    private static void SetIdleEnvironment(EnvironmentCallbackContext context)
    {
        foreach (var (name, value) in IdleServiceEnvironment)
        {
            context.EnvironmentVariables[name] = value;
        }
    }
}
