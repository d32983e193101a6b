using ScottPlot;

namespace TicketAspire.Bench.HoldBench;

/// <summary>
/// PNG plots of an on-sale run (ScottPlot 5 on SkiaSharp; the Linux native assets come with ScottPlot's
/// SkiaSharp.NativeAssets.Linux.NoDependencies, text uses the system's fonts through fontconfig when present).
/// A plot that cannot be drawn (no native library, no fonts) is a note in the report, never a failed run.
/// </summary>
public static class OnSalePlots
{
    public const string ThroughputFile = "onsale-throughput.png";
    public const string LatencyFile = "onsale-latency.png";

    /// <summary>Writes both plots into <paramref name="directory"/>; the paths written.</summary>
    public static IReadOnlyList<string> Write(OnSaleLoad load, string directory, IList<string> notes)
    {
        ArgumentNullException.ThrowIfNull(load);
        ArgumentNullException.ThrowIfNull(notes);
        return PlotFiles.Write(directory, notes, (ThroughputFile, p => Throughput(load, p)), (LatencyFile, p => Latency(load, p)));
    }

    private static void Throughput(OnSaleLoad load, string path)
    {
        var plot = new Plot();
        foreach (var series in new[] { load.Admitted, load.Holds, load.Confirms, load.Answers })
        {
            var counts = series.PerSecond();
            if (counts.Length == 0)
            {
                continue;
            }

            // each count belongs to the second [s, s + 1): drawn at its middle
            var line = plot.Add.Scatter(counts.Select((_, s) => s + 0.5).ToArray(), counts.Select(c => (double)c).ToArray());
            line.LegendText = series.Name;
            line.MarkerSize = 3;
        }

        plot.Title($"Hot on-sale: {load.BuyerCount:N0} buyers, throughput per second");
        plot.XLabel("seconds since the sale opened");
        plot.YLabel("per second");
        plot.Axes.SetLimitsY(0, double.NaN);
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, 1200, 600);
    }

    private static void Latency(OnSaleLoad load, string path)
    {
        var plot = new Plot();
        var i = 0;
        foreach (var phase in load.Phases)
        {
            var points = phase.Series();
            // joins happen before the sale opens: their seconds count from the first join, drawn left of zero
            var shift = phase == load.Join ? -load.JoinLeadSeconds : 0;
            var color = plot.Add.Palette.GetColor(i++);
            if (points.Count == 0)
            {
                continue;
            }

            var xs = points.Select(p => p.Second + 0.5 + shift).ToArray();
            var p50 = plot.Add.Scatter(xs, points.Select(p => p.P50).ToArray());
            p50.LegendText = $"{phase.Name} p50";
            p50.Color = color;
            p50.MarkerSize = 3;
            var p99 = plot.Add.Scatter(xs, points.Select(p => p.P99).ToArray());
            p99.LegendText = $"{phase.Name} p99";
            p99.Color = color;
            p99.MarkerSize = 0;
            p99.LinePattern = LinePattern.Dashed;
        }

        plot.Title("Hot on-sale: latency per request kind, p50 (solid) and p99 (dashed) per second");
        plot.XLabel("seconds since the sale opened (joins before it)");
        plot.YLabel("ms");
        plot.Axes.SetLimitsY(0, double.NaN);
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, 1200, 600);
    }
}
