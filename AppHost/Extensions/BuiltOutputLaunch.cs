using System.Reflection;
using Aspire.Hosting.ApplicationModel;

namespace TicketAspire.AppHost.Extensions;

/// <summary>
/// Runs each project resource from its built output, <c>dotnet &lt;assembly&gt;</c>, instead of DCP's default
/// <c>dotnet run --project … --no-build</c>. The resource stays a project resource (endpoints, environment, references,
/// health checks, replicas, the dashboard's view and the publish model are the same); only its command changes, and
/// the <c>dotnet run</c> process that used to sit above every service process (about 65 MiB each) is gone.
/// </summary>
/// <remarks>
/// The assemblies' paths are baked into the AppHost at build time (<c>AppHost.csproj</c>: the <c>ServiceOutput</c>
/// items, the TargetPath of each referenced service, become <c>AssemblyMetadata("ServiceOutput:&lt;project&gt;", …)</c>);
/// building the AppHost builds them in the same configuration. The working directory stays the project's directory, as
/// with <c>dotnet run</c>, so the content root and <c>appsettings.json</c> are the same. A project whose assembly is
/// missing keeps the default launch; <c>TicketAspire:LaunchBuiltOutput=false</c> turns the whole thing off, and so does
/// <c>dotnet watch</c> or an IDE session (<c>DEBUG_SESSION_PORT</c>), which launch projects themselves.
/// </remarks>
public static class BuiltOutputLaunch
{
    private const string MetadataPrefix = "ServiceOutput:";

    /// <summary>The built assembly of each referenced service project, by full project path.</summary>
    public static IReadOnlyDictionary<string, string> ServiceOutputs { get; } = typeof(BuiltOutputLaunch).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Where(a => a.Key.StartsWith(MetadataPrefix, StringComparison.Ordinal) && !string.IsNullOrEmpty(a.Value))
        .ToDictionary(a => Path.GetFullPath(a.Key[MetadataPrefix.Length..]), a => a.Value!, StringComparer.Ordinal);

    /// <summary>Whether this run launches projects from their built output (see the remarks of the class).</summary>
    public static bool IsEnabled(IDistributedApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var config = builder.Configuration;
        return builder.ExecutionContext.IsRunMode
            && !string.Equals(config["TicketAspire:LaunchBuiltOutput"], "false", StringComparison.OrdinalIgnoreCase)
            && !string.Equals(config["DOTNET_WATCH"], "true", StringComparison.OrdinalIgnoreCase)
            && string.IsNullOrEmpty(config["DEBUG_SESSION_PORT"]);
    }

    /// <summary>
    /// Makes every project resource of the model (call it after the last <c>AddProject</c>) run <c>dotnet &lt;its built
    /// assembly&gt;</c>; returns how many do.
    /// </summary>
    public static int LaunchProjectsFromBuiltOutput(this IDistributedApplicationBuilder builder)
    {
        if (!IsEnabled(builder))
        {
            return 0;
        }

        var count = 0;
        foreach (var project in builder.Resources.OfType<ProjectResource>())
        {
            var projectPath = Path.GetFullPath(project.GetProjectMetadata().ProjectPath);
            if (!ServiceOutputs.TryGetValue(projectPath, out var assembly) || !File.Exists(assembly))
            {
                continue;
            }

            project.Annotations.Add(new ExecutableAnnotation { Command = "dotnet", WorkingDirectory = Path.GetDirectoryName(projectPath)! });
            // the assembly comes first, before any argument the model adds
            project.Annotations.Add(new CommandLineArgsCallbackAnnotation(args => args.Insert(0, assembly)));
            count++;
        }

        return count;
    }
}
