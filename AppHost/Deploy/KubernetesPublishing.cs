using Aspire.Hosting.Pipelines;
using Microsoft.Extensions.DependencyInjection;
using TicketAspire.AppHost.Extensions;

namespace TicketAspire.AppHost.Deploy;

/// <summary>
/// The AppHost's publish mode for Kubernetes: a pipeline step that writes one kustomize overlay per cell file
/// (<c>overlays/&lt;cell&gt;/</c>) under the output path, beside the shared <c>base/</c> and <c>components/</c> of the
/// repository's <c>deploy/</c> folder (copied there when the output is another folder):
/// <c>dotnet run --project AppHost -- --operation publish --step publish-kubernetes --output-path deploy</c>.
/// </summary>
public static class KubernetesPublishing
{
    /// <summary>The pipeline step's name (<c>--step publish-kubernetes</c>); the <c>publish</c> step requires it.</summary>
    public const string StepName = "publish-kubernetes";

    /// <summary>Adds the step that renders <paramref name="cells"/> (every cell file, whatever <c>TicketAspire:Cells</c> says).</summary>
    public static IDistributedApplicationBuilder AddKubernetesOverlays(
        this IDistributedApplicationBuilder builder, IReadOnlyList<CellFile> cells, string repoRoot, OverlayOptions options)
    {
#pragma warning disable ASPIREPIPELINES001, ASPIREPIPELINES004 // the pipeline API is experimental in Aspire 13
        builder.Pipeline.AddStep(StepName, context =>
        {
            var output = Path.GetFullPath(context.Services.GetRequiredService<IPipelineOutputService>().GetOutputDirectory());
            var written = Write(cells, repoRoot, output, options);
            context.Summary.Add("Kubernetes overlays", $"{written.Count} files under {output}: overlays for {string.Join(", ", cells.Select(c => c.Id))}");
            return Task.CompletedTask;
        }, requiredBy: WellKnownPipelineSteps.Publish);
#pragma warning restore ASPIREPIPELINES001, ASPIREPIPELINES004
        return builder;
    }

    /// <summary>
    /// Writes every cell's overlay under <c>&lt;output&gt;/overlays/</c> (overlays of cells that no longer have a file are
    /// removed) and, when <paramref name="output"/> is not the repository's <c>deploy/</c>, copies its <c>base/</c> and
    /// <c>components/</c> beside them. Returns the written paths, relative to <paramref name="output"/>.
    /// </summary>
    public static IReadOnlyList<string> Write(IReadOnlyList<CellFile> cells, string repoRoot, string output, OverlayOptions options)
    {
        var rendered = Render(cells, options);
        var overlays = Path.Combine(output, "overlays");
        if (Directory.Exists(overlays))
        {
            Directory.Delete(overlays, recursive: true);
        }

        var source = Path.GetFullPath(Path.Combine(repoRoot, "deploy"));
        if (!string.Equals(source.TrimEnd('/'), Path.GetFullPath(output).TrimEnd('/'), StringComparison.Ordinal))
        {
            foreach (var shared in new[] { "base", "components" })
            {
                foreach (var file in Directory.GetFiles(Path.Combine(source, shared), "*", SearchOption.AllDirectories))
                {
                    rendered[Path.GetRelativePath(source, file)] = File.ReadAllText(file);
                }
            }
        }

        foreach (var (path, content) in rendered)
        {
            var full = Path.Combine(output, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
        }

        return [.. rendered.Keys];
    }

    /// <summary>Every cell's overlay files, keyed by their path relative to <c>deploy/</c> (<c>overlays/eu/cell.env</c>).</summary>
    public static SortedDictionary<string, string> Render(IReadOnlyList<CellFile> cells, OverlayOptions options)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var cell in cells)
        {
            foreach (var (name, content) in CellOverlay.Render(cell, options))
            {
                files[$"overlays/{cell.Id}/{name}"] = content;
            }
        }

        return files;
    }
}
