using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace TicketAspire.AppHost.Tests;

/// <summary>
/// An AppHost of a test's own (a cell the shared fixture does not start, or processes the test kills), on a data root
/// of its own under the temp directory: started with <paramref name="arguments"/> plus that root, healthy when the
/// named resources are, stopped and its data deleted on dispose.
/// </summary>
internal sealed class OwnAppHost : IAsyncDisposable
{
    private OwnAppHost(DistributedApplication app, string dataDir) => (App, DataDir) = (app, dataDir);

    public DistributedApplication App { get; }

    /// <summary>The data root (<c>TicketAspire:DataDir</c>): each Postgres server's directory is under it.</summary>
    public string DataDir { get; }

    /// <summary>Starts it and waits until every resource in <paramref name="healthy"/> is healthy.</summary>
    public static async Task<OwnAppHost> StartAsync(string prefix, string[] arguments, string[] healthy,
        Action<IDistributedApplicationTestingBuilder>? configure = null)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}");
        using var cts = new CancellationTokenSource(PlatformFixture.StartTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            [$"TicketAspire:DataDir={dataDir}", "TicketAspire:FixedPorts=false", .. arguments], cts.Token);
        configure?.Invoke(builder);
        var app = await builder.BuildAsync(cts.Token);
        var host = new OwnAppHost(app, dataDir);
        try
        {
            await app.StartAsync(cts.Token);
            foreach (var resource in healthy)
            {
                await app.ResourceNotifications.WaitForResourceHealthyAsync(resource, cts.Token);
            }
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }

        return host;
    }

    /// <summary>The environment of project <paramref name="name"/> gets <paramref name="variables"/> (name, value pairs).</summary>
    public static void SetEnvironment(IDistributedApplicationTestingBuilder builder, string name, params (string Name, string Value)[] variables)
    {
        var project = builder.CreateResourceBuilder(builder.Resources.OfType<ProjectResource>().Single(r => r.Name == name));
        foreach (var (variable, value) in variables)
        {
            project.WithEnvironment(variable, value);
        }
    }

    public async ValueTask DisposeAsync()
    {
        using (var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1)))
        {
            await App.StopAsync(cts.Token);
        }

        await App.DisposeAsync();
        try
        {
            if (Directory.Exists(DataDir))
            {
                Directory.Delete(DataDir, recursive: true);
            }
        }
        catch (IOException)
        {
        }
    }
}
